// A plain HTML report table (not Inputs.table, which renders rows lazily): every row is in the DOM, so
// the page prints, reads with a screen reader, and can be checked cell by cell. Cells carry data-metric.
import { el } from './dom.js';

/**
 * @typedef {object} Column
 * @property {string} label header text
 * @property {string} metric data-metric of the cells (a mart column name)
 * @property {(row: any) => string} format the displayed text
 * @property {(row: any) => unknown} [value] the raw value put in data-value
 * @property {boolean} [numeric] right-aligned tabular figures
 */

/**
 * @param {{testid: string, columns: Column[], rows: any[], rowKey: (row: any) => Record<string, string>, footer?: any, empty?: string}} spec
 * @returns {HTMLElement}
 */
export function reportTable({ testid, columns, rows, rowKey, footer, empty = 'No rows.' }) {
  if (rows.length === 0) return el('p', { class: 'empty-note', 'data-testid': testid }, empty);
  const cell = (tag, column, row) =>
    el(
      tag,
      { class: column.numeric ? 'num' : null, 'data-metric': column.metric, 'data-value': column.value?.(row) },
      column.format(row),
    );
  return el(
    'div',
    { class: 'report-table-wrap', 'data-testid': testid },
    el(
      'table',
      { class: 'report-table' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          columns.map((c) => el('th', { class: c.numeric ? 'num' : null, scope: 'col' }, c.label)),
        ),
      ),
      el(
        'tbody',
        {},
        rows.map((row) =>
          el(
            'tr',
            rowKey(row),
            columns.map((c) => cell('td', c, row)),
          ),
        ),
      ),
      footer
        ? el(
            'tfoot',
            {},
            el(
              'tr',
              { 'data-total': 'true' },
              columns.map((c) => cell('td', c, footer)),
            ),
          )
        : null,
    ),
  );
}
