/**
 * End to end: synthetic demo (2,000 customers) -> all models -> the Framework site -> headless Chromium, for the
 * "Attribution" page. Per-model totals (conversions and revenue, all programs and per program), the
 * reconciliation per model and the dark-social share must equal direct queries of attribution_summary,
 * attribution_reconciliation and dark_social_share. A second build from a copy of the warehouse with one model's
 * day knocked out of balance and the other two marts emptied must show the red "not reconciled" status and the
 * empty states. Screenshots go to <tmpdir>/refstack-site-screenshots/.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startStaticServer, type StaticServer } from '../../src/site/static-server.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb.js';
import { sharedDegradedSite, sharedDemoSite } from './fixtures/demo-site.js';
import { launchBrowser, offMachineRequests, type RecordedPage, type TestBrowser } from './fixtures/browser.js';
import { parseDisplayedInteger } from './fixtures/funnel-page.js';

vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });

const SCREENSHOTS = join(tmpdir(), 'refstack-site-screenshots');

interface ModelTotal {
  program_id: string | null;
  model: string;
  conversions: number;
  revenue_minor: number;
}
interface Reconciliation {
  model: string;
  order_revenue_minor: number;
  attributed_revenue_minor: number;
  unattributed_revenue_minor: number;
  difference_minor: number;
  abs_difference_minor: number;
}
interface Facts {
  currency: string;
  programs: string[];
  totals: ModelTotal[];
  reconciliation: Reconciliation[];
  dark: { dark_social: number; respondents: number; share: number };
}

async function martFacts(warehousePath: string): Promise<Facts> {
  const wh = await DuckDBWarehouse.open({ path: warehousePath, readOnly: true });
  try {
    const [currencies, totals, reconciliation, dark] = await Promise.all([
      wh.query<{ c: string }>('select distinct currency as c from main.attribution_summary'),
      wh.query<ModelTotal>(
        `select program_id, model, sum(conversions) as conversions, cast(sum(revenue_minor) as bigint) as revenue_minor
         from main.attribution_summary group by grouping sets ((program_id, model), (model)) order by model`,
      ),
      wh.query<Reconciliation>(
        `select model, cast(sum(order_revenue_minor) as bigint) as order_revenue_minor,
           cast(sum(attributed_revenue_minor) as bigint) as attributed_revenue_minor,
           cast(sum(unattributed_revenue_minor) as bigint) as unattributed_revenue_minor,
           cast(sum(difference_minor) as bigint) as difference_minor,
           cast(sum(abs(difference_minor)) as bigint) as abs_difference_minor
         from main.attribution_reconciliation group by model order by model`,
      ),
      wh.query<{ dark_social: number; respondents: number; share: number }>(
        `select cast(sum(dark_social) as bigint) as dark_social, cast(sum(respondents) as bigint) as respondents,
           sum(dark_social) / sum(respondents) as share from main.dark_social_share`,
      ),
    ]);
    expect(currencies).toHaveLength(1);
    return {
      currency: currencies[0]!.c,
      programs: [...new Set(totals.flatMap((t) => (t.program_id === null ? [] : [t.program_id])))].sort(),
      totals,
      reconciliation,
      dark: dark[0]!,
    };
  } finally {
    await wh.close();
  }
}

type Cells = Record<string, string>;
async function readPage(page: RecordedPage['page'], program = 'all', measure = 'conversions') {
  await page.waitForSelector(
    `[data-testid="attribution-matrix"][data-program="${program}"][data-measure="${measure}"]`,
    { state: 'attached' },
  );
  return page.evaluate(() => {
    const cells = (root: Element): Cells =>
      Object.fromEntries(
        [...root.querySelectorAll('[data-metric]')].map((c) => [c.getAttribute('data-metric'), c.textContent ?? '']),
      );
    const rows = (testid: string) =>
      Object.fromEntries(
        [...document.querySelectorAll(`[data-testid="${testid}"] tbody tr`)].map((tr) => [
          tr.getAttribute('data-model'),
          cells(tr),
        ]),
      );
    const status = document.querySelector('[data-testid="reconciliation-status"]');
    const dark = document.querySelector('[data-testid="dark-social"]');
    return {
      matrix: rows('attribution-matrix'),
      reconciliation: rows('reconciliation-table'),
      status: status?.getAttribute('data-status') ?? null,
      statusText: status?.textContent ?? '',
      dark: dark ? cells(dark) : {},
      darkText: dark?.textContent ?? '',
      bars: document.querySelectorAll('[data-testid="attribution-chart"] svg rect').length,
      noAttribution: document.querySelector('[data-testid="no-attribution"]')?.textContent ?? null,
    };
  });
}

/** "1,370.0" -> 1370 (credited conversions shown with one decimal). */
const credit = (text: string) => Number(text.replace(/,/g, ''));

describe('attribution page on the synthetic demo', () => {
  let facts: Facts;
  let demoWarehouse: string;
  let server: StaticServer;
  let brokenServer: StaticServer;
  let browser: TestBrowser;
  let view: RecordedPage;
  let brokenView: RecordedPage;

  beforeAll(async () => {
    // The run's shared demo build (2,000 customers, seed 7): read-only, copied before any change.
    const { warehousePath, siteDir } = await sharedDemoSite();
    facts = await martFacts(warehousePath);
    demoWarehouse = warehousePath;
    // The run's shared degraded build: linear credits 7 minor units too much on its first day, and the other
    // two marts are empty (fixtures/demo-site.ts, DEGRADATIONS).
    const broken = await sharedDegradedSite();
    server = await startStaticServer({ root: siteDir });
    brokenServer = await startStaticServer({ root: broken.siteDir });
    browser = await launchBrowser();
    view = await browser.open(`${server.url}attribution`);
    brokenView = await browser.open(`${brokenServer.url}attribution`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await view.page.screenshot({ path: join(SCREENSHOTS, 'attribution.png'), fullPage: true });
    await brokenView.page.screenshot({ path: join(SCREENSHOTS, 'attribution-unreconciled.png'), fullPage: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await brokenServer?.close();
  });

  const allPrograms = () => facts.totals.filter((t) => t.program_id === null);

  it('has attribution worth checking', () => {
    expect(allPrograms().length).toBeGreaterThan(3);
    expect(facts.programs.length).toBeGreaterThan(1);
    expect(facts.dark.respondents).toBeGreaterThan(0);
  });

  it("shows each model's credited conversions, and after switching, its revenue, equal to the mart", async () => {
    const page = await readPage(view.page);
    expect(Object.keys(page.matrix).sort()).toEqual(
      allPrograms()
        .map((t) => t.model)
        .sort(),
    );
    for (const t of allPrograms()) expect(credit(page.matrix[t.model]!['total']!)).toBeCloseTo(t.conversions, 1);
    expect(page.bars).toBeGreaterThan(allPrograms().length);
    await view.page.getByLabel(`Revenue (${facts.currency})`).check();
    const revenue = await readPage(view.page, 'all', 'revenue');
    for (const t of allPrograms()) {
      expect(revenue.matrix[t.model]!['total']).toMatch(new RegExp(`^${facts.currency} [\\d,]+\\.\\d\\d$`));
      expect(parseDisplayedInteger(revenue.matrix[t.model]!['total']!)).toBe(t.revenue_minor);
    }
    await view.page.getByLabel('Conversions').check();
  });

  it("switches the model totals to the selected program's", async () => {
    for (const program of facts.programs) {
      await view.page.locator('form select').first().selectOption({ label: program });
      const page = await readPage(view.page, program);
      for (const t of facts.totals.filter((x) => x.program_id === program))
        expect(credit(page.matrix[t.model]!['total']!)).toBeCloseTo(t.conversions, 1);
    }
    await view.page.locator('form select').first().selectOption({ label: 'All programs' });
    await readPage(view.page);
  });

  it('with every month selected shows the all-time totals; a narrower range equals the mart summed over it', async () => {
    const wh = await DuckDBWarehouse.open({ path: demoWarehouse, readOnly: true });
    let months: string[];
    let ranged: { model: string; conversions: number; revenue_minor: number }[];
    let from: string;
    let to: string;
    try {
      months = (
        await wh.query<{ m: string }>(
          'select distinct cast(month as varchar) as m from main.attribution_summary where month is not null order by m',
        )
      ).map((r) => r.m);
      expect(months.length).toBeGreaterThan(5);
      [from, to] = [months[2]!, months[months.length - 3]!];
      expect([from, to].every((m) => /^\d{4}-\d{2}-\d{2}$/.test(m))).toBe(true);
      ranged = await wh.query(
        `select model, sum(conversions) as conversions, cast(sum(revenue_minor) as bigint) as revenue_minor
         from main.attribution_summary where month between date '${from}' and date '${to}' group by model order by model`,
      );
    } finally {
      await wh.close();
    }
    const matrix = '[data-testid="attribution-matrix"][data-program="all"]';
    // Default range = all months: the all-time totals, as before the filter existed.
    await view.page.waitForSelector(`${matrix}[data-from="all"][data-to="all"]`, { state: 'attached' });
    const full = await readPage(view.page);
    for (const t of allPrograms()) expect(credit(full.matrix[t.model]!['total']!)).toBeCloseTo(t.conversions, 1);
    const [fromSelect, toSelect] = [0, 1].map((i) =>
      view.page.locator('[data-testid="attribution-month-range"] select').nth(i),
    );
    await fromSelect!.selectOption({ index: 2 });
    await toSelect!.selectOption({ index: months.length - 3 });
    await view.page.waitForSelector(`${matrix}[data-from="${from}"][data-to="${to}"]`, { state: 'attached' });
    const narrow = await readPage(view.page);
    expect(Object.keys(narrow.matrix).sort()).toEqual(ranged.map((r) => r.model).sort());
    for (const r of ranged) expect(credit(narrow.matrix[r.model]!['total']!)).toBeCloseTo(r.conversions, 1);
    // Narrower really is narrower: some model's total differs from its all-time total.
    expect(
      ranged.some((r) => Math.abs(r.conversions - allPrograms().find((t) => t.model === r.model)!.conversions) > 1),
    ).toBe(true);
    await view.page.getByLabel(`Revenue (${facts.currency})`).check();
    const revenue = await readPage(view.page, 'all', 'revenue');
    for (const r of ranged)
      expect(parseDisplayedInteger(revenue.matrix[r.model]!['total']!)).toBe(Number(r.revenue_minor));
    await view.page.getByLabel('Conversions').check();
    await fromSelect!.selectOption({ index: 0 });
    await toSelect!.selectOption({ index: months.length - 1 });
    await view.page.waitForSelector(`${matrix}[data-from="all"][data-to="all"]`, { state: 'attached' });
    expect(view.errors).toEqual([]);
  });

  it('shows the reconciliation per model equal to the mart, green when every day reconciles', async () => {
    const page = await readPage(view.page);
    for (const r of facts.reconciliation) {
      const shown = page.reconciliation[r.model]!;
      expect(parseDisplayedInteger(shown['order_revenue_minor']!)).toBe(r.order_revenue_minor);
      expect(parseDisplayedInteger(shown['attributed_revenue_minor']!)).toBe(r.attributed_revenue_minor);
      expect(parseDisplayedInteger(shown['unattributed_revenue_minor']!)).toBe(r.unattributed_revenue_minor);
      expect(parseDisplayedInteger(shown['difference_minor']!)).toBe(r.difference_minor);
      expect(shown['difference_minor']).toMatch(new RegExp(`^${facts.currency} `));
      expect(shown['status']).toBe(r.abs_difference_minor === 0 ? 'reconciled' : 'not reconciled');
    }
    const all = facts.reconciliation.every((r) => r.abs_difference_minor === 0);
    expect(page.status).toBe(all ? 'reconciled' : 'not reconciled');
  });

  it('shows the dark-social share with its numerator and denominator', async () => {
    const page = await readPage(view.page);
    expect(parseDisplayedInteger(page.dark['dark_social']!)).toBe(facts.dark.dark_social);
    expect(parseDisplayedInteger(page.dark['respondents']!)).toBe(facts.dark.respondents);
    expect(page.dark['dark_social_share']).toBe(`${(facts.dark.share * 100).toFixed(1)}%`);
  });

  it('rendered without console errors and without a request leaving 127.0.0.1', () => {
    expect(view.requests.length).toBeGreaterThan(5);
    expect(offMachineRequests(view.requests)).toEqual([]);
    expect(view.errors).toEqual([]);
  });

  it('shows red "not reconciled" for a model off by 7 minor units, and empty states for empty marts', async () => {
    await brokenView.page.waitForSelector('[data-testid="reconciliation-table"]', { state: 'attached' });
    const page = await brokenView.page.evaluate(() => ({
      status: document.querySelector('[data-testid="reconciliation-status"]')?.getAttribute('data-status'),
      statusText: document.querySelector('[data-testid="reconciliation-status"]')?.textContent ?? '',
      linear: [...document.querySelectorAll('[data-testid="reconciliation-table"] tr[data-model="linear"] td')].map(
        (td) => [td.getAttribute('data-metric'), td.textContent],
      ),
      noAttribution: document.querySelector('[data-testid="no-attribution"]')?.textContent ?? null,
      dark: document.querySelector('[data-testid="dark-social"]')?.textContent ?? null,
    }));
    expect(page.status).toBe('not reconciled');
    expect(page.statusText).toContain('Not reconciled: Linear.');
    const linear = Object.fromEntries(page.linear);
    // The linear model's difference was 0 in the demo (checked above); -7 minor units = -0.07 of the currency.
    expect(linear['difference_minor']).toBe(`${facts.currency} -0.07`);
    expect(linear['days_off']).toBe('1');
    expect(linear['status']).toBe('not reconciled');
    expect(page.noAttribution).toContain('No attribution yet.');
    expect(page.dark).toBe('No survey responses yet in all programs.');
    expect(brokenView.errors).toEqual([]);
    expect(offMachineRequests(brokenView.requests)).toEqual([]);
  });
});
