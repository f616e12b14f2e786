import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCanonicalCsv, type LoadReport } from '../../../ingest/canonical-csv/index.js';
import { NOW, ONE_PROGRAM, scratch, type Scratch } from './helpers.js';

// 50,000 generated orders. Row i (1-based) has gross i.07 USD = i * 100 + 7 cents, except every 1,000th row,
// which is negative (-1.00) and must be quarantined. The file is read in chunks, never held as rows.
const N = 50_000;
const BAD_EVERY = 1_000;

function* lines(): Generator<string> {
  yield 'order_id,customer_id,ordered_at,currency,gross_amount,status\n';
  for (let i = 1; i <= N; i++) {
    const gross = i % BAD_EVERY === 0 ? '-1.00' : `${i}.07`;
    yield `O-${i},C-${i % 997},2025-01-01T00:00:00Z,USD,${gross},paid\n`;
  }
}

describe('a 50,000-row canonical CSV', () => {
  let s: Scratch;
  let report: LoadReport;
  beforeAll(async () => {
    s = await scratch();
    const file = s.write('orders-bulk.csv', [...lines()].join(''));
    report = await loadCanonicalCsv(s.wh, { file, config: ONE_PROGRAM, now: NOW });
  });
  afterAll(async () => {
    await s.close();
  });

  it('accounts for every row: read = loaded + quarantined', async () => {
    // 50,000 / 1,000 = 50 negative rows.
    expect(report).toMatchObject({ read: 50_000, loaded: 49_950, quarantined: 50, reasons: { negative_amount: 50 } });
    expect(await s.rows('select read, loaded, quarantined from raw.batches')).toEqual([
      { read: 50_000, loaded: 49_950, quarantined: 50 },
    ]);
    expect(await s.count('raw.orders')).toBe(49_950);
    expect(await s.count('raw.quarantine')).toBe(50);
  });

  it('lands every amount exactly', async () => {
    // sum over good i of (100 i + 7) = 100 * (sum 1..50000 - 1000 * sum 1..50) + 7 * 49,950
    //   = 100 * (1,250,025,000 - 1,275,000) + 349,650 = 124,875,000,000 + 349,650 = 124,875,349,650.
    // Row numbers are 1..50,000 with the 50 multiples of 1,000 missing: max 49,999.
    expect(await s.rows('select sum(gross_minor) as total, max(_row_number) as last from raw.orders')).toEqual([
      { total: 124_875_349_650, last: 49_999 },
    ]);
  });
});
