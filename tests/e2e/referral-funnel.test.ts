/**
 * End to end: synthetic demo data (2,000 customers) -> all models -> the Framework site -> headless Chromium.
 * The numbers the "Referral funnel" page shows must equal sums over the `referral_funnel` mart computed here
 * with SQL, for all programs and for each program chosen in the selector; the page must render with no
 * console error and without a single request leaving 127.0.0.1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pseudonym } from '../../src/site/pseudonym.js';
import { startStaticServer, type StaticServer } from '../../src/site/static-server.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb.js';
import { sharedDemoSite } from './fixtures/demo-site.js';
import { launchBrowser, offMachineRequests, type RecordedPage, type TestBrowser } from './fixtures/browser.js';
import { externalUrls } from './fixtures/dist-scan.js';
import { FUNNEL_METRICS, parseDisplayedInteger, readFunnelPage, selectProgram } from './fixtures/funnel-page.js';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

type Sums = {
  invited: number;
  clicked: number;
  signed_up: number;
  converted: number;
  referred_revenue_minor: number;
};

/** The mart, summed here independently of the site's loader. */
interface MartFacts {
  currency: string;
  programs: string[];
  total: Sums;
  byProgram: Map<string, Sums>;
  byMonth: Map<string, Sums>;
  topAdvocates: string[];
}

const SUMS = `cast(sum(invited) as bigint) as invited, cast(sum(clicked) as bigint) as clicked,
  cast(sum(signed_up) as bigint) as signed_up, cast(sum(converted) as bigint) as converted,
  cast(sum(referred_revenue_minor) as bigint) as referred_revenue_minor`;

async function martFacts(warehousePath: string): Promise<MartFacts> {
  const wh = await DuckDBWarehouse.open({ path: warehousePath, readOnly: true });
  try {
    const [currencies, total, programs, months, advocates] = await Promise.all([
      wh.query<{ c: string }>('select distinct reporting_currency as c from main.referral_funnel'),
      wh.query<Sums>(`select ${SUMS} from main.referral_funnel`),
      wh.query<Sums & { program_id: string }>(
        `select program_id, ${SUMS} from main.referral_funnel group by 1 order by 1`,
      ),
      wh.query<Sums & { month: Date }>(`select month, ${SUMS} from main.referral_funnel group by 1 order by 1`),
      wh.query<{ advocate_id: string | null }>(
        `select advocate_id from main.referral_funnel group by advocate_id
         order by sum(referred_revenue_minor) desc, sum(converted) desc, advocate_id nulls last limit 20`,
      ),
    ]);
    const pick = ({ invited, clicked, signed_up, converted, referred_revenue_minor }: Sums): Sums => ({
      invited,
      clicked,
      signed_up,
      converted,
      referred_revenue_minor,
    });
    expect(currencies).toHaveLength(1);
    return {
      currency: currencies[0]!.c,
      programs: programs.map((p) => p.program_id),
      total: pick(total[0]!),
      byProgram: new Map(programs.map((p) => [p.program_id, pick(p)])),
      byMonth: new Map(months.map((m) => [m.month.toISOString().slice(0, 7), pick(m)])),
      // The site shows pseudonyms (src/site/pseudonym.ts, default salt), never the raw customer id.
      topAdvocates: advocates.map((a) => pseudonym(a.advocate_id, 'adv', 'refstack-site') ?? '(unmatched code)'),
    };
  } finally {
    await wh.close();
  }
}

/** Displayed text -> integers (money in minor units), checking each money cell shows the currency code. */
function displayed(cells: Record<string, string>, currency: string): Sums {
  expect(cells['referred_revenue_minor']).toMatch(new RegExp(`^${currency} -?[\\d,]+(\\.\\d+)?$`));
  return Object.fromEntries(FUNNEL_METRICS.map((m) => [m, parseDisplayedInteger(cells[m] ?? '')])) as unknown as Sums;
}

describe('referral funnel page on the synthetic demo', () => {
  let dir: string;
  let outDir: string;
  let facts: MartFacts;
  let server: StaticServer;
  let browser: TestBrowser;
  let view: RecordedPage;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'refstack-site-demo-'));
    // The run's shared demo build (2,000 customers, seed 7): read-only, copied before any change.
    const { warehousePath, siteDir } = await sharedDemoSite();
    facts = await martFacts(warehousePath);
    outDir = siteDir;
    server = await startStaticServer({ root: outDir });
    browser = await launchBrowser();
    view = await browser.open(`${server.url}referral-funnel`);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has a funnel worth checking', () => {
    // Guards the comparisons below against passing on an empty mart.
    expect(facts.programs.length).toBeGreaterThan(1);
    expect(facts.total.converted).toBeGreaterThan(0);
    expect(facts.total.referred_revenue_minor).toBeGreaterThan(0);
  });

  it('shows KPI cards equal to the mart summed over all programs', async () => {
    const page = await readFunnelPage(view.page);
    expect(displayed(page.kpis, facts.currency)).toEqual(facts.total);
  });

  it('shows one monthly row per month of the mart, each equal to that month summed', async () => {
    const page = await readFunnelPage(view.page);
    expect([...page.monthly.keys()]).toEqual([...facts.byMonth.keys()]);
    for (const [month, sums] of facts.byMonth)
      expect(displayed(page.monthly.get(month)!, facts.currency)).toEqual(sums);
    expect(displayed(page.monthlyTotal, facts.currency)).toEqual(facts.total);
  });

  it('lists the top 20 advocates by referred revenue', async () => {
    const page = await readFunnelPage(view.page);
    expect(page.advocates.map((a) => a['advocate_id'])).toEqual(facts.topAdvocates);
  });

  it("switches every number to the selected program's totals", async () => {
    for (const program of facts.programs) {
      await selectProgram(view.page, program);
      const page = await readFunnelPage(view.page, program);
      expect(displayed(page.kpis, facts.currency)).toEqual(facts.byProgram.get(program));
      expect(displayed(page.monthlyTotal, facts.currency)).toEqual(facts.byProgram.get(program));
    }
    await selectProgram(view.page, 'All programs');
    expect(displayed((await readFunnelPage(view.page, 'all')).kpis, facts.currency)).toEqual(facts.total);
  });

  it('rendered without console errors and without a request leaving 127.0.0.1', () => {
    expect(view.requests.length).toBeGreaterThan(5);
    expect(offMachineRequests(view.requests)).toEqual([]);
    expect(view.errors).toEqual([]);
  });

  it('built a dist with no absolute URL to a CDN or any other host', () => {
    expect(externalUrls(outDir)).toEqual([]);
  });
});
