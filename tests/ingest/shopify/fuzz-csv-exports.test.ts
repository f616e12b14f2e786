import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSourceError, type LoadReport } from '../../../ingest/file-source.js';
import { loadHubspotContacts } from '../../../ingest/hubspot-export/index.js';
import { loadShopifyOrders } from '../../../ingest/shopify/index.js';
import { loadStripePayments } from '../../../ingest/stripe-export/index.js';
import type { Warehouse } from '../../../src/warehouse/warehouse.js';
import { ONE_PROGRAM, scratch, type Scratch } from '../canonical-csv/helpers.js';
import { BAD_BYTES, BAD_DATES, BAD_NUMBERS, expectBatchAddsUp, pick, prng, splitRow } from './fuzz-helpers.js';

type Loader = (wh: Warehouse, o: { file: string; config: typeof ONE_PROGRAM }) => Promise<LoadReport>;

const VENDORS: { name: string; fixture: string; load: Loader }[] = [
  { name: 'shopify', fixture: 'tests/fixtures/shopify/orders_export_1.csv', load: loadShopifyOrders },
  { name: 'stripe-export', fixture: 'tests/fixtures/stripe-export/unified_payments.csv', load: loadStripePayments },
  {
    name: 'hubspot-export',
    fixture: 'tests/fixtures/hubspot-export/hubspot-crm-exports-all-contacts.csv',
    load: loadHubspotContacts,
  },
];

const csvField = (s: string) => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/** One mangled file: rows copied from the fixture with a seeded mix of damage. */
function mangledCsv(fixture: string, seed: number, rows: number, openQuotes: boolean): Buffer {
  const r = prng(seed);
  const [header, ...data] = readFileSync(fixture, 'utf8').trimEnd().split('\n');
  const parts: Buffer[] = [Buffer.from(`${header}\n`)];
  for (let i = 0; i < rows; i++) {
    const fields = splitRow(pick(r, data));
    let raw: string | null = null;
    let bytes: Buffer | null = null;
    const damage = r();
    const at = Math.floor(r() * fields.length);
    if (damage < 0.15) fields[at] = pick(r, BAD_DATES);
    else if (damage < 0.3) fields[at] = pick(r, BAD_NUMBERS);
    else if (damage < 0.4) fields[0] = '';
    else if (damage < 0.5) fields.splice(at, 1 + Math.floor(r() * 3));
    else if (damage < 0.55) fields.push('extra', 'fields');
    else if (damage < 0.62) fields[at] = `${fields[at]}"stray"quote`;
    else if (damage < 0.7) bytes = pick(r, BAD_BYTES);
    else if (damage < 0.72 && openQuotes) fields[at] = `"unclosed ${fields[at]}`;
    else if (damage < 0.75) raw = '';
    const line = raw ?? fields.map((f) => (f.startsWith('"unclosed') ? f : csvField(f))).join(',');
    const buf = Buffer.from(line);
    parts.push(bytes ? Buffer.concat([buf.subarray(0, 5), bytes, buf.subarray(5)]) : buf, Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

describe('vendor CSV exports under fuzzing', () => {
  let s: Scratch;
  beforeEach(async () => {
    s = await scratch();
  });
  afterEach(async () => {
    await s.close();
  });

  it('refuses a file whose quote never closes, clearly and without writing anything', async () => {
    const file = s.write('contacts.csv', 'Record ID,Create Date,Email\n1,2024-01-01,"unclosed a@b\n2,2024-01-01,x@y\n');
    await expect(loadHubspotContacts(s.wh, { file, config: ONE_PROGRAM })).rejects.toThrow(
      'contacts.csv: CSV syntax error: Quote Not Closed: the parsing is finished with an opening quote at line 3',
    );
    expect(await s.count('raw.quarantine')).toBe(0);
    expect(await s.count('raw.batches')).toBe(0);
  });

  for (const vendor of VENDORS) {
    it(`${vendor.name}: 3,000 mangled rows never crash and every batch adds up`, async () => {
      let loadedFiles = 0;
      for (let seed = 1; seed <= 12; seed++) {
        const openQuotes = seed % 4 === 0; // a field opening a quote it never closes: may be a file error
        const file = s.write(`${vendor.name}-${seed}.csv`, mangledCsv(vendor.fixture, seed, 250, openQuotes));
        try {
          const report = await vendor.load(s.wh, { file, config: ONE_PROGRAM });
          await expectBatchAddsUp(s.wh, report, expect);
          expect(report.quarantined).toBeGreaterThan(0);
          loadedFiles++;
        } catch (err) {
          if (!openQuotes || !(err instanceof FileSourceError)) throw err;
          expect(err.message).toMatch(new RegExp(`^${vendor.name}-${seed}\\.csv: CSV syntax error`));
        }
      }
      // Every file without an unclosed quote loads.
      expect(loadedFiles).toBeGreaterThanOrEqual(9);
    });
  }
});
