/**
 * End to end: synthetic demo (2,000 customers) -> all models -> the Framework site -> headless Chromium, for the
 * "Experiments" page. Every experiment's status, decision, reason, primary lift, p-value, chance to win and SRM
 * p-value on the page must equal a direct query of `experiment_results`; the page must render with no console
 * error and no request leaving 127.0.0.1. A second build from a copy of the warehouse whose `experiment_results`
 * is empty must show the "no experiments yet" state. Screenshots go to <tmpdir>/refstack-site-screenshots/.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startStaticServer, type StaticServer } from '../../src/site/static-server.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb.js';
import { sharedDegradedSite, sharedDemoSite } from './fixtures/demo-site.js';
import { launchBrowser, offMachineRequests, type RecordedPage, type TestBrowser } from './fixtures/browser.js';

vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });

const SCREENSHOTS = join(tmpdir(), 'refstack-site-screenshots');

interface MartRow {
  experiment: string;
  variant: string;
  metric: string;
  is_primary: boolean;
  rel_lift: number | null;
  p_value: number | null;
  chance_to_win: number | null;
  srm_p_value: number | null;
  decision: string;
  reason: string;
}

async function martRows(warehousePath: string): Promise<MartRow[]> {
  const wh = await DuckDBWarehouse.open({ path: warehousePath, readOnly: true });
  try {
    return await wh.query<MartRow>(
      `select experiment, variant, metric, is_primary, rel_lift, p_value, chance_to_win, srm_p_value, decision, reason
       from main.experiment_results order by experiment, variant, metric`,
    );
  } finally {
    await wh.close();
  }
}

/** "+34.7%" -> 0.347, "−4.5%" -> -0.045, "95.3%" -> 0.953. */
function percent(text: string): number {
  const m = /^([+\u2212-]?)(\d+\.\d)%$/.exec(text);
  if (!m) throw new Error(`not a displayed percentage: ${JSON.stringify(text)}`);
  return (m[1] === '\u2212' || m[1] === '-' ? -1 : 1) * (Number(m[2]) / 100);
}

/** A displayed rounding of `expected` to one decimal of a percent (half a unit of 0.1% either way). */
function expectPercent(text: string, expected: number): void {
  expect(Math.abs(percent(text) - expected)).toBeLessThanOrEqual(0.0005 + 1e-12);
}

/** A displayed p-value ("0.098", "< 0.001") against the mart's. */
function expectP(text: string, expected: number): void {
  if (expected < 0.001) expect(text).toBe('< 0.001');
  else expect(Math.abs(Number(text) - expected)).toBeLessThanOrEqual(0.0005 + 1e-12);
}

type Cells = Record<string, string>;
interface Card {
  experiment: string;
  status: string;
  srmText: string;
  srmWarning: boolean;
  variants: Array<{ variant: string; decision: string; reason: string; stats: Cells; values: Cells; dots: number }>;
}

async function readPage(page: RecordedPage['page'], selection = 'all') {
  await page.waitForSelector(`[data-testid="experiment-cards"][data-experiment="${selection}"]`, { state: 'attached' });
  return page.evaluate(() => {
    const cells = (root: Element, attr = 'textContent') =>
      Object.fromEntries(
        [...root.querySelectorAll('[data-metric]')].map((c) => [
          c.getAttribute('data-metric'),
          attr === 'textContent' ? (c.textContent ?? '') : (c.getAttribute('data-value') ?? ''),
        ]),
      );
    const list = [...document.querySelectorAll('[data-testid="experiments-table"] tbody tr')].map((tr) => ({
      ...cells(tr),
      // The row's keys, after the cells (whose "variant" text also names the control).
      experiment: tr.getAttribute('data-experiment'),
      variant: tr.getAttribute('data-variant'),
    }));
    const cards: Card[] = [...document.querySelectorAll('[data-testid="experiment-card"]')].map((card) => ({
      experiment: card.getAttribute('data-experiment') ?? '',
      status: card.querySelector('.exp-head [data-metric="status"]')?.textContent ?? '',
      srmText: card.querySelector('[data-testid="srm-ok"], [data-testid="srm-warning"]')?.textContent ?? '',
      srmWarning: card.querySelector('[data-testid="srm-warning"]') !== null,
      variants: [...card.querySelectorAll('.exp-variant')].map((v) => ({
        variant: v.getAttribute('data-variant') ?? '',
        decision: v.querySelector('[data-metric="decision"]')?.textContent ?? '',
        reason: v.querySelector('[data-metric="reason"]')?.textContent ?? '',
        stats: cells(v.querySelector('[data-testid="primary-stats"]')!),
        values: cells(v.querySelector('[data-testid="primary-stats"]')!, 'data-value'),
        dots: v.querySelectorAll('[data-testid="lift-chart"] svg circle').length,
      })),
    }));
    return { list, cards, empty: document.querySelector('[data-testid="no-experiments"]')?.textContent ?? null };
  });
}

describe('experiments page on the synthetic demo', () => {
  let rows: MartRow[];
  let server: StaticServer;
  let emptyServer: StaticServer;
  let browser: TestBrowser;
  let view: RecordedPage;
  let emptyView: RecordedPage;

  beforeAll(async () => {
    // The run's shared demo build (2,000 customers, seed 7): read-only, copied before any change.
    const { warehousePath, siteDir } = await sharedDemoSite();
    rows = await martRows(warehousePath);
    // The run's shared degraded build: experiment_results present but empty (fixtures/demo-site.ts, DEGRADATIONS).
    const empty = await sharedDegradedSite();
    server = await startStaticServer({ root: siteDir });
    emptyServer = await startStaticServer({ root: empty.siteDir });
    browser = await launchBrowser();
    view = await browser.open(`${server.url}experiments`);
    emptyView = await browser.open(`${emptyServer.url}experiments`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await view.page.screenshot({ path: join(SCREENSHOTS, 'experiments.png'), fullPage: true });
    await emptyView.page.screenshot({ path: join(SCREENSHOTS, 'experiments-empty.png'), fullPage: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await emptyServer?.close();
  });

  it('has experiments worth checking', () => {
    expect(new Set(rows.map((r) => r.experiment)).size).toBeGreaterThan(1);
    expect(rows.filter((r) => r.is_primary && r.rel_lift !== null).length).toBeGreaterThan(1);
  });

  it('lists every experiment and variant with the decision and primary lift of the mart', async () => {
    const page = await readPage(view.page);
    const primaries = rows.filter((r) => r.is_primary);
    expect(page.list.map((r) => [r.experiment, r.variant])).toEqual(primaries.map((r) => [r.experiment, r.variant]));
    for (const [i, r] of primaries.entries()) {
      const shown = page.list[i]!;
      expect(shown['decision']).toBe(r.decision);
      expect(shown['primary_metric']).toBe(r.metric);
      expectPercent(shown['rel_lift']!, r.rel_lift!);
      expectP(shown['p_value']!, r.p_value!);
      expectPercent(shown['chance_to_win']!, r.chance_to_win!);
    }
  });

  it("shows each experiment's card with status, SRM check, decision, reason and primary statistics", async () => {
    const page = await readPage(view.page);
    const experiments = [...new Set(rows.map((r) => r.experiment))];
    expect(page.cards.map((c) => c.experiment)).toEqual(experiments);
    for (const card of page.cards) {
      const mine = rows.filter((r) => r.experiment === card.experiment);
      const decisions = mine.map((r) => r.decision);
      const status = decisions.includes('check assignment')
        ? 'check assignment'
        : decisions.includes('keep running')
          ? 'running'
          : 'concluded';
      expect(card.status).toBe(status);
      expect(card.srmWarning).toBe(decisions.includes('check assignment'));
      expect(card.srmText).toContain(`SRM p-value ${mine[0]!.srm_p_value!.toFixed(3)}`);
      for (const v of card.variants) {
        const primary = mine.find((r) => r.variant === v.variant && r.is_primary)!;
        expect(v.decision).toBe(primary.decision);
        expect(v.reason.toLowerCase()).toBe(`${primary.reason}.`.toLowerCase());
        // data-value carries the mart's number unrounded; the text is its rounding with the unit.
        expect(Number(v.values['rel_lift'])).toBe(primary.rel_lift);
        expect(Number(v.values['p_value'])).toBe(primary.p_value);
        expect(Number(v.values['chance_to_win'])).toBe(primary.chance_to_win);
        expectPercent(v.stats['rel_lift']!, primary.rel_lift!);
        expectP(v.stats['p_value']!, primary.p_value!);
        expectPercent(v.stats['chance_to_win']!, primary.chance_to_win!);
        // One dot per metric with a relative lift.
        const drawable = mine.filter((r) => r.variant === v.variant && r.rel_lift !== null).length;
        expect(v.dots).toBe(drawable);
      }
    }
  });

  it('shows only the chosen experiment after selecting it', async () => {
    const first = rows[0]!.experiment;
    await view.page.locator('form select').first().selectOption({ label: first });
    const page = await readPage(view.page, first);
    expect(page.cards.map((c) => c.experiment)).toEqual([first]);
    expect(new Set(page.list.map((r) => r.experiment))).toEqual(new Set([first]));
    await view.page.locator('form select').first().selectOption({ label: 'All experiments' });
    expect((await readPage(view.page)).cards.length).toBeGreaterThan(1);
  });

  it('rendered without console errors and without a request leaving 127.0.0.1', () => {
    expect(view.requests.length).toBeGreaterThan(5);
    expect(offMachineRequests(view.requests)).toEqual([]);
    expect(view.errors).toEqual([]);
  });

  it('shows "no experiments yet" when the mart is empty, with no errors', async () => {
    const page = await emptyView.page.evaluate(() => ({
      empty: document.querySelector('[data-testid="no-experiments"]')?.textContent ?? null,
      cards: document.querySelectorAll('[data-testid="experiment-card"]').length,
      table: document.querySelector('[data-testid="experiments-table"]')?.textContent ?? null,
    }));
    expect(page.empty).toContain('No experiments yet.');
    expect(page.cards).toBe(0);
    expect(page.table).toBe('No experiments in this selection.');
    expect(offMachineRequests(emptyView.requests)).toEqual([]);
    expect(emptyView.errors).toEqual([]);
  });
});
