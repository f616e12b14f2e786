// The "no data yet" state of a page or section whose mart is absent, empty or older than the page. It names the
// mart and says how to fill it, so a reader knows it is not a broken page.
import { el } from './dom.js';

const WHY = {
  missing: (t) => `The ${t} mart has not been built in this warehouse yet.`,
  empty: (t) => `The ${t} mart is empty: there is nothing to report yet.`,
  incomplete: (t, cols) =>
    `The ${t} mart in this warehouse does not have the columns this section needs yet (${cols.join(', ')}).`,
};

/**
 * @param {{table: string, state: string, missingColumns?: string[]}} status a loader's mart status
 * @param {string} testid data-testid (tests look for it)
 * @param {string} [how] what fills the mart (default: run the models)
 * @returns {HTMLElement}
 */
export function noDataYet(status, testid, how) {
  const why = (WHY[status.state] ?? WHY.missing)(status.table, status.missingColumns ?? []);
  return el(
    'div',
    { class: 'empty-state', 'data-testid': testid, 'data-state': status.state },
    el('strong', {}, 'No data yet'),
    `${why} `,
    how ??
      (status.state === 'incomplete'
        ? el(
            'span',
            {},
            'It was built by an older refstack: rerun ',
            el('code', {}, 'refstack run'),
            ' to rebuild it with the current models, then rebuild the site.',
          )
        : null) ??
      el(
        'span',
        {},
        'Run ',
        el('code', {}, 'refstack run'),
        ' (or ',
        el('code', {}, 'refstack demo'),
        ') and rebuild the site.',
      ),
  );
}

/** True when a loader's mart had rows. */
export const ready = (data) => data?.status?.state === 'ready';
