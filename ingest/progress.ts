/**
 * Progress of long loads: a `<label>: <rows> rows (<rate> rows/s)` line on stderr, redrawn in place, only when
 * stderr is a TTY (through `log.progress`, which also honours REFSTACK_QUIET). Loaders call `update` every few
 * thousand records and `done` when the batch ends; nothing is written to a pipe or a log file.
 */
import { log } from '../src/log.js';

/** Records between progress callbacks in the row-streaming loaders. */
export const PROGRESS_EVERY_ROWS = 10_000;

/** Minimum milliseconds between two redraws of the line. */
const REDRAW_MS = 200;

export interface RowProgress {
  /** The running count of records read so far. */
  update(rows: number): void;
  /** Clears the line. */
  done(): void;
}

/**
 * The progress line's text.
 * @example formatRowProgress('orders.csv', 250_000, 2) // 'orders.csv: 250,000 rows (125,000 rows/s)'
 */
export function formatRowProgress(label: string, rows: number, seconds: number): string {
  const rate = seconds > 0 ? Math.round(rows / seconds) : 0;
  return `${label}: ${rows.toLocaleString('en-US')} rows (${rate.toLocaleString('en-US')} rows/s)`;
}

/**
 * A progress line for one load. `clock` (milliseconds) is injectable for tests; `draw` defaults to
 * `log.progress` (TTY only).
 * @example const p = rowProgress('orders.csv'); p.update(10_000); p.done();
 */
export function rowProgress(
  label: string,
  draw: (line: string) => void = (line) => log.progress(line),
  clock: () => number = () => performance.now(),
): RowProgress {
  const start = clock();
  let last = -Infinity;
  return {
    update(rows) {
      const now = clock();
      if (now - last < REDRAW_MS) return;
      last = now;
      draw(formatRowProgress(label, rows, (now - start) / 1000));
    },
    done() {
      log.done();
    },
  };
}
