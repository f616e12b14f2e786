/**
 * The SQL-first reader (load-sql.ts) against the JS reader: the same file loaded both ways must give the
 * same report, the same landed rows, the same quarantine rows (reason, message, record, row number) and the
 * same raw.batches row. Files DuckDB might read differently must be declined and loaded by the JS reader.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CSV_LAYOUTS } from '../../../ingest/canonical-csv/layouts.js';
import { loadCanonicalCsv, type LoadCanonicalCsvOptions } from '../../../ingest/canonical-csv/load.js';
import { SQL_ROW_CHECKS } from '../../../ingest/canonical-csv/sql-checks.js';
import type { RefstackConfig } from '../../../src/config.js';
import { DuckDBWarehouse } from '../../../src/warehouse/duckdb.js';
import { NOW, ONE_PROGRAM, scratch, TWO_PROGRAMS, type Scratch } from './helpers.js';

interface Loaded {
  engine: string;
  declined: string | null;
  report: unknown;
  tables: unknown;
}

async function loadWith(file: string, config: RefstackConfig, engine: LoadCanonicalCsvOptions['engine']) {
  const wh = await DuckDBWarehouse.open({ path: ':memory:' });
  try {
    const seen = { engine: '', declined: null as string | null };
    const report = await loadCanonicalCsv(wh, {
      file,
      config,
      now: NOW,
      engine,
      onEngine: (e, why) => Object.assign(seen, { engine: e, declined: why }),
    });
    const dump = async (sql: string) =>
      JSON.parse(JSON.stringify(await wh.query(sql), (_, v) => (typeof v === 'bigint' ? `${v}n` : v)));
    const tables = {
      landed: await dump(`select * from raw.${report.table} order by _row_number`),
      quarantine: await dump('select * from raw.quarantine order by _row_number'),
      batches: await dump('select * from raw.batches'),
    };
    return { ...seen, report, tables } satisfies Loaded;
  } finally {
    await wh.close();
  }
}

/** Loads `file` with the JS reader and with `auto`; asserts identical outcomes and returns the `auto` run. */
async function bothWays(file: string, config: RefstackConfig = ONE_PROGRAM): Promise<Loaded> {
  const js = await loadWith(file, config, 'js');
  const auto = await loadWith(file, config, 'auto');
  expect(js.engine).toBe('js');
  expect(auto.report).toEqual(js.report);
  expect(auto.tables).toEqual(js.tables);
  return auto;
}

const ORDERS =
  'order_id,customer_id,ordered_at,currency,gross_amount,discount_amount,tax_amount,refunded_amount,status';

describe('the SQL-first canonical CSV reader', () => {
  let s: Scratch;
  beforeEach(async () => {
    s = await scratch();
  });
  afterEach(async () => {
    await s.close();
  });

  it('has an SQL version of every cross-column check of every layout', () => {
    for (const layout of Object.values(CSV_LAYOUTS))
      expect([layout.table, SQL_ROW_CHECKS[layout.table].length]).toEqual([layout.table, layout.rowChecks.length]);
  });

  it('lands and quarantines orders exactly as the JS reader, value forms and reasons alike', async () => {
    const rows = [
      'O-1,C-1,2025-01-02T03:04:05.678+01:30,usd,12.5,1,0,0,paid', // offset, ms, lower-case currency
      'O-2,C-2,2025-02-30,USD,3,,,,paid', // impossible date
      'O-1,C-3,2025-01-01,JPY,1000.00,,,,PAID', // duplicate key; JPY with zero decimals
      'O-4,C-4,2025-01-01 10:00,KWD,1.2345,,,,paid', // too many decimals for KWD
      'O-5,C-5,2024-02-29T23:59:59Z,KWD,1.234,0.5,,,refunded', // leap day; 3 decimals
      'O-6,C-6,2025-03-04T10:00:00,EUR,1,,,,paid', // T form with no zone
      'O-7,C-7,2025-03-04t10:00:00z,EUR,+3,,,,paid', // lower-case t and z, plus sign
      'O-8,C-8,2025-03-04T10:00:00 Z,EUR,-0,,,,paid', // space before the zone and "-0": valid, via JS
      'O-9,C-9,2025-03-04T24:00:00Z,EUR,1,,,,paid', // hour 24
      'O-10,C-10,2025-03-04T10:00:00+15:00,EUR,1,,,,paid', // offset beyond 14:00
      'O-11,C-11,2025-03-04T10:00:00-0530,EUR,012.50,13,,,paid', // discount above gross
      'O-12,C-12,2025-03-04T10:00:00+01,EUR,10,2,1,9.01,paid', // refund above gross - discount + tax
      'O-13,C-13,2025-03-04T10:00:00+01,EUR,10,2,1,9.00,paid', // refund exactly at the bound
      'O-14,,2025-03-04,XXX,1e3,-2,,,shipped', // missing, unknown currency, exponent, negative, enum
      'O-15,C-15,0000-01-01,CLF,1.0001,,,,paid', // year 0, exponent 4
      'O-16,C-16,2025-03-04T10:00:00.123456789Z,BHD,99999999999999999.9,,,,paid', // nanoseconds; too large
      'O-17,C-17,2025-12-31T23:59:59.9Z,usd,0.10,,,,CanCeled',
      ',C-18,2025-01-01,USD,1,,,,paid', // missing key
    ];
    const auto = await bothWays(s.write('orders.csv', `${ORDERS}\n${rows.join('\n')}\n`));
    expect(auto.engine).toBe('sql');
    // Loaded: O-1, O-5, O-7, O-8 (via validateRow), O-13, O-15 (year 0, via validateRow), O-17.
    expect(auto.report).toMatchObject({ read: 18, loaded: 7, quarantined: 11 });
  });

  it('matches JS trimming: spaces, tabs, no-break and ideographic spaces, inner BOMs, quoted line ends', async () => {
    const rows = [
      ' O-1 , C-1 ,2025-01-01,USD, 1.00 ,,,, paid ',
      '\tO-2,C-2\t,2025-01-01,USD,2,,,,paid',
      'O-3\u00a0,C-3,\u30002025-01-01,USD,3,,,,paid\u2003',
      'O-4,C-\ufeff4,2025-01-01,USD,4,,,,paid',
      'O-2,C-5,2025-01-01,USD,5,,,,paid', // repeats O-2 once trimmed
      '"O-6\n",C-6,2025-01-01,USD,6,,,,paid',
      '"O-7\u200b",C-7,2025-01-01,USD,7,,,,paid', // a zero-width space is not whitespace to JS
    ];
    const auto = await bothWays(s.write('orders.csv', `${ORDERS}\n${rows.join('\n')}\n`));
    expect(auto.engine).toBe('sql');
    expect(auto.report).toMatchObject({ read: 7, loaded: 6, quarantined: 1 });
  });

  it('matches JS for every other column kind: program, int, bool, date, decimal, enum, composite keys', async () => {
    const survey =
      'response_id,program_id,survey_id,submitted_at,nps_score\n' +
      'R1,raf,S,2025-01-01,10\nR2,raf,S,2025-01-01,11\nR3,partners,S,2025-01-01,+5\nR4,raf,S,2025-01-01,-0\n' +
      'R5,raf,S,2025-01-01,7.0\nR6,nope,S,2025-01-01,seven\nR7,,S,2025-01-01,\n';
    expect((await bothWays(s.write('survey_responses.csv', survey), TWO_PROGRAMS)).engine).toBe('sql');
    const support =
      'interaction_id,customer_id,occurred_at,channel,satisfaction,resolved\n' +
      'I1,C,2025-01-01,Chat,5,Yes\nI2,C,2025-01-01,fax,0,maybe\nI3,C,2025-01-01,,1,N\nI4,C,2025-01-01,EMAIL,,T\n';
    expect((await bothWays(s.write('support_interactions.csv', support))).engine).toBe('sql');
    const spend =
      'month,channel_group,currency,spend_amount\n2025-01-01,Paid Search,EUR,1200.00\n' +
      '2025-01-15,Email,EUR,1\n2025-02-30,Email,EUR,1\n2025-03-01,Email,JPY,1.5\n';
    expect((await bothWays(s.write('marketing_spend.csv', spend))).engine).toBe('sql');
    const fx =
      'rate_date,currency,reporting_currency,rate\n2025-01-01,EUR,USD,1.0825\n2025-01-01,eur,usd,1.09\n' +
      '2025-01-02,EUR,USD,0\n2025-01-03,EUR,USD,"1,08"\n2025-01-04,GBP,USD,0.000123\n';
    expect((await bothWays(s.write('fx_rates.csv', fx))).engine).toBe('sql');
    const assignments =
      'experiment_id,variant,unit_id,unit_type,assigned_at\nE,a,U1,visitor,2025-01-01\n' +
      'E,b,U1,visitor,2025-01-01\nE,a,U2,Visitor,2025-01-01\n,a,U3,visitor,2025-01-01\nE,a,U3,robot,2025-01-01\n';
    expect((await bothWays(s.write('experiment_assignments.csv', assignments))).engine).toBe('sql');
    const emails =
      'event_id,event_type,occurred_at,recipient_email,provider\nM1,opened,2025-01-01,a@x.io,\nM2,read,2025-01-01,,mc\n';
    expect((await bothWays(s.write('email_events.csv', emails))).engine).toBe('sql');
  });

  it('reads BOM, CRLF and quoted fields through DuckDB, and matches a seeded mix of 3,000 rows', async () => {
    const pick = seeded(7);
    const values = {
      at: ['2025-01-01', '2025-02-29', '2025-03-04T10:00:00Z', '2025-03-04 10:00', '2025-03-04T10:00:00', 'x'],
      cur: ['USD', 'eur', 'JPY', 'KWD', 'XXX', ''],
      amount: ['1', '1.5', '1.505', '0', '-1', '"1,000"', '', '+2.10'],
      status: ['paid', 'REFUNDED', 'partially_refunded', 'lost', ''],
    };
    const lines = [ORDERS];
    for (let i = 1; i <= 3_000; i++) {
      const id = pick(10) === 0 ? `O-${pick(i)}` : `O-${i}`;
      const a = () => values.amount[pick(values.amount.length)]!;
      const name = pick(5) === 0 ? '"Doe, ""J"""' : `C-${i}`;
      lines.push(
        `${id},${name},${values.at[pick(6)]},${values.cur[pick(6)]},${a()},${a()},${a()},${a()},${values.status[pick(5)]}`,
      );
    }
    const auto = await bothWays(s.write('orders-mix.csv', `\ufeff${lines.join('\r\n')}\r\n`));
    expect(auto.engine).toBe('sql');
    expect((auto.report as { read: number }).read).toBe(3_000);
  });

  it('reports progress every 10,000 rows from inside the batch, as the JS reader does', async () => {
    const lines = ['order_id,customer_id,ordered_at,currency,gross_amount,status'];
    for (let i = 1; i <= 30_000; i++) lines.push(`O-${i},C-${i % 97},2025-01-01T00:00:00Z,USD,${i}.07,paid`);
    const file = s.write('orders.csv', `${lines.join('\n')}\n`);
    const seen: number[] = [];
    let engine = '';
    const report = await loadCanonicalCsv(s.wh, {
      file,
      config: ONE_PROGRAM,
      onProgress: (n) => seen.push(n),
      onEngine: (e) => (engine = e),
    });
    expect(engine).toBe('sql');
    expect(seen).toEqual([10_000, 20_000, 30_000]);
    expect(report).toMatchObject({ read: 30_000, loaded: 30_000, quarantined: 0 });
  });

  it.each([
    ['a stray quote', 'O-1,C-1,2025-01-01,USD,1,,,,pa"id\n', 'a quote inside an unquoted field'],
    ['a space before a quote', 'O-1, "C-1",2025-01-01,USD,1,,,,paid\n', 'a quote inside an unquoted field'],
    ['a wrong field count', 'O-1,C-1,2025-01-01,USD,1,,,paid\n', "DuckDB's strict reader refused it"],
    ['invalid UTF-8', Buffer.from([0x4f, 0xff, 0x2c]), "DuckDB's strict reader refused it"],
    // DuckDB refuses this one itself; the byte scan would decline it too.
    ['mixed line ends', 'O-1,C-1,2025-01-01,USD,1,,,,paid\r\nO-2,C-1,2025-01-01,USD,1,,,,paid\n', 'refused it'],
  ])('declines a file with %s and loads it with the JS reader', async (_, body, why) => {
    const rest = typeof body === 'string' ? Buffer.from(body) : Buffer.concat([body, Buffer.from(',,,,,,,\n')]);
    const auto = await bothWays(s.write('orders.csv', Buffer.concat([Buffer.from(`${ORDERS}\n`), rest])));
    expect(auto.engine).toBe('js');
    expect(auto.declined).toContain(why);
  });
});

/** A small deterministic generator (mulberry32): `pick(n)` is an integer in [0, n). */
function seeded(seed: number): (n: number) => number {
  let a = seed;
  return (n) => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}
