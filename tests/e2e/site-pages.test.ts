/**
 * End to end, every page of the site from the run's ONE shared demo build (fixtures/demo-site.ts: synthetic demo
 * data, 2,000 customers, seed 7 -> all models -> literal stand-ins for contract marts not built yet, only when
 * absent -> one Framework build) -> headless Chromium. For each page: it renders with no console error and no request leaving
 * 127.0.0.1; its headline numbers equal a direct SQL query of its mart; a light and a dark screenshot go to
 * tests/e2e/output/ (git-ignored). Then one more build with the new pages' marts dropped or emptied: each page
 * must say "No data yet". Also: every page's data file is under 1 MB and the site carries no email or IP address.
 */
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pseudonym, pseudonymSalt } from '../../src/site/pseudonym.js';
import { startStaticServer, type StaticServer } from '../../src/site/static-server.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb.js';
import { launchBrowser, offMachineRequests, type RecordedPage, type TestBrowser } from './fixtures/browser.js';
import { sharedDegradedSite, sharedDemoSite } from './fixtures/demo-site.js';
import { externalUrls, piiFindings } from './fixtures/dist-scan.js';

// Two site builds and a browser over ten pages: a few minutes on a shared machine.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 400_000 });

const OUTPUT = resolve(dirname(fileURLToPath(import.meta.url)), 'output');
const PAGES: { path: string; name: string; ready: string }[] = [
  { path: '', name: 'overview', ready: '[data-testid="overview-kpis"], [data-testid="overview-roi-empty"]' },
  { path: 'referral-funnel', name: 'referral-funnel', ready: '[data-testid="advocates-table"]' },
  {
    path: 'referral-tree',
    name: 'referral-tree',
    ready: '[data-testid="tree-roots-table"], [data-testid="tree-empty"]',
  },
  { path: 'attribution', name: 'attribution', ready: '[data-testid="reconciliation-status"]' },
  { path: 'cohorts-ltv', name: 'cohorts-ltv', ready: 'svg' },
  { path: 'experiments', name: 'experiments', ready: 'svg' },
  { path: 'rewards', name: 'rewards', ready: '[data-testid="upcoming-payouts"], [data-testid="payouts-empty"]' },
  { path: 'advocates', name: 'advocates', ready: '[data-testid="tiers-table"], [data-testid="advocates-empty"]' },
  { path: 'fraud', name: 'fraud', ready: '[data-testid="backtest-table"], [data-testid="backtest-empty"]' },
  { path: 'data-quality', name: 'data-quality', ready: '[data-testid="dq-table"], [data-testid="dq-empty"]' },
];

let warehousePath: string;
let siteDir: string;
let server: StaticServer | undefined;
let browser: TestBrowser;
const views = new Map<string, RecordedPage>();

/** Runs `sql` on the demo warehouse (read-only). */
async function sql<T>(text: string): Promise<T[]> {
  const wh = await DuckDBWarehouse.open({ path: warehousePath, readOnly: true });
  try {
    return (await wh.query<T>(text)).map((r) =>
      Object.fromEntries(Object.entries(r as object).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
    ) as T[];
  } finally {
    await wh.close();
  }
}

async function view(path: string): Promise<RecordedPage> {
  const open = views.get(path);
  if (open) return open;
  const page = PAGES.find((p) => p.path === path)!;
  const v = await browser.open(`${server!.url}${path}`);
  await v.page.waitForSelector(page.ready);
  views.set(path, v);
  return v;
}

/** The data-value of a stat card (a number; money in minor units). */
async function stat(v: RecordedPage, metric: string): Promise<number> {
  const value = await v.page.locator(`[data-testid="stat-${metric}"] .kpi-value`).getAttribute('data-value');
  expect(value, `stat-${metric}`).not.toBeNull();
  return Number(value);
}

async function statText(v: RecordedPage, metric: string): Promise<string> {
  return (await v.page.locator(`[data-testid="stat-${metric}"] .kpi-value`).textContent()) ?? '';
}

beforeAll(async () => {
  ({ warehousePath, siteDir } = await sharedDemoSite());
  server = await startStaticServer({ root: siteDir });
  browser = await launchBrowser();
  mkdirSync(OUTPUT, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('every page on the demo build', () => {
  it.each(PAGES.map((p) => [p.name, p.path]))(
    '%s renders offline without console errors; screenshots light and dark',
    async (name, path) => {
      const v = await view(path);
      expect(v.requests.length).toBeGreaterThan(3);
      expect(offMachineRequests(v.requests)).toEqual([]);
      for (const scheme of ['light', 'dark'] as const) {
        await v.page.emulateMedia({ colorScheme: scheme });
        await v.page.waitForTimeout(150);
        const background = await v.page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
        // The dark theme's background is near black, the light one white: the theme really switched.
        const [r] = (background.match(/\d+/g) ?? ['0']).map(Number);
        expect(scheme === 'dark' ? r! < 60 : r! > 200, `${name} ${scheme} background ${background}`).toBe(true);
        await v.page.screenshot({ path: join(OUTPUT, `${name}-${scheme}.png`), fullPage: true });
      }
      await v.page.emulateMedia({ colorScheme: 'light' });
      expect(v.errors).toEqual([]);
    },
  );

  it('the theme toggle switches to dark and back, whatever the system prefers', async () => {
    const v = await view('');
    await v.page.click('[data-testid="theme-toggle"]');
    expect(await v.page.evaluate(() => document.documentElement.dataset['theme'])).toBe('dark');
    await v.page.click('[data-testid="theme-toggle"]');
    expect(await v.page.evaluate(() => document.documentElement.dataset['theme'])).toBe('light');
  });

  it('keeps every data file under 1 MB and the site free of external URLs, emails and IPs', () => {
    const dataDir = join(siteDir, '_file', 'data');
    const sizes = readdirSync(dataDir).map((f) => [f, statSync(join(dataDir, f)).size] as const);
    expect(sizes.length).toBeGreaterThanOrEqual(20);
    for (const [file, size] of sizes) expect(size, file).toBeLessThan(1_000_000);
    expect(externalUrls(siteDir)).toEqual([]);
    expect(piiFindings(siteDir)).toEqual([]);
  });
});

describe('headline numbers equal the marts', () => {
  it('overview: referral revenue, share, ROI, CACs, payback, K-factor, velocity', async () => {
    const v = await view('');
    // The formulas of components/overview-metrics.js, over all programs and months.
    const [m] = await sql<Record<string, number>>(`
      select sum(referral_revenue_minor) as revenue,
        sum(roi * (reward_cost_cash_minor + reward_cost_non_cash_minor))
          / sum(case when roi is not null then reward_cost_cash_minor + reward_cost_non_cash_minor end) as roi,
        sum(referral_cac_minor * referred_customers)
          / sum(case when referral_cac_minor is not null then referred_customers end) as referral_cac,
        avg(paid_cac_minor) as paid_cac,
        sum(payback_months * referred_customers)
          / sum(case when payback_months is not null then referred_customers end) as payback,
        sum(conversions) / count(distinct month) as velocity,
        sum(k_factor * referred_customers)
          / sum(case when k_factor is not null then referred_customers end) as k_factor,
        min(month) as first_month, max(month) as last_month
      from main.program_roi`);
    const [orders] = await sql<{ net: number }>(
      `select sum(net_reporting_minor) as net from main.stg_orders
       where date_trunc('month', ordered_at) between (select min(month) from main.program_roi)
         and (select max(month) from main.program_roi)`,
    );
    expect(await stat(v, 'referral_revenue_minor')).toBe(m!['revenue']);
    expect(await stat(v, 'roi')).toBeCloseTo(m!['roi']!, 9);
    expect(await stat(v, 'referral_cac_minor')).toBeCloseTo(m!['referral_cac']!, 6);
    expect(await stat(v, 'paid_cac_minor')).toBeCloseTo(m!['paid_cac']!, 6);
    expect(await stat(v, 'payback_months')).toBeCloseTo(m!['payback']!, 9);
    expect(await stat(v, 'k_factor')).toBeCloseTo(m!['k_factor']!, 9);
    expect(await stat(v, 'velocity')).toBeCloseTo(m!['velocity']!, 9);
    expect(await stat(v, 'referral_share')).toBeCloseTo(m!['revenue']! / orders!.net, 12);
    expect(await statText(v, 'referral_revenue_minor')).toMatch(/^[A-Z]{3} [\d,]+(\.\d+)?$/);
  });

  it('overview: liability now and each scenario’s 12-month P50 payouts', async () => {
    const v = await view('');
    const [liability] = await sql<{ owed: number }>(
      `select sum(amount_minor) as owed from main.reward_liability where status in ('held', 'approved_unpaid')`,
    ).catch(() =>
      sql<{ owed: number }>('select sum(held_minor + approved_unpaid_minor) as owed from main.reward_liability'),
    );
    expect(await stat(v, 'liability_minor')).toBe(liability!.owed);
    const scenarios = await sql<{ scenario: string; p50: number }>(
      `select scenario, arg_max(cumulative_p50_minor, month) as p50 from main.payout_forecast group by 1 order by 1`,
    );
    expect(scenarios.length).toBeGreaterThan(0);
    for (const s of scenarios) expect(await stat(v, `forecast-${s.scenario}`)).toBe(s.p50);
    expect(await v.page.locator('[data-testid="forecast-fan"] svg path').count()).toBeGreaterThan(2);
  });

  it('referral tree: referrals per generation and the top advocate, pseudonymised', async () => {
    const v = await view('referral-tree');
    const gens = await sql<{ generation: number; referrals: number; converted: number }>(
      `select generation, count(*) as referrals, count(converted_at) as converted
       from main.referral_tree group by 1 order by 1`,
    );
    expect(await stat(v, 'referrals')).toBe(gens.reduce((s, g) => s + g.referrals, 0));
    for (const g of gens) {
      const row = v.page.locator(`[data-testid="generations-table"] tr[data-generation="${g.generation}"]`);
      expect(Number(await row.locator('[data-metric="referrals"]').getAttribute('data-value'))).toBe(g.referrals);
      expect(Number(await row.locator('[data-metric="converted"]').getAttribute('data-value'))).toBe(g.converted);
    }
    const [top] = await sql<{ program_id: string; root: string; n: number }>(
      `select program_id, root_advocate_id as root, count(*) as n from main.referral_tree
       where root_advocate_id is not null group by 1, 2
       order by program_id, n desc, count(converted_at) desc, root limit 1`,
    );
    const row = v.page.locator(`[data-testid="tree-roots-table"] tr[data-program="${top!.program_id}"][data-rank="1"]`);
    expect(await row.locator('[data-metric="advocate"]').textContent()).toBe(
      pseudonym(top!.root, 'adv', pseudonymSalt({})),
    );
    expect(Number(await row.locator('[data-metric="referrals"]').getAttribute('data-value'))).toBe(top!.n);
    // No raw customer id anywhere on the page.
    expect(await v.page.locator('main').textContent()).not.toMatch(/C\d{7}/);
  });

  it('cohorts: quality by channel and advocate tier equals ltv_comparison', async () => {
    const v = await view('cohorts-ltv');
    const rows = await sql<{ segment_type: string; segment: string; n: number; mean: number }>(
      `select segment_type, segment, n, mean from main.ltv_comparison
       where comparison = 'predicted_clv' and segment_type in ('channel', 'advocate_tier')`,
    );
    expect(rows.length).toBeGreaterThan(3);
    for (const r of rows) {
      const row = v.page.locator(`[data-testid="segments-${r.segment_type}"] tr[data-segment="${r.segment}"]`);
      expect(Number(await row.locator('[data-metric="n"]').getAttribute('data-value'))).toBe(r.n);
      expect(Number(await row.locator('[data-metric="mean"]').getAttribute('data-value'))).toBeCloseTo(r.mean, 9);
    }
  });

  it('advocates: ready-to-invite, scored customers and tiers', async () => {
    const v = await view('advocates');
    const [a] = await sql<{ n: number; ready: number }>(
      `select count(*) as n, sum(case when ready_to_invite then 1 else 0 end) as ready from main.advocate_scores`,
    );
    expect(await stat(v, 'ready_to_invite')).toBe(a!.ready);
    expect(await stat(v, 'customers')).toBe(a!.n);
    const tiers = await sql<{ tier: string; n: number }>(
      'select tier, count(*) as n from main.advocate_scores group by 1',
    );
    for (const t of tiers) {
      const cell = v.page.locator(`[data-testid="tiers-table"] tr[data-tier="${t.tier}"] [data-metric="customers"]`);
      expect(Number(await cell.getAttribute('data-value'))).toBe(t.n);
    }
  });

  it('fraud: flags per rule, the review queue and backtest precision/recall', async () => {
    const v = await view('fraud');
    const [f] = await sql<{ n: number }>('select count(distinct referral_id) as n from main.fraud_flags');
    expect(await stat(v, 'flagged_referrals')).toBe(f!.n);
    for (const r of await sql<{ rule: string; n: number }>(
      'select rule, count(*) as n from main.fraud_flags group by 1',
    )) {
      const cell = v.page.locator(`[data-testid="flags-table"] tr[data-rule="${r.rule}"] [data-metric="flags"]`);
      expect(Number(await cell.getAttribute('data-value'))).toBe(r.n);
    }
    const statuses = await sql<{ status: string; n: number }>(
      'select status, count(*) as n from main.review_queue group by 1',
    );
    for (const s of statuses) expect(await stat(v, s.status)).toBe(s.n);
    const pending = statuses.find((s) => s.status === 'pending')?.n ?? 0;
    expect(await v.page.locator('[data-testid="pending-table"] tbody tr').count()).toBe(Math.min(pending, 50));
    for (const b of await sql<{ rule: string; precision: number; recall: number }>(
      'select rule, "precision" as precision, recall from main.fraud_backtest',
    )) {
      const row = v.page.locator(`[data-testid="backtest-table"] tr[data-rule="${b.rule}"]`);
      expect(Number(await row.locator('[data-metric="precision"]').getAttribute('data-value'))).toBeCloseTo(
        b.precision,
        12,
      );
      expect(Number(await row.locator('[data-metric="recall"]').getAttribute('data-value'))).toBeCloseTo(b.recall, 12);
    }
    expect(await v.page.locator('main').textContent()).not.toMatch(/C\d{7}/);
  });

  it('data quality: sources, rows and statuses', async () => {
    const v = await view('data-quality');
    const [q] = await sql<{ read: number; quarantined: number; failing: number; n: number }>(
      `select sum(rows_read) as read, sum(rows_quarantined) as quarantined, count(*) as n,
         sum(case when status = 'fail' then 1 else 0 end) as failing from main.data_quality`,
    );
    expect(await stat(v, 'rows_read')).toBe(q!.read);
    expect(await stat(v, 'rows_quarantined')).toBe(q!.quarantined);
    expect(await stat(v, 'checks_fail')).toBe(q!.failing);
    expect(await v.page.locator('[data-testid="dq-table"] tbody tr').count()).toBe(q!.n);
  });

  it('referral funnel: counts by share channel equal stg_referral_events / stg_referrals; the date range cuts them', async () => {
    const v = await view('referral-funnel');
    // Written independently of the loader: invited/clicked by the event's channel; a referral's sign-up and
    // conversion under the channel of the referee's first signed_up event (models/marts/referrals/referral-funnel.ts
    // counts the same stg_referrals rows in the month of signed_up_at / converted_at).
    const channelSql = (where: string) => `
      with first_signup as (
        select program_id, referee_id, arg_min(share_channel, (occurred_at, event_id)) as share_channel
        from main.stg_referral_events where event_type = 'signed_up' and referee_id is not null group by 1, 2
      ),
      c as (
        select coalesce(share_channel, 'not tracked') as ch, date_trunc('month', occurred_at) as month,
          case when event_type = 'invited' then 1 else 0 end as invited,
          case when event_type = 'clicked' then 1 else 0 end as clicked, 0 as signed_up, 0 as converted
        from main.stg_referral_events where event_type in ('invited', 'clicked')
        union all
        select coalesce(f.share_channel, 'not tracked'), date_trunc('month', r.signed_up_at), 0, 0, 1, 0
        from main.stg_referrals r left join first_signup f using (program_id, referee_id)
        union all
        select coalesce(f.share_channel, 'not tracked'), date_trunc('month', r.converted_at), 0, 0, 0, 1
        from main.stg_referrals r left join first_signup f using (program_id, referee_id) where r.is_converted
      )
      select ch, sum(invited) as invited, sum(clicked) as clicked, sum(signed_up) as signed_up,
        sum(converted) as converted
      from c where month is not null ${where} group by 1`;
    const check = async (where: string) => {
      const rows = await sql<{ ch: string; invited: number; clicked: number; signed_up: number; converted: number }>(
        channelSql(where),
      );
      expect(rows.length).toBeGreaterThan(2);
      const table = v.page.locator('[data-testid="channel-table"]');
      expect(await table.locator('tbody tr').count()).toBe(rows.length);
      for (const r of rows)
        for (const metric of ['invited', 'clicked', 'signed_up', 'converted'] as const) {
          const cell = table.locator(`tr[data-channel="${r.ch}"] [data-metric="${metric}"]`);
          expect(Number(await cell.getAttribute('data-value')), `${r.ch} ${metric}`).toBe(r[metric]);
        }
      return rows;
    };
    const all = await check('');
    // Over all channels, conversions equal the referral_funnel mart's.
    const [mart] = await sql<{ converted: number }>('select sum(converted) as converted from main.referral_funnel');
    expect(all.reduce((s, r) => s + r.converted, 0)).toBe(mart!.converted);

    // Narrow the range to its last three months: the monthly table and the channel table follow.
    const months = await sql<{ m: string }>(
      `select distinct strftime(month, '%Y-%m-%d') as m from main.referral_funnel order by 1`,
    );
    const from = months[months.length - 3]!.m;
    const to = months[months.length - 1]!.m;
    const [fromSelect, toSelect] = [0, 1].map((i) => v.page.locator('[data-testid="month-range"] select').nth(i));
    await fromSelect!.selectOption({ index: months.length - 3 });
    await v.page.waitForFunction(
      () => document.querySelectorAll('[data-testid="monthly-table"] tbody tr').length === 3,
    );
    const shown = await v.page
      .locator('[data-testid="monthly-table"] tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-month')));
    expect(shown).toEqual(months.slice(-3).map((m) => m.m.slice(0, 7)));
    await check(`and month >= date '${from}' and month <= date '${to}'`);
    await fromSelect!.selectOption({ index: 0 });
    await v.page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="monthly-table"] tbody tr').length === n,
      months.length,
    );
    expect(await toSelect!.inputValue()).not.toBe('');
    expect(v.errors).toEqual([]);
  });

  it('rewards: tier distribution and rule versions in force equal reward_ledger', async () => {
    const v = await view('rewards');
    // Each advocate once per program, at the tier of their latest accrued advocate entry.
    const tiers = await sql<{ program_id: string; tier: string; n: number }>(
      `select program_id, coalesce(tier, 'no tier') as tier, count(*) as n from (
         select program_id, advocate_id,
           arg_max_null(tier, (qualified_at, effective_at, ledger_entry_id)) as tier
         from main.reward_ledger
         where entry_type = 'accrued' and beneficiary_role = 'advocate' and advocate_id is not null group by 1, 2
       ) group by 1, 2`,
    );
    expect(tiers.length).toBeGreaterThan(2);
    const tierTable = v.page.locator('[data-testid="tier-distribution"]');
    expect(await tierTable.locator('tbody tr').count()).toBe(tiers.length);
    for (const t of tiers) {
      const cell = tierTable.locator(
        `tr[data-program="${t.program_id}"][data-tier="${t.tier}"] [data-metric="advocates"]`,
      );
      expect(Number(await cell.getAttribute('data-value')), `${t.program_id} ${t.tier}`).toBe(t.n);
    }
    // The demo promotes nothing, so every version comes from the ledger: it starts at its first effective_at and
    // the last version of each rule set is in force.
    const versions = await sql<{ rule_set_id: string; version: number; from: string; n: number; last: boolean }>(
      `select rule_set_id, rule_version as version, strftime(min(effective_at), '%Y-%m-%d') as "from",
         count(*) as n, rule_version = max(rule_version) over (partition by rule_set_id) as last
       from main.reward_ledger group by 1, 2`,
    );
    const table = v.page.locator('[data-testid="rule-versions-in-force"]');
    expect(await table.locator('tbody tr').count()).toBe(versions.length);
    for (const r of versions) {
      const row = table.locator(`tr[data-rule-set="${r.rule_set_id}"][data-version="${r.version}"]`);
      expect(await row.getAttribute('data-in-force')).toBe(String(r.last));
      expect(await row.locator('[data-metric="effective_from"]').getAttribute('data-value')).toBe(r.from);
      expect(Number(await row.locator('[data-metric="ledger_entries"]').getAttribute('data-value'))).toBe(r.n);
      expect(await row.locator('[data-metric="origin"]').textContent()).toBe('config');
    }
    // The ledger chart's date range: narrowing it redraws without errors.
    const from = v.page.locator('[data-testid="ledger-month-range"] select').first();
    const options = await from.locator('option').count();
    await from.selectOption({ index: options - 2 });
    await from.selectOption({ index: 0 });
    expect(v.errors).toEqual([]);
  });

  it('rewards: payouts due equal payout_batches not yet exported', async () => {
    const v = await view('rewards');
    const [p] = await sql<{ amount: number; n: number }>(
      `select sum(amount_minor) as amount, count(*) as n from main.payout_batches where status = 'scheduled'`,
    );
    expect(await stat(v, 'upcoming_minor')).toBe(p!.amount ?? 0);
    expect(await v.page.locator('[data-testid="upcoming-payouts"] tbody tr').count()).toBe(Math.min(p!.n, 24));
  });
});

describe('with the new pages’ marts dropped or emptied', () => {
  const EMPTY: [string, string[]][] = [
    ['', ['overview-roi-empty', 'overview-forecast-empty']],
    ['referral-tree', ['tree-empty']],
    ['advocates', ['advocates-empty']],
    ['fraud', ['flags-empty', 'queue-empty', 'backtest-empty']],
    ['data-quality', ['dq-empty']],
    ['rewards', ['payouts-empty']],
  ];

  it('cohorts: a cohort_retention built before segment_type says "incomplete" and how to fix it', async () => {
    const v = await browser.open(`${emptyServer!.url}cohorts-ltv`);
    const box = v.page.locator('[data-testid="retention-empty"]');
    await box.waitFor();
    expect(await box.getAttribute('data-state')).toBe('incomplete');
    const text = await box.textContent();
    expect(text).toContain('segment_type');
    expect(text).toContain('rerun refstack run');
    expect(await v.page.locator('main').textContent()).not.toMatch(/Binder Error/i);
    await v.page.screenshot({ path: join(OUTPUT, 'cohorts-ltv-incomplete.png'), fullPage: true });
    expect(v.errors).toEqual([]);
  });
  let emptyServer: StaticServer | undefined;

  beforeAll(async () => {
    // The run's shared degraded build: these marts alternately emptied and dropped (fixtures/demo-site.ts).
    emptyServer = await startStaticServer({ root: (await sharedDegradedSite()).siteDir });
  });

  afterAll(async () => {
    await emptyServer?.close();
  });

  it.each(EMPTY)('/%s says "No data yet" and renders without errors', async (path, testids) => {
    const v = await browser.open(`${emptyServer!.url}${path}`);
    for (const testid of testids) {
      const box = v.page.locator(`[data-testid="${testid}"]`);
      await box.waitFor();
      expect(await box.textContent()).toContain('No data yet');
    }
    await v.page.screenshot({ path: join(OUTPUT, `${path || 'overview'}-empty.png`), fullPage: true });
    expect(v.errors).toEqual([]);
    expect(offMachineRequests(v.requests)).toEqual([]);
  });
});
