/**
 * End to end: synthetic demo data (2,000 customers, the demo's reward rule sets) -> all models -> the Framework
 * site -> headless Chromium. The "Rewards and liability" page's numbers must equal direct SQL on the marts:
 * liability per status (reward_liability), per program, status and kind, decisions per rule set version and
 * clawbacks per reason (reward_ledger). Then the same warehouse with an empty ledger (no rule set has judged
 * anything) must still build, and the page must say "No rewards configured yet". Screenshots of both go to
 * <tmp>/refstack-site-screenshots/ (not committed).
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildDemoWarehouse } from '../../src/pipeline.js';
import { buildSite } from '../../src/site/build.js';
import { startStaticServer, type StaticServer } from '../../src/site/static-server.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb.js';
import { launchBrowser, offMachineRequests, type RecordedPage, type TestBrowser } from './fixtures/browser.js';
import { parseDisplayedInteger } from './fixtures/funnel-page.js';

// Two site builds (demo, then empty ledger) and a browser: tens of seconds.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });

const SCREENSHOT_DIR = join(tmpdir(), 'refstack-site-screenshots');

interface Facts {
  currency: string;
  byStatus: Map<string, number>;
  rows: { program_id: string; status: string; reward_kind: string; rewards: number; amount_minor: number }[];
  versions: { rule_set_id: string; rule_version: number; decisions: number }[];
  clawbacks: { program_id: string; entry_type: string; reason_code: string; entries: number; amount_minor: number }[];
}

async function martFacts(path: string): Promise<Facts> {
  const wh = await DuckDBWarehouse.open({ path, readOnly: true });
  try {
    const [currency, byStatus, rows, versions, clawbacks] = await Promise.all([
      wh.query<{ c: string }>('select distinct currency as c from main.reward_liability'),
      wh.query<{ status: string; amount_minor: number }>(
        'select status, cast(sum(amount_minor) as bigint) as amount_minor from main.reward_liability group by 1',
      ),
      wh.query<Facts['rows'][number]>(
        `select program_id, status, reward_kind, cast(sum(rewards) as bigint) as rewards,
           cast(sum(amount_minor) as bigint) as amount_minor
         from main.reward_liability group by 1, 2, 3 order by 1, 2, 3`,
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
      rows: rows.map((r) => ({ ...r, rewards: Number(r.rewards), amount_minor: Number(r.amount_minor) })),
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
  let dir: string;
  let warehousePath: string;
  let facts: Facts;
  let server: StaticServer | undefined;
  let browser: TestBrowser;
  let view: RecordedPage;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'refstack-site-rewards-'));
    warehousePath = join(dir, 'warehouse.duckdb');
    await buildDemoWarehouse({ warehousePath, customers: 2_000, seed: 7 });
    facts = await martFacts(warehousePath);
    const outDir = join(dir, 'site');
    await buildSite({ warehousePath, outDir, quiet: true });
    server = await startStaticServer({ root: outDir });
    browser = await launchBrowser();
    view = await browser.open(`${server.url}rewards`);
    await view.page.waitForSelector('[data-testid="clawbacks-table"]');
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await view.page.screenshot({ path: join(SCREENSHOT_DIR, 'rewards.png'), fullPage: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe('on the synthetic demo', () => {
    it('has liability in both statuses, several rule versions and some clawbacks', () => {
      expect([...facts.byStatus.keys()].sort()).toEqual(['approved_unpaid', 'held']);
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

    it('lists liability per program, status and reward kind', async () => {
      const shown = await view.page.locator('[data-testid="liability-table"] tbody tr').evaluateAll((trs) =>
        trs.map((tr) => ({
          key: `${tr.getAttribute('data-program')}|${tr.getAttribute('data-status')}|${tr.getAttribute('data-kind')}`,
          rewards: tr.querySelector('[data-metric="rewards"]')?.textContent ?? '',
          amount: tr.querySelector('[data-metric="amount_minor"]')?.textContent ?? '',
        })),
      );
      expect(shown.map((r) => r.key).sort()).toEqual(
        facts.rows.map((r) => `${r.program_id}|${r.status}|${r.reward_kind}`).sort(),
      );
      for (const r of facts.rows) {
        const s = shown.find((x) => x.key === `${r.program_id}|${r.status}|${r.reward_kind}`)!;
        expect(parseDisplayedInteger(s.rewards)).toBe(r.rewards);
        expect(money(s.amount, facts.currency)).toBe(r.amount_minor);
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
      // The demo warehouse with the reward marts emptied: what a warehouse with no rewards.ruleSets holds.
      const emptyPath = join(dir, 'empty.duckdb');
      copyFileSync(warehousePath, emptyPath);
      const wh = await DuckDBWarehouse.open({ path: emptyPath });
      try {
        await wh.exec('delete from main.reward_ledger; delete from main.reward_liability');
      } finally {
        await wh.close();
      }
      await server?.close();
      const outDir = join(dir, 'site-empty');
      await buildSite({ warehousePath: emptyPath, outDir, quiet: true });
      server = await startStaticServer({ root: outDir });
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
