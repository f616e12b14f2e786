/**
 * End to end: the run's shared demo build (fixtures/demo-site.ts: 2,000 customers, the demo's reward rule sets)
 * -> headless Chromium. The "Rewards and liability" page's numbers must equal direct SQL on the marts:
 * liability per status and per program, paid, clawed back, exposure and aging (reward_liability), decisions per rule set version and
 * clawbacks per reason (reward_ledger). Then the shared degraded build, with an empty ledger (no rule set has judged
 * anything) must still build, and the page must say "No rewards configured yet". Screenshots of both go to
 * <tmp>/refstack-site-screenshots/ (not committed).
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

// The run's shared demo and degraded builds (fixtures/demo-site.ts) and a browser.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });

const SCREENSHOT_DIR = join(tmpdir(), 'refstack-site-screenshots');

/** reward_liability's balance columns the page shows (the F1 contract). */
const BALANCES = [
  'held_minor',
  'approved_unpaid_minor',
  'paid_minor',
  'clawed_back_minor',
  'clawback_exposure_minor',
  'aging_0_30_minor',
  'aging_31_60_minor',
  'aging_61_90_minor',
  'aging_90_plus_minor',
];

interface Facts {
  currency: string;
  byStatus: Map<string, number>;
  /** Per program and status with a non-zero balance (reward_liability's balances shape has no kinds or counts). */
  rows: { program_id: string; status: string; amount_minor: number }[];
  /** reward_liability summed per program: every balance column. */
  balances: Record<string, number | string>[];
  versions: { rule_set_id: string; rule_version: number; decisions: number }[];
  clawbacks: { program_id: string; entry_type: string; reason_code: string; entries: number; amount_minor: number }[];
}

async function martFacts(path: string): Promise<Facts> {
  const wh = await DuckDBWarehouse.open({ path, readOnly: true });
  try {
    const [currency, byStatus, balances, versions, clawbacks] = await Promise.all([
      wh.query<{ c: string }>('select distinct currency as c from main.reward_liability'),
      wh.query<{ status: string; amount_minor: number }>(
        `select 'held' as status, cast(sum(held_minor) as bigint) as amount_minor from main.reward_liability
         union all
         select 'approved_unpaid', cast(sum(approved_unpaid_minor) as bigint) from main.reward_liability`,
      ),
      wh.query<Record<string, number | string>>(
        `select program_id, ${BALANCES.map((c) => `cast(sum(${c}) as bigint) as ${c}`).join(', ')}
         from main.reward_liability group by 1 order by 1`,
      ),
      wh.query<Facts['versions'][number]>(
        `select rule_set_id, cast(rule_version as int) as rule_version, cast(count(*) as int) as decisions
         from main.reward_ledger group by 1, 2 order by 1, 2`,
      ),
      wh.query<Facts['clawbacks'][number]>(
        `select program_id, entry_type, reason_code, cast(count(*) as int) as entries,
           cast(sum(amount_minor) as bigint) as amount_minor
         from main.reward_ledger where entry_type in ('clawed_back', 'voided') group by 1, 2, 3 order by 1, 2, 3`,
      ),
    ]);
    expect(currency).toHaveLength(1);
    return {
      currency: currency[0]!.c,
      byStatus: new Map(byStatus.map((r) => [r.status, Number(r.amount_minor)])),
      rows: balances.flatMap((b) =>
        (['held', 'approved_unpaid'] as const)
          .map((status) => ({
            program_id: String(b['program_id']),
            status,
            amount_minor: Number(b[`${status}_minor`]),
          }))
          .filter((r) => r.amount_minor !== 0),
      ),
      balances: balances.map((b) =>
        Object.fromEntries(Object.entries(b).map(([k, v]) => [k, k === 'program_id' ? String(v) : Number(v)])),
      ),
      versions,
      clawbacks: clawbacks.map((r) => ({ ...r, amount_minor: Number(r.amount_minor) })),
    };
  } finally {
    await wh.close();
  }
}

/** Displayed money -> minor units, checking the currency code is shown. */
function money(text: string | null, currency: string): number {
  expect(text ?? '').toMatch(new RegExp(`^${currency} -?[\\d,]+\\.\\d{2}$`));
  return parseDisplayedInteger(text ?? '');
}

describe('rewards and liability page', () => {
  let warehousePath: string;
  let facts: Facts;
  let server: StaticServer | undefined;
  let browser: TestBrowser;
  let view: RecordedPage;

  beforeAll(async () => {
    // The run's shared demo build (2,000 customers, seed 7): read-only, copied before any change.
    const shared = await sharedDemoSite();
    warehousePath = shared.warehousePath;
    facts = await martFacts(warehousePath);
    server = await startStaticServer({ root: shared.siteDir });
    browser = await launchBrowser();
    view = await browser.open(`${server.url}rewards`);
    await view.page.waitForSelector('[data-testid="clawbacks-table"]');
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await view.page.screenshot({ path: join(SCREENSHOT_DIR, 'rewards.png'), fullPage: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  describe('on the synthetic demo', () => {
    it('has liability in both statuses, several rule versions and some clawbacks', () => {
      expect([...facts.byStatus.keys()].sort()).toEqual(['approved_unpaid', 'held']);
      expect(facts.rows.length).toBeGreaterThan(1);
      expect(facts.versions.length).toBeGreaterThan(1);
      expect(facts.clawbacks.length).toBeGreaterThan(0);
    });

    it('shows liability per status and in total equal to reward_liability summed', async () => {
      const card = async (metric: string) =>
        money(await view.page.locator(`[data-testid="liability-${metric}"] .kpi-value`).textContent(), facts.currency);
      const held = facts.byStatus.get('held')!;
      const approved = facts.byStatus.get('approved_unpaid')!;
      expect(await card('held')).toBe(held);
      expect(await card('approved_unpaid')).toBe(approved);
      expect(await card('total')).toBe(held + approved);
    });

    it('lists liability per program and status', async () => {
      const shown = await view.page.locator('[data-testid="liability-table"] tbody tr').evaluateAll((trs) =>
        trs.map((tr) => ({
          key: `${tr.getAttribute('data-program')}|${tr.getAttribute('data-status')}`,
          amount: tr.querySelector('[data-metric="amount_minor"]')?.textContent ?? '',
        })),
      );
      expect(shown.map((r) => r.key).sort()).toEqual(facts.rows.map((r) => `${r.program_id}|${r.status}`).sort());
      for (const r of facts.rows) {
        const s = shown.find((x) => x.key === `${r.program_id}|${r.status}`)!;
        expect(money(s.amount, facts.currency)).toBe(r.amount_minor);
      }
    });

    it('shows paid, clawed back, exposure and aging per program equal to reward_liability', async () => {
      const total = (c: string) => facts.balances.reduce((sum, b) => sum + Number(b[c]), 0);
      for (const c of ['paid_minor', 'clawed_back_minor', 'clawback_exposure_minor']) {
        const card = view.page.locator(`[data-testid="stat-${c}"] .kpi-value`);
        expect(Number(await card.getAttribute('data-value')), c).toBe(total(c));
      }
      expect(total('paid_minor')).toBeGreaterThan(0);
      for (const b of facts.balances)
        for (const c of BALANCES) {
          const cell = view.page.locator(
            `[data-testid="aging-table"] tr[data-program="${b['program_id']}"] [data-metric="${c}"]`,
          );
          expect(money(await cell.textContent(), facts.currency), `${b['program_id']} ${c}`).toBe(b[c]);
        }
    });

    it('counts the decisions of each rule set version', async () => {
      for (const v of facts.versions) {
        const cell = view.page.locator(
          `[data-testid="rule-versions"] tr[data-rule-set="${v.rule_set_id}"][data-version="${v.rule_version}"] td[data-metric="decisions"]`,
        );
        expect(parseDisplayedInteger((await cell.textContent()) ?? '')).toBe(v.decisions);
      }
      expect(await view.page.locator('[data-testid="rule-versions"] tbody tr').count()).toBe(facts.versions.length);
    });

    it('lists clawbacks and voids per program and reason with their amounts', async () => {
      for (const c of facts.clawbacks) {
        const row = view.page.locator(
          `[data-testid="clawbacks-table"] tr[data-program="${c.program_id}"][data-entry="${c.entry_type}"][data-reason="${c.reason_code}"]`,
        );
        expect(parseDisplayedInteger((await row.locator('[data-metric="entries"]').textContent()) ?? '')).toBe(
          c.entries,
        );
        expect(money(await row.locator('[data-metric="amount_minor"]').textContent(), facts.currency)).toBe(
          c.amount_minor,
        );
      }
    });

    it('draws the liability and ledger charts, and shows no empty state', async () => {
      expect(await view.page.locator('[data-testid="liability-chart"] svg').count()).toBeGreaterThan(0);
      expect(await view.page.locator('[data-testid="ledger-chart"] svg rect').count()).toBeGreaterThan(20);
      expect(await view.page.locator('[data-testid="rewards-empty"]').count()).toBe(0);
    });

    it('rendered without console errors and without a request leaving 127.0.0.1', () => {
      expect(view.requests.length).toBeGreaterThan(5);
      expect(offMachineRequests(view.requests)).toEqual([]);
      expect(view.errors).toEqual([]);
    });
  });

  describe('with an empty ledger (no rule sets)', () => {
    let empty: RecordedPage;

    beforeAll(async () => {
      // The run's shared degraded build: reward_ledger and reward_liability emptied, what a warehouse with no
      // rewards.ruleSets holds (fixtures/demo-site.ts, DEGRADATIONS).
      await server?.close();
      server = await startStaticServer({ root: (await sharedDegradedSite()).siteDir });
      empty = await browser.open(`${server.url}rewards`);
      await empty.page.waitForSelector('[data-testid="rewards-empty"]');
      await empty.page.screenshot({ path: join(SCREENSHOT_DIR, 'rewards-empty.png'), fullPage: true });
    });

    it('builds and says no rewards are configured yet, with no section left standing empty', async () => {
      await expect(empty.page.locator('[data-testid="rewards-empty"]').textContent()).resolves.toContain(
        'No rewards configured yet',
      );
      expect(await empty.page.locator('h2.needs-rewards').first().isVisible()).toBe(false);
      expect(await empty.page.locator('[data-testid="liability-cards"]').count()).toBe(0);
      expect(empty.errors).toEqual([]);
      expect(offMachineRequests(empty.requests)).toEqual([]);
    });
  });
});
