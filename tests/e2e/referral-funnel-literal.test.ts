/**
 * The "Referral funnel" page built from a five-row `referral_funnel` written by hand (fixtures/literal-funnel.ts),
 * so every displayed string is pinned exactly, including rates with a zero denominator and the currency code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultRegistry } from '../../models/index.js';
import { runModels } from '../../src/models/runner.js';
import { demoConfig } from '../../src/pipeline.js';
import { buildSite } from '../../src/site/build.js';
import { pseudonym } from '../../src/site/pseudonym.js';
import { startStaticServer, type StaticServer } from '../../src/site/static-server.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb.js';
import { launchBrowser, offMachineRequests, type RecordedPage, type TestBrowser } from './fixtures/browser.js';
import { externalUrls, scannedFileCount } from './fixtures/dist-scan.js';
import { readFunnelPage, selectProgram } from './fixtures/funnel-page.js';
import { writeLiteralFunnel } from './fixtures/literal-funnel.js';

/** The site shows advocates under their pseudonym (src/site/pseudonym.ts, default salt). */
const adv = (id: string) => pseudonym(id, 'adv', 'refstack-site')!;

// A site build (Framework + loaders) and a browser start take seconds, not milliseconds.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

describe('referral funnel page from literal mart rows', () => {
  let dir: string;
  let outDir: string;
  let server: StaticServer;
  let browser: TestBrowser;
  let view: RecordedPage;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'refstack-site-literal-'));
    const warehousePath = join(dir, 'warehouse.duckdb');
    const wh = await DuckDBWarehouse.open({ path: warehousePath });
    try {
      // Every mart exists (empty, as after a run on no data), then referral_funnel is replaced by literal rows:
      // the other pages must build with their "no data yet" states.
      await runModels({ wh, config: demoConfig(), registry: defaultRegistry() });
      await writeLiteralFunnel(wh, 'main', 'EUR');
    } finally {
      await wh.close();
    }
    outDir = join(dir, 'site');
    await buildSite({ warehousePath, outDir, title: 'refstack literal test', quiet: true });
    server = await startStaticServer({ root: outDir });
    browser = await launchBrowser();
    view = await browser.open(`${server.url}referral-funnel`);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the all-programs totals in the KPI cards, money with its currency code', async () => {
    // Hand sums in fixtures/literal-funnel.ts: 43 invited, 22 clicked, 12 signed up, 6 converted, 143394 cents.
    const page = await readFunnelPage(view.page);
    expect(page.kpis).toEqual({
      invited: '43',
      clicked: '22',
      signed_up: '12',
      converted: '6',
      referred_revenue_minor: 'EUR 1,433.94',
    });
  });

  it('labels each funnel step with its conversion rate from the stage before', async () => {
    // 22/43 = 0.5116 -> 51.2%; 12/22 = 0.5454 -> 54.5%; 6/12 = 50.0%.
    const page = await readFunnelPage(view.page);
    expect(page.funnelLabels.filter((t) => t.includes('·'))).toEqual([
      '22 · 51.2% of invited',
      '12 · 54.5% of clicked',
      '6 · 50.0% of signed up',
    ]);
  });

  it('shows one monthly row per month with counts, rates and revenue', async () => {
    const page = await readFunnelPage(view.page);
    expect([...page.monthly.keys()]).toEqual(['2025-01', '2025-02']);
    // January: rows 1, 2 and 4 -> invited 10+5+20 = 35, clicked 6+2+10 = 18, signed up 4+1+5 = 10,
    // converted 2+1+2 = 5, revenue 12345+5000+100000 = 117345; rates 18/35 = 51.4%, 10/18 = 55.6%,
    // 5/10 = 50.0%, 5/35 = 14.3%.
    expect(page.monthly.get('2025-01')).toEqual({
      month: 'Jan 2025',
      invited: '35',
      clicked: '18',
      signed_up: '10',
      converted: '5',
      click_rate: '51.4%',
      signup_rate: '55.6%',
      conversion_rate: '50.0%',
      invite_to_conversion_rate: '14.3%',
      referred_revenue_minor: 'EUR 1,173.45',
    });
    // February: rows 3 and 5 -> 8, 4, 2, 1; revenue 25050+999 = 26049; 4/8, 2/4, 1/2 = 50.0%, 1/8 = 12.5%.
    expect(page.monthly.get('2025-02')).toEqual({
      month: 'Feb 2025',
      invited: '8',
      clicked: '4',
      signed_up: '2',
      converted: '1',
      click_rate: '50.0%',
      signup_rate: '50.0%',
      conversion_rate: '50.0%',
      invite_to_conversion_rate: '12.5%',
      referred_revenue_minor: 'EUR 260.49',
    });
    expect(page.monthlyTotal['referred_revenue_minor']).toBe('EUR 1,433.94');
  });

  it('ranks advocates by referred revenue', async () => {
    // adv_p 100000+999 = 100999; adv_a 12345+25050 = 37395; adv_b 5000.
    const page = await readFunnelPage(view.page);
    expect(
      page.advocates.map((a) => [a['rank'], a['advocate_id'], a['converted'], a['referred_revenue_minor']]),
    ).toEqual([
      ['1', adv('adv_p'), '2', 'EUR 1,009.99'],
      ['2', adv('adv_a'), '3', 'EUR 373.95'],
      ['3', adv('adv_b'), '1', 'EUR 50.00'],
    ]);
  });

  it('cuts every block to the selected program, and back', async () => {
    await selectProgram(view.page, 'partners');
    const partners = await readFunnelPage(view.page, 'partners');
    // partners: rows 4 and 5 -> 20, 10, 5, 2 and 100000+999 = 100999 cents.
    expect(partners.kpis).toEqual({
      invited: '20',
      clicked: '10',
      signed_up: '5',
      converted: '2',
      referred_revenue_minor: 'EUR 1,009.99',
    });
    // February for partners is row 5 alone: no invites, clicks or sign-ups, so every rate is undefined ("–").
    expect(partners.monthly.get('2025-02')).toMatchObject({
      invited: '0',
      click_rate: '–',
      signup_rate: '–',
      conversion_rate: '–',
      invite_to_conversion_rate: '–',
      referred_revenue_minor: 'EUR 9.99',
    });
    expect(partners.advocates.map((a) => a['advocate_id'])).toEqual([adv('adv_p')]);

    await selectProgram(view.page, 'friends');
    const friends = await readFunnelPage(view.page, 'friends');
    // friends: rows 1-3 -> 10+5+8 = 23, 6+2+4 = 12, 4+1+2 = 7, 2+1+1 = 4, 12345+5000+25050 = 42395 cents.
    expect(friends.kpis).toEqual({
      invited: '23',
      clicked: '12',
      signed_up: '7',
      converted: '4',
      referred_revenue_minor: 'EUR 423.95',
    });

    await selectProgram(view.page, 'All programs');
    expect((await readFunnelPage(view.page, 'all')).kpis['invited']).toBe('43');
  });

  it('rendered without console errors and without a request leaving 127.0.0.1', () => {
    expect(view.requests.length).toBeGreaterThan(5);
    expect(offMachineRequests(view.requests)).toEqual([]);
    expect(view.errors).toEqual([]);
  });

  it('built a dist with no absolute URL to a CDN or any other host', () => {
    expect(scannedFileCount(outDir)).toBeGreaterThan(10);
    expect(externalUrls(outDir)).toEqual([]);
  });
});
