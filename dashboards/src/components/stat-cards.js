// Headline stat cards for any page. Every value states its unit or currency code (in the text or the label), and
// carries data-metric and data-value (the raw number: money in minor units) so tests and scrapers read it back.
import { el } from './dom.js';

/**
 * @param {Array<{metric: string, label: string, value: number|null, text: string, note?: string}>} cards
 * @param {string} testid data-testid of the grid
 * @returns {HTMLElement}
 */
export function statCards(cards, testid) {
  return el(
    'div',
    { class: 'stats-row', 'data-testid': testid },
    cards.map((c) =>
      el(
        'div',
        { class: 'kpi', 'data-testid': `stat-${c.metric}` },
        el('div', { class: 'kpi-label' }, c.label),
        el('div', { class: 'kpi-value', 'data-metric': c.metric, 'data-value': c.value ?? '' }, c.text),
        c.note ? el('div', { class: 'kpi-note' }, c.note) : null,
      ),
    ),
  );
}
