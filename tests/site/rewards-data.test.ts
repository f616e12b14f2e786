/**
 * loadRewardLiability and loadRewardLedger on a real in-memory DuckDB with literal mart rows (the columns the
 * loaders read, with the marts' types); every expected sum is worked out by hand in the comments.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadRewardLedger, loadRewardLiability } from '../../src/site/rewards-data.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb.js';

const NOW = new Date('2026-01-02T03:04:05Z');

async function writeLiability(wh: DuckDBWarehouse, currencies = ['USD']): Promise<void> {
  const cur = (i: number) => `'${currencies[i % currencies.length]}'`;
  await wh.exec(`create table main.reward_liability as
select date '2025-08-31' as as_of, program_id, status, reward_kind, currency, cast(rewards as bigint) as rewards,
  cast(beneficiaries as bigint) as beneficiaries, cast(amount_minor as bigint) as amount_minor
from (values
  ('friends', 'held', 'cash', ${cur(0)}, 2, 2, 1000),
  ('friends', 'approved_unpaid', 'cash', ${cur(1)}, 3, 3, 4500),
  ('friends', 'approved_unpaid', 'non_cash', ${cur(0)}, 1, 1, 1500),
  ('partners', 'held', 'cash', ${cur(0)}, 1, 1, 250)
) t(program_id, status, reward_kind, currency, rewards, beneficiaries, amount_minor)`);
}

async function writeLedger(wh: DuckDBWarehouse, rows = true): Promise<void> {
  await wh.exec(`create table main.reward_ledger as
select program_id, rule_set_id, cast(rule_version as integer) as rule_version, referral_id, entry_type, reason_code,
  cast(amount_minor as bigint) as amount_minor, 'USD' as currency, cast(effective_at as date) as effective_at,
  date '2025-08-31' as as_of
from (values
  ('friends', 'fc', 1, 'r1', 'accrued', 'qualified_purchase', 1000, '2025-01-10'),
  ('friends', 'fc', 1, 'r1', 'approved', 'holding_period_ended', 1000, '2025-02-09'),
  ('friends', 'fc', 2, 'r2', 'accrued', 'qualified_purchase', 500, '2025-07-05'),
  ('friends', 'fc', 2, 'r2', 'voided', 'refund_in_holding', -500, '2025-07-20'),
  ('nordics-pilot', 'fc', 2, 'r3', 'accrued', 'qualified_purchase', 700, '2025-07-06'),
  ('nordics-pilot', 'fc', 2, 'r3', 'approved', 'holding_period_ended', 700, '2025-08-05'),
  ('nordics-pilot', 'fc', 2, 'r3', 'clawed_back', 'chargeback_in_window', -700, '2025-08-20'),
  ('partners', 'pc', 1, 'r4', 'accrued', 'qualified_purchase_min', 250, '2025-07-31')
) t(program_id, rule_set_id, rule_version, referral_id, entry_type, reason_code, amount_minor, effective_at)
${rows ? '' : 'where false'}`);
}

describe('site data for the Rewards and liability page', () => {
  let wh: DuckDBWarehouse;
  beforeEach(async () => {
    wh = await DuckDBWarehouse.open({ path: ':memory:' });
  });
  afterEach(async () => {
    await wh.close();
  });

  it('sums liability per program, status and kind, and per status over everything', async () => {
    await writeLiability(wh);
    const data = await loadRewardLiability(wh, 'main', { now: NOW });
    expect(data).toMatchObject({
      available: true,
      currency: 'USD',
      asOf: '2025-08-31',
      programs: ['friends', 'partners'],
    });
    expect(data.rows.map((r) => [r.program_id, r.status, r.reward_kind, r.rewards, r.amount_minor])).toEqual([
      ['friends', 'approved_unpaid', 'cash', 3, 4500],
      ['friends', 'approved_unpaid', 'non_cash', 1, 1500],
      ['friends', 'held', 'cash', 2, 1000],
      ['partners', 'held', 'cash', 1, 250],
    ]);
    // held: 1000 + 250 = 1250 in 2 + 1 = 3 rewards; approved: 4500 + 1500 = 6000 in 3 + 1 = 4 rewards.
    expect(data.totals).toEqual([
      { status: 'held', rewards: 3, amount_minor: 1250 },
      { status: 'approved_unpaid', rewards: 4, amount_minor: 6000 },
    ]);
  });

  it('sums the ledger per month and entry type, per rule version, and lists clawbacks', async () => {
    await writeLedger(wh);
    const data = await loadRewardLedger(wh, 'main', { now: NOW });
    expect(data).toMatchObject({ available: true, currency: 'USD', asOf: '2025-08-31' });
    // July: accrued 500 + 700 + 250 = 1450 in 3 entries; voided -500.
    expect(data.monthly.map((m) => [m.month, m.entry_type, m.entries, m.amount_minor])).toEqual([
      ['2025-01-01', 'accrued', 1, 1000],
      ['2025-02-01', 'approved', 1, 1000],
      ['2025-07-01', 'accrued', 3, 1450],
      ['2025-07-01', 'voided', 1, -500],
      ['2025-08-01', 'approved', 1, 700],
      ['2025-08-01', 'clawed_back', 1, -700],
    ]);
    // accrued 1000 + 500 + 700 + 250 = 2450 in 4; approved 1000 + 700 = 1700 in 2.
    expect(data.byType).toEqual([
      { entry_type: 'accrued', entries: 4, amount_minor: 2450 },
      { entry_type: 'approved', entries: 2, amount_minor: 1700 },
      { entry_type: 'clawed_back', entries: 1, amount_minor: -700 },
      { entry_type: 'voided', entries: 1, amount_minor: -500 },
    ]);
    // fc v2 judged friends (r2: 2 entries) and nordics-pilot (r3: 3 entries): 5 decisions, 2 referrals,
    // accrued 500 + 700 = 1200; it is the latest version of fc, v1 is not.
    expect(data.ruleVersions).toEqual([
      {
        rule_set_id: 'fc',
        rule_version: 1,
        programs: ['friends'],
        decisions: 2,
        referrals: 1,
        accrued_minor: 1000,
        first_decision: '2025-01-10',
        last_decision: '2025-02-09',
        latest: false,
      },
      {
        rule_set_id: 'fc',
        rule_version: 2,
        programs: ['friends', 'nordics-pilot'],
        decisions: 5,
        referrals: 2,
        accrued_minor: 1200,
        first_decision: '2025-07-05',
        last_decision: '2025-08-20',
        latest: true,
      },
      {
        rule_set_id: 'pc',
        rule_version: 1,
        programs: ['partners'],
        decisions: 1,
        referrals: 1,
        accrued_minor: 250,
        first_decision: '2025-07-31',
        last_decision: '2025-07-31',
        latest: true,
      },
    ]);
    expect(data.clawbacks).toEqual([
      { program_id: 'friends', entry_type: 'voided', reason_code: 'refund_in_holding', entries: 1, amount_minor: -500 },
      {
        program_id: 'nordics-pilot',
        entry_type: 'clawed_back',
        reason_code: 'chargeback_in_window',
        entries: 1,
        amount_minor: -700,
      },
    ]);
  });

  it('gives an empty ledger (no rule sets) as empty arrays, not an error', async () => {
    await writeLedger(wh, false);
    const data = await loadRewardLedger(wh, 'main', { now: NOW });
    expect(data).toEqual({
      generatedAt: '2026-01-02T03:04:05.000Z',
      available: true,
      currency: null,
      asOf: null,
      monthly: [],
      byType: [],
      ruleVersions: [],
      clawbacks: [],
    });
  });

  it('reports missing marts as unavailable instead of failing the site build', async () => {
    expect(await loadRewardLedger(wh, 'main', { now: NOW })).toMatchObject({ available: false, ruleVersions: [] });
    expect(await loadRewardLiability(wh, 'main', { now: NOW })).toMatchObject({ available: false, totals: [] });
  });

  it('refuses a liability table that mixes currencies, naming them', async () => {
    await writeLiability(wh, ['USD', 'EUR']);
    await expect(loadRewardLiability(wh, 'main')).rejects.toThrow('main.reward_liability mixes currencies (EUR, USD)');
  });
});
