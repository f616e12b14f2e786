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
