/**
 * The generator at a small scale (3,000 customers, 18 months from 2025-01-01) on in-memory DuckDB:
 * determinism, idempotent reruns, lineage, referential integrity and the fraud ring's ground truth.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LANDING_TABLE_NAMES as ALL_LANDING_TABLES,
  LANDING_TABLES,
  type LandingTable,
} from '../../../ingest/landing-schema.js';

// Landing tables the generator does not fill yet (none left).
const NOT_GENERATED_YET = new Set<string>([]);
const LANDING_TABLE_NAMES = ALL_LANDING_TABLES.filter((t) => !NOT_GENERATED_YET.has(t));
/** fx_rates is the one landing table without a program_id. */
const hasProgram = (t: LandingTable) => LANDING_TABLES[t].some((c) => c.name === 'program_id');
import { generateSynthetic, syntheticFraudRing, type SyntheticOptions } from '../../../ingest/synthetic/index.js';
import { DuckDBWarehouse } from '../../../src/warehouse/duckdb.js';
import type { Warehouse } from '../../../src/warehouse/warehouse.js';

const OPTIONS: SyntheticOptions = {
  customers: 3_000,
  seed: 42,
  start: '2025-01-01',
  months: 18,
  programs: [
    { id: 'friends', kind: 'customer_referral' },
    { id: 'partners', kind: 'affiliate' },
    { id: 'nordics-pilot', kind: 'pilot', region: 'Nordics' },
  ],
};

/** Per table: row count and an md5 of every row (all columns) in `_row_number` order. */
async function checksums(wh: Warehouse): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of LANDING_TABLE_NAMES) {
    const [row] = await wh.query<{ n: number; h: string }>(
      `select count(*) as n, md5(string_agg(cast(t as varchar), chr(10) order by _row_number)) as h from raw.${table} t`,
    );
    out[table] = `${row!.n}:${row!.h}`;
  }
  return out;
}

const one = async <T extends Record<string, unknown>>(wh: Warehouse, sql: string): Promise<T> =>
  (await wh.query<T>(sql))[0]!;

let wh: DuckDBWarehouse;
let report: Awaited<ReturnType<typeof generateSynthetic>>;
let first: Record<string, string>;
beforeAll(async () => {
  wh = await DuckDBWarehouse.open({ path: ':memory:', threads: 1 });
  report = await generateSynthetic(wh, OPTIONS);
  first = await checksums(wh);
});
afterAll(async () => {
  await wh.close();
});

describe('generateSynthetic: determinism and reruns', () => {
  it('fills every landing table and reports rows and stage times', () => {
    expect(report.rows.customers).toBe(3_000);
    for (const table of LANDING_TABLE_NAMES) expect(report.rows[table]).toBeGreaterThan(0);
    expect(report.stages.map((s) => s.name)).toContain('touches');
    expect(report.gammaFallbacks).toBe(0);
    expect(report.purchaseCapHits).toBe(0);
  });

  it('gives byte-identical tables for the same seed, on 1 or 2 threads, and different ones for another seed', async () => {
    const again = await DuckDBWarehouse.open({ path: ':memory:', threads: 2 });
    const other = await DuckDBWarehouse.open({ path: ':memory:', threads: 2 });
    try {
      await generateSynthetic(again, OPTIONS);
      expect(await checksums(again)).toEqual(first);
      await generateSynthetic(other, { ...OPTIONS, seed: 43 });
      const differ = await checksums(other);
      for (const table of LANDING_TABLE_NAMES) expect(differ[table]).not.toBe(first[table]);
    } finally {
      await again.close();
      await other.close();
    }
  });

  it('replaces its own rows on a rerun and keeps rows from other sources', async () => {
    await wh.exec(`insert into raw.customers (customer_id, program_id, created_at, _source, _batch_id, _row_number, _loaded_at)
      values ('X1', 'friends', timestamp '2025-02-01', 'canonical-csv:customers.csv', 'b1', 1, timestamp '2025-03-01')`);
    const rerun = await generateSynthetic(wh, OPTIONS);
    expect(rerun.rows).toEqual(report.rows);
    const { kept } = await one<{ kept: number }>(
      wh,
      `select count(*) as kept from raw.customers where _source <> 'synthetic'`,
    );
    expect(kept).toBe(1);
    await wh.exec(`delete from raw.customers where _source <> 'synthetic'`);
    expect(await checksums(wh)).toEqual(first);
  });
});

describe('generateSynthetic: options', () => {
  it('writes into another raw schema, in EUR, with a program that fixes its product line', async () => {
    const other = await DuckDBWarehouse.open({ path: ':memory:', threads: 2 });
    try {
      const r = await generateSynthetic(other, {
        ...OPTIONS,
        customers: 1_000,
        rawSchema: 'landing',
        reportingCurrency: 'EUR',
        programs: [{ id: 'shop', kind: 'customer_referral', productLine: 'premium' }],
      });
      const row = await one<Record<string, unknown>>(
        other,
        `select count(*) as n, string_agg(distinct product_line, ',') as lines, string_agg(distinct program_id, ',') as programs
         from landing.orders`,
      );
      expect(row).toEqual({ n: r.rows.orders, lines: 'premium', programs: 'shop' });
      expect(await other.tableExists('raw', 'orders')).toBe(false);
      // No scratch table outlives the run.
      const { scratch } = await one<{ scratch: number }>(
        other,
        `select count(*) as scratch from duckdb_tables() where table_name like '_syn_%'`,
      );
      expect(scratch).toBe(0);
    } finally {
      await other.close();
    }
  });
});

describe('generateSynthetic: lineage and ranges', () => {
  it('sets lineage on every row: source, batch id, 1..n row numbers, loaded at the observation end', async () => {
    for (const table of LANDING_TABLE_NAMES) {
      const row = await one<Record<string, unknown>>(
        wh,
        `select count(*) as n, count(distinct _row_number) as distinct_rows, min(_row_number) as lo, max(_row_number) as hi,
          count(*) filter (where _source = 'synthetic' and _batch_id = '${report.batchId}') as lineage,
          count(distinct _loaded_at) as loaded, cast(max(_loaded_at) as varchar) as loaded_at,
          ${hasProgram(table) ? 'count(*) filter (where program_id is null)' : '0'} as no_program
        from raw.${table}`,
      );
      const n = row['n'];
      expect(row).toEqual({
        n,
        distinct_rows: n,
        lo: 1,
        hi: n,
        lineage: n,
        loaded: 1,
        loaded_at: '2026-07-01 00:00:00',
        no_program: 0,
      });
    }
  });

  it('lands one EUR -> USD rate per month, on the first, within usdPerUnit 1.08 +- 1%, as 4-decimal strings', async () => {
    const rows = await wh.query<{ currency: string; reporting_currency: string; rate_date: string; rate: string }>(
      `select currency, reporting_currency, cast(rate_date as varchar) as rate_date, rate from raw.fx_rates order by rate_date`,
    );
    // 18 months from 2025-01-01: 2025-01-01 .. 2026-06-01; the regions use USD and EUR only.
    expect(rows).toHaveLength(18);
    expect(rows[0]!.rate_date).toBe('2025-01-01');
    expect(rows[17]!.rate_date).toBe('2026-06-01');
    for (const r of rows) {
      expect([r.currency, r.reporting_currency]).toEqual(['EUR', 'USD']);
      expect(r.rate).toMatch(/^1\.0[6-9]\d\d$/);
      expect(Math.abs(Number(r.rate) - 1.08)).toBeLessThanOrEqual(0.0108 + 1e-9); // 1% of 1.08
    }
    expect(new Set(rows.map((r) => r.rate)).size).toBeGreaterThan(1);
  });

  it('keeps ids unique per table and every timestamp in [2025-01-01, 2026-07-01)', async () => {
    const ids: Record<string, string> = {
      customers: 'customer_id',
      orders: 'order_id',
      touches: 'touch_id',
      referral_events: 'event_id',
      survey_responses: 'response_id',
      support_interactions: 'interaction_id',
      experiment_assignments: `experiment_id || unit_id || variant`,
    };
    for (const [table, id] of Object.entries(ids)) {
      const { dupes } = await one<{ dupes: number }>(
        wh,
        `select count(*) - count(distinct ${id}) as dupes from raw.${table}`,
      );
      expect(dupes, table).toBe(0);
    }
    const times = [
      'customers.created_at',
      'orders.ordered_at',
      'orders.refunded_at',
      'orders.chargeback_at',
      'touches.occurred_at',
      'referral_events.occurred_at',
      'survey_responses.submitted_at',
      'experiment_assignments.assigned_at',
      'support_interactions.occurred_at',
    ];
    for (const t of times) {
      const [table, column] = t.split('.') as [string, string];
      const { outside } = await one<{ outside: number }>(
        wh,
        `select count(*) as outside from raw.${table} where ${column} < timestamp '2025-01-01' or ${column} >= timestamp '2026-07-01'`,
      );
      expect(outside, t).toBe(0);
    }
  });

  it('uses only fake emails and documentation IP ranges', async () => {
    const row = await one<{ bad_email: number; bad_ip: number }>(
      wh,
      `select count(*) filter (where email not like '%@example.com') as bad_email,
        count(*) filter (where not (signup_ip like '2001:db8:%' or signup_ip like '192.0.2.%' or signup_ip like '198.51.100.%' or signup_ip like '203.0.113.%')) as bad_ip
      from raw.customers`,
    );
    expect(row).toEqual({ bad_email: 0, bad_ip: 0 });
  });
});

describe('generateSynthetic: referential integrity', () => {
  it('links orders, touches, surveys, support and experiment units to existing customers', async () => {
    const orphans = await one<Record<string, number>>(
      wh,
      `select
        (select count(*) from raw.orders o where not exists (select 1 from raw.customers c where c.customer_id = o.customer_id)) as orders,
        (select count(*) from raw.touches t where t.customer_id is not null and not exists (select 1 from raw.customers c where c.customer_id = t.customer_id)) as touches,
        (select count(*) from raw.survey_responses s where not exists (select 1 from raw.customers c where c.customer_id = s.customer_id)) as surveys,
        (select count(*) from raw.support_interactions s where not exists (select 1 from raw.customers c where c.customer_id = s.customer_id)) as support,
        (select count(*) from raw.experiment_assignments e where not exists (select 1 from raw.customers c where c.customer_id = e.unit_id)) as units`,
    );
    expect(orphans).toEqual({ orders: 0, touches: 0, surveys: 0, support: 0, units: 0 });
  });

  it("signs up referees that exist and carry the advocate's code, and converts them on their first order", async () => {
    const row = await one<Record<string, number>>(
      wh,
      `select
        count(*) filter (where e.event_type = 'signed_up') as signups,
        count(*) filter (where e.event_type = 'signed_up' and (c.customer_id is null or c.referred_by_code <> e.referral_code or a.referral_code <> e.referral_code or c.created_at <> e.occurred_at)) as bad_signups,
        count(*) filter (where e.event_type = 'converted') as conversions,
        count(*) filter (where e.event_type = 'converted' and (o.order_id is null or o.customer_id <> e.referee_id or o.ordered_at <> e.occurred_at or o.referral_code <> e.referral_code)) as bad_conversions,
        (select count(*) from raw.customers where referred_by_code is not null) as referred_customers,
        (select count(distinct c.customer_id) from raw.customers c join raw.orders o using (customer_id) where c.referred_by_code is not null) as referred_buyers
      from raw.referral_events e
      left join raw.customers c on c.customer_id = e.referee_id
      left join raw.customers a on a.customer_id = e.advocate_id
      left join raw.orders o on o.order_id = e.order_id`,
    );
    expect(row['bad_signups']).toBe(0);
    expect(row['bad_conversions']).toBe(0);
    // The funnel matches the customer and order tables exactly.
    expect(row['signups']).toBe(row['referred_customers']);
    expect(row['conversions']).toBe(row['referred_buyers']);
    const funnel = await one<{ invited: number; clicked: number; signed_up: number }>(
      wh,
      `select count(*) filter (where event_type = 'invited') as invited, count(*) filter (where event_type = 'clicked') as clicked,
        count(*) filter (where event_type = 'signed_up') as signed_up from raw.referral_events`,
    );
    expect(funnel.clicked).toBeGreaterThan(funnel.signed_up);
    expect(funnel.invited).toBeGreaterThan(0);
  });

  it('gives every anonymous id with an identified touch exactly one customer, and every customer one such id', async () => {
    const row = await one<{ ambiguous: number; customers_without: number }>(
      wh,
      `select
        (select count(*) from (select anonymous_id from raw.touches where customer_id is not null group by 1 having count(distinct customer_id) > 1)) as ambiguous,
        (select count(*) from raw.customers c where not exists (select 1 from raw.touches t where t.customer_id = c.customer_id)) as customers_without`,
    );
    expect(row).toEqual({ ambiguous: 0, customers_without: 0 });
  });

  it('encodes channels in UTMs: cpc search, paid social, email, referral codes in page urls', async () => {
    const rows = await wh.query<{ utm_source: string; utm_medium: string }>(
      `select distinct utm_source, utm_medium from raw.touches where utm_source is not null order by 1, 2`,
    );
    expect(rows).toEqual([
      { utm_source: 'bing', utm_medium: 'cpc' },
      { utm_source: 'crm', utm_medium: 'email' },
      { utm_source: 'facebook', utm_medium: 'cpc' },
      { utm_source: 'facebook', utm_medium: 'paid_social' },
      { utm_source: 'google', utm_medium: 'cpc' },
      { utm_source: 'instagram', utm_medium: 'cpc' },
      { utm_source: 'instagram', utm_medium: 'paid_social' },
      { utm_source: 'newsletter', utm_medium: 'email' },
      { utm_source: 'referral', utm_medium: 'referral' },
      { utm_source: 'tiktok', utm_medium: 'cpc' },
      { utm_source: 'tiktok', utm_medium: 'paid_social' },
    ]);
    const { bad } = await one<{ bad: number }>(
      wh,
      `select count(*) as bad from raw.touches t where t.page_url like '%?ref=%'
        and not exists (select 1 from raw.customers c where t.page_url like '%?ref=' || c.referral_code || '%')`,
    );
    expect(bad).toBe(0);
  });
});

describe('generateSynthetic: the fraud ring', () => {
  it('lists 3 advocates and 45 referees sharing one device, IP and payment fingerprint, with a 25-sign-up burst in a day', async () => {
    const ring = syntheticFraudRing(OPTIONS);
    expect(report.fraudRing).toEqual(ring);
    expect([ring.advocateIds.length, ring.refereeIds.length]).toEqual([3, 45]);
    const ids = [...ring.advocateIds, ...ring.refereeIds].map((id) => `'${id}'`).join(', ');
    const shared = await one<Record<string, number>>(
      wh,
      `select count(*) as n, count(distinct signup_device_id) as devices, count(distinct signup_ip) as ips,
        (select count(distinct payment_fingerprint) from raw.orders where customer_id in (${ids})) as payments,
        (select count(*) from raw.customers where signup_device_id = min(c.signup_device_id)) as on_device
      from raw.customers c where customer_id in (${ids})`,
    );
    // 48 accounts, nobody else on the ring's device.
    expect(shared).toEqual({ n: 48, devices: 1, ips: 1, payments: 1, on_device: 48 });
    const burst = await one<{ n: number; days: number }>(
      wh,
      `select count(*) as n, count(distinct cast(created_at as date)) as days from raw.customers
       where referred_by_code = (select referral_code from raw.customers where customer_id = '${ring.burstAdvocateId}')`,
    );
    expect(burst).toEqual({ n: 25, days: 1 });
    // Ring referees order once each, shortly after sign-up; outcome shares 0.25 / 0.60 / 0.15, so with 45
    // orders at least half are refunded or charged back (P(fewer) < 1e-4 under Binomial(45, 0.85)).
    const orders = await one<{ n: number; bad: number }>(
      wh,
      `select count(*) as n, count(*) filter (where status in ('refunded', 'chargeback')) as bad from raw.orders
       where customer_id in (${ring.refereeIds.map((id) => `'${id}'`).join(', ')})`,
    );
    expect(orders.n).toBe(45);
    expect(orders.bad).toBeGreaterThan(22);
  });
});
