import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CanonicalCsvError, inferTable, loadCanonicalCsv } from '../../../ingest/canonical-csv/index.js';
import { NOW, ONE_PROGRAM, scratch, TWO_PROGRAMS, type Scratch } from './helpers.js';

describe('inferTable', () => {
  it.each([
    ['orders.csv', 'orders'],
    ['orders-2025-01.csv', 'orders'],
    ['Referral_Events-week-03.CSV', 'referral_events'],
    ['experiment_assignments.csv', 'experiment_assignments'],
  ])('%s -> %s', (name, table) => {
    expect(inferTable(name)).toBe(table);
  });

  it.each(['order.csv', 'orders_2025.csv', 'orders.txt', 'ordersx.csv', 'export.csv'])('refuses %s', (name) => {
    expect(() => inferTable(name)).toThrow(
      `${name}: cannot tell the landing table from the file name; name it <table>.csv or <table>-<anything>.csv with <table> one of customers, orders, touches, referral_events, survey_responses, experiment_assignments, support_interactions, email_events, marketing_spend, fx_rates, or give the table explicitly`,
    );
  });
});

describe('loadCanonicalCsv file-level errors (nothing loaded)', () => {
  let s: Scratch;
  beforeEach(async () => {
    s = await scratch();
  });
  afterEach(async () => {
    await s.close();
  });

  /** Loads, expects a CanonicalCsvError with `message`, and checks that no row and no batch was written. */
  async function refused(
    name: string,
    content: string | Buffer,
    message: string,
    config = TWO_PROGRAMS,
    table?: string,
  ) {
    const file = s.write(name, content);
    const options = { file, config, now: NOW, ...(table ? { table } : {}) };
    const err = await loadCanonicalCsv(s.wh, options).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CanonicalCsvError);
    expect((err as Error).message).toBe(message);
    if (await s.wh.tableExists('raw', 'batches')) {
      expect(await s.count('raw.batches')).toBe(0);
      expect(await s.count('raw.quarantine')).toBe(0);
    }
  }

  it('names missing required columns', async () => {
    await refused(
      'orders.csv',
      'order_id,customer_id,program_id,ordered_at,status\nO-1,C-1,raf,2025-01-01,paid\n',
      'orders.csv: header does not match the orders layout: missing required columns currency, gross_amount. ' +
        'Expected columns: order_id, customer_id, program_id, ordered_at, currency, gross_amount, discount_amount, tax_amount, ' +
        'refunded_amount, refunded_at, status, chargeback_at, referral_code, payment_fingerprint, region, product_line ' +
        '(see ingest/canonical-csv/LAYOUTS.md)',
    );
    expect(await s.count('raw.orders')).toBe(0);
  });

  it('names unknown, duplicate and empty columns, with a hint for minor-unit money', async () => {
    await refused(
      'orders.csv',
      'order_id,customer_id,program_id,ordered_at,currency,gross_minor,gross_amount,status,Status,,coupon\n',
      'orders.csv: header does not match the orders layout: empty column name at position 10; duplicate columns status; ' +
        'unknown columns gross_minor, coupon (money is given in major units as gross_amount). ' +
        'Expected columns: order_id, customer_id, program_id, ordered_at, currency, gross_amount, discount_amount, tax_amount, ' +
        'refunded_amount, refunded_at, status, chargeback_at, referral_code, payment_fingerprint, region, product_line ' +
        '(see ingest/canonical-csv/LAYOUTS.md)',
    );
  });

  it('requires program_id when the config has several programs', async () => {
    await refused(
      'customers.csv',
      'customer_id,created_at\nC-1,2025-01-01\n',
      'customers.csv: header does not match the customers layout: missing required columns program_id ' +
        '(program_id is required when the config has several programs). Expected columns: customer_id, program_id, email, ' +
        'full_name, created_at, country, region, referral_code, referred_by_code, signup_ip, signup_device_id ' +
        '(see ingest/canonical-csv/LAYOUTS.md)',
    );
  });

  it('refuses an empty file', async () => {
    await refused('customers.csv', '', 'customers.csv: the file is empty (expected a header row)', ONE_PROGRAM);
  });

  it('refuses an unknown table name', async () => {
    await refused(
      'x.csv',
      'a\n',
      'x.csv: unknown table "order" (expected one of customers, orders, touches, referral_events, survey_responses, experiment_assignments, support_interactions, email_events, marketing_spend, fx_rates)',
      ONE_PROGRAM,
      'order',
    );
  });

  it('refuses a file that does not exist', async () => {
    const file = `${s.dir}/orders.csv`;
    await expect(loadCanonicalCsv(s.wh, { file, config: ONE_PROGRAM })).rejects.toThrow(
      /^orders\.csv: cannot read .*orders\.csv: ENOENT/,
    );
  });

  it('rolls back every chunk already appended when the CSV breaks late in the file', async () => {
    // 6,000 good rows (more than one 5,000-row append chunk and several read chunks), then an unclosed quote.
    const good = Array.from({ length: 6000 }, (_, i) => `C-${i},2025-01-01T00:00:00Z,customer${i}@example.com`);
    const content = [
      'customer_id,created_at,email',
      ...good,
      'C-x,2025-01-01,"never closed',
      'C-y,2025-01-01,y@example.com',
    ].join('\n');
    const file = s.write('customers.csv', content);
    const append = vi.spyOn(s.wh, 'appendRows');
    await expect(loadCanonicalCsv(s.wh, { file, config: ONE_PROGRAM })).rejects.toThrow(
      /^customers\.csv: CSV syntax error: Quote Not Closed/,
    );
    // The first 5,000-row chunk did reach raw.customers before the error; the rollback removed it.
    expect(append.mock.calls.map((c) => c[1])).toEqual(['customers']);
    expect(await s.count('raw.customers')).toBe(0);
    expect(await s.count('raw.quarantine')).toBe(0);
    expect(await s.count('raw.batches')).toBe(0);
  });
});
