/**
 * DuckDB's read_csv expands its path as a glob: a file whose name holds glob characters must go through the JS
 * reader, or the SQL path would land the rows of the files the pattern matches instead of the file's own.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCanonicalCsv } from '../../../ingest/canonical-csv/load.js';
import { NOW, ONE_PROGRAM, scratch, type Scratch } from './helpers.js';

const ORDERS =
  'order_id,customer_id,ordered_at,currency,gross_amount,discount_amount,tax_amount,refunded_amount,status';

describe('the SQL-first reader and glob characters in the path', () => {
  let s: Scratch;
  beforeEach(async () => {
    s = await scratch();
  });
  afterEach(async () => {
    await s.close();
  });

  it('loads orders-[12].csv itself, not orders-1.csv and orders-2.csv', async () => {
    const file = s.write('orders-[12].csv', `${ORDERS}\nREAL,C1,2025-01-02,USD,1.00,0,0,0,paid\n`);
    s.write('orders-1.csv', `${ORDERS}\nWRONG1,C1,2025-01-02,USD,1.00,0,0,0,paid\n`);
    s.write('orders-2.csv', `${ORDERS}\nWRONG2,C1,2025-01-02,USD,1.00,0,0,0,paid\n`);
    const seen: string[] = [];
    const report = await loadCanonicalCsv(s.wh, {
      file,
      config: ONE_PROGRAM,
      now: NOW,
      onEngine: (engine, declined) => seen.push(`${engine}: ${declined}`),
    });
    expect(seen).toEqual(['js: its path has a glob character (*, ?, [, ], {, }) DuckDB would expand']);
    expect(report).toMatchObject({ read: 1, loaded: 1, quarantined: 0 });
    expect(await s.rows('select order_id, gross_minor from raw.orders')).toEqual([
      { order_id: 'REAL', gross_minor: 100 },
    ]);
  });
});
