/**
 * End to end: synthetic demo data (2,000 customers) -> all models -> the Framework site -> headless Chromium.
 * The "Cohorts and LTV" page's headline numbers must equal direct SQL on the marts: mean predicted CLV per
 * acquisition type (avg of customer_ltv.predicted_clv_minor) with its 95% interval (stddev_samp), the
 * month-3 retention per group (cohort_retention summed), the heat map's cells, and the ltv_model_fit
 * parameters. A screenshot goes to <tmp>/refstack-site-screenshots/ (not committed) for a person to look at.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startStaticServer, type StaticServer } from '../../src/site/static-server.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb.js';
import { formatRate } from '../../dashboards/src/components/format.js';
import { sharedDemoSite } from './fixtures/demo-site.js';
import { launchBrowser, offMachineRequests, type RecordedPage, type TestBrowser } from './fixtures/browser.js';
import { parseDisplayedInteger } from './fixtures/funnel-page.js';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

const SCREENSHOT_DIR = join(tmpdir(), 'refstack-site-screenshots');

interface Group {
  acquisition_type: string;
  n: number;
  mean: number;
  sd: number;
}
interface Facts {
  currency: string;
  groups: Group[];
  month3: Map<string, number>;
  heatCells: Map<string, number>;
  parameters: { acquisition_type: string; model: string; parameter: string; value: number }[];
}

async function martFacts(path: string): Promise<Facts> {
  const wh = await DuckDBWarehouse.open({ path, readOnly: true });
  try {
    const [currency, groups, month3, cells, parameters] = await Promise.all([
      wh.query<{ c: string }>('select distinct reporting_currency as c from main.customer_ltv'),
      wh.query<Group>(
        `select acquisition_type, cast(count(*) as int) as n, avg(predicted_clv_minor) as mean,
           stddev_samp(predicted_clv_minor) as sd
         from main.customer_ltv group by 1 order by 1`,
      ),
      wh.query<{ acquisition_type: string; rate: number }>(
        `select acquisition_type, sum(active_people) / sum(cohort_people) as rate
         from main.cohort_retention where month_offset = 3 and segment_type = 'acquisition_type' group by 1`,
      ),
      wh.query<{ acquisition_type: string; cells: number }>(
        `select acquisition_type, cast(count(*) as int) as cells from main.cohort_retention
         where month_offset >= 1 and segment_type = 'acquisition_type' group by 1`,
      ),
      wh.query<Facts['parameters'][number]>(
        'select acquisition_type, model, parameter, value from main.ltv_model_fit order by all',
      ),
    ]);
    expect(currency).toHaveLength(1);
    return {
      currency: currency[0]!.c,
      groups,
      month3: new Map(month3.map((r) => [r.acquisition_type, Number(r.rate)])),
      heatCells: new Map(cells.map((r) => [r.acquisition_type, r.cells])),
      parameters,
    };
  } finally {
    await wh.close();
  }
}

describe('cohorts and LTV page on the synthetic demo', () => {
  let dir: string;
  let facts: Facts;
  let server: StaticServer;
  let browser: TestBrowser;
  let view: RecordedPage;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'refstack-site-cohorts-'));
    // The run's shared demo build (2,000 customers, seed 7): read-only, copied before any change.
    const { warehousePath, siteDir } = await sharedDemoSite();
    facts = await martFacts(warehousePath);
    server = await startStaticServer({ root: siteDir });
    browser = await launchBrowser();
    view = await browser.open(`${server.url}cohorts-ltv`);
    await view.page.waitForSelector('[data-testid="ltv-parameters-gamma_gamma"]');
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await view.page.screenshot({ path: join(SCREENSHOT_DIR, 'cohorts-ltv.png'), fullPage: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has both acquisition types with enough customers to compare', () => {
    expect(facts.groups.map((g) => g.acquisition_type)).toEqual(['non_referred', 'referred']);
    for (const g of facts.groups) expect(g.n).toBeGreaterThan(100);
  });

  it('shows mean predicted CLV per group equal to avg(predicted_clv_minor), with its 95% interval', async () => {
    for (const g of facts.groups) {
      const card = view.page.locator(`[data-testid="ltv-${g.acquisition_type}"]`);
      const value = (await card.locator('.kpi-value').textContent()) ?? '';
      expect(value.startsWith(`${facts.currency} `)).toBe(true);
      expect(parseDisplayedInteger(value)).toBe(Math.round(g.mean));
      // mean ± 1.96 · sd / √n with sd from stddev_samp; the page derives sd from n, Σx, Σx², so the rounded
      // bounds may differ by one minor unit.
      const note = (await card.locator('.kpi-note').textContent()) ?? '';
      const bounds = [...note.matchAll(new RegExp(`${facts.currency} [\\d,]+\\.\\d+`, 'g'))].map((m) =>
        parseDisplayedInteger(m[0]),
      );
      const half = (1.959963984540054 * g.sd) / Math.sqrt(g.n);
      expect(bounds).toHaveLength(2);
      expect(Math.abs(bounds[0]! - Math.round(g.mean - half))).toBeLessThanOrEqual(1);
      expect(Math.abs(bounds[1]! - Math.round(g.mean + half))).toBeLessThanOrEqual(1);
      expect(note).toContain(`n = ${g.n.toLocaleString('en-US')}`);
    }
  });

  it('shows the difference of the means, referred minus not referred', async () => {
    const [non, ref] = facts.groups;
    const text = (await view.page.locator('[data-testid="ltv-difference"] .kpi-value').textContent()) ?? '';
    expect(Math.abs(parseDisplayedInteger(text) - Math.round(ref!.mean - non!.mean))).toBeLessThanOrEqual(1);
  });

  it("states each group's month-3 retention as summed from cohort_retention", async () => {
    const body = (await view.page.locator('main').textContent()) ?? '';
    expect(body).toContain(
      `${formatRate(facts.month3.get('referred'))} of referred customers bought again that month, against ${formatRate(facts.month3.get('non_referred'))} of the others`,
    );
  });

  it('draws one heat-map cell per cohort and month after the first, for each group', async () => {
    expect([...facts.heatCells.keys()].sort()).toEqual(['non_referred', 'referred']);
    for (const [group, cells] of facts.heatCells) {
      expect(cells).toBeGreaterThan(100);
      const drawn = await view.page
        .locator(`figure.heatmap[data-group="${group}"] svg g[aria-label="cell"] rect`)
        .count();
      expect(drawn).toBe(cells);
    }
  });

  it('lists the fitted parameters of ltv_model_fit to four significant digits', async () => {
    for (const p of facts.parameters) {
      const cell = view.page.locator(
        `[data-testid="ltv-parameters-${p.model}"] tr[data-group="${p.acquisition_type}"] td[data-metric="${p.parameter}"]`,
      );
      expect(await cell.textContent()).toBe(p.value.toPrecision(4));
    }
  });

  it('rendered without console errors and without a request leaving 127.0.0.1', () => {
    expect(view.requests.length).toBeGreaterThan(5);
    expect(offMachineRequests(view.requests)).toEqual([]);
    expect(view.errors).toEqual([]);
  });
});
