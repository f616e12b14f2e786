import { describe, expect, it } from 'vitest';
import { formatRowProgress, rowProgress } from '../../ingest/progress.js';

describe('row progress', () => {
  it('formats rows and rows/s', () => {
    // 250,000 rows in 2 s = 125,000 rows/s.
    expect(formatRowProgress('orders.csv', 250_000, 2)).toBe('orders.csv: 250,000 rows (125,000 rows/s)');
    expect(formatRowProgress('orders.csv', 0, 0)).toBe('orders.csv: 0 rows (0 rows/s)');
  });

  it('redraws at most every 200 ms of the injected clock', () => {
    const lines: string[] = [];
    let now = 1_000;
    const p = rowProgress(
      'x',
      (l) => lines.push(l),
      () => now,
    );
    now = 1_100;
    p.update(10_000); // 0.1 s: 100,000 rows/s
    now = 1_200;
    p.update(20_000); // 100 ms after the last redraw: skipped
    now = 1_300;
    p.update(30_000); // 200 ms after: drawn, 30,000 rows in 0.3 s
    expect(lines).toEqual(['x: 10,000 rows (100,000 rows/s)', 'x: 30,000 rows (100,000 rows/s)']);
  });
});
