/**
 * loadRewardRules (tier distribution and rule versions in force) on a real in-memory DuckDB with literal
 * reward_ledger and reward_rule_versions rows; every expected number is worked out by hand in a comment.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadRewardRules, NO_TIER } from '../../src/site/reward-rules-data.js';
import { loadRewardLedger } from '../../src/site/rewards-data.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb.js';

const NOW = new Date('2026-01-02T03:04:05Z');

describe('loadRewardRules', () => {
  let wh: DuckDBWarehouse;
  beforeEach(async () => {
    wh = await DuckDBWarehouse.open({ path: ':memory:' });
  });
  afterEach(async () => {
    await wh.close();
  });

  async function ledger() {
    await wh.exec(`create table main.reward_ledger as select * from (values
      ('l1', 'p1', 'A1', 'advocate', 'accrued', 'Bronze', 1, timestamp '2025-01-10 00:00:00', timestamp '2025-01-10 00:00:00', 'cash', 1),
      ('l2', 'p1', 'A1', 'advocate', 'accrued', 'Silver', 5, timestamp '2025-03-10 00:00:00', timestamp '2025-03-10 00:00:00', 'cash', 2),
      ('l3', 'p1', 'A1', 'advocate', 'approved', 'Gold', 9, timestamp '2025-04-10 00:00:00', timestamp '2025-04-10 00:00:00', 'cash', 2),
      ('l4', 'p1', 'A2', 'advocate', 'accrued', 'Bronze', 2, timestamp '2025-02-01 00:00:00', timestamp '2025-02-01 00:00:00', 'cash', 1),
      ('l5', 'p1', 'A2', 'referee', 'accrued', null, null, timestamp '2025-05-01 00:00:00', timestamp '2025-05-01 00:00:00', 'cash', 2),
      ('l6', 'p2', 'A3', 'advocate', 'accrued', null, null, timestamp '2025-02-01 00:00:00', timestamp '2025-02-03 00:00:00', 'comm', 1)
    ) t(ledger_entry_id, program_id, advocate_id, beneficiary_role, entry_type, tier, tier_referrals, qualified_at,
        effective_at, rule_set_id, rule_version)`);
  }

  it('counts advocates by the tier of their latest accrued referral, per program', async () => {
    await ledger();
    const data = await loadRewardRules(wh, 'main', { now: NOW });
    expect(data.tiers).toEqual([
      // A2's latest accrued advocate entry is l4 (Bronze; l5 is a referee reward).
      { program_id: 'p1', tier: 'Bronze', advocates: 1, min_referrals: 2 },
      // A1: l2 (Silver, March) is later than l1 (Bronze); l3 is not an accrual.
      { program_id: 'p1', tier: 'Silver', advocates: 1, min_referrals: 5 },
      // p2 has no tier rules.
      { program_id: 'p2', tier: NO_TIER, advocates: 1, min_referrals: null },
    ]);
  });

  it('lists rule versions from the ledger and the operational table, each ending where the next starts', async () => {
    await ledger();
    await wh.exec(`create table main.reward_rule_versions as select * from (values
      ('cash', 3, date '2025-06-01', 'experiment:amount-test:variant-b')
    ) t(rule_set_id, version, effective_from, origin)`);
    const data = await loadRewardRules(wh, 'main', { now: NOW });
    expect(data.versions).toEqual([
      // cash v1: ledger l1, l4 (effective 10 Jan and 1 Feb); ends when v2 first took effect (l2, 10 Mar).
      {
        rule_set_id: 'cash',
        version: 1,
        effective_from: '2025-01-10',
        effective_to: '2025-03-10',
        origin: 'config',
        from_source: 'reward_ledger',
        ledger_entries: 2,
        first_effective_at: '2025-01-10',
        last_effective_at: '2025-02-01',
        in_force: false,
      },
      // cash v2: l2, l3, l5 (10 Mar .. 1 May); ends at v3's effective_from.
      {
        rule_set_id: 'cash',
        version: 2,
        effective_from: '2025-03-10',
        effective_to: '2025-06-01',
        origin: 'config',
        from_source: 'reward_ledger',
        ledger_entries: 3,
        first_effective_at: '2025-03-10',
        last_effective_at: '2025-05-01',
        in_force: false,
      },
      // cash v3: promoted, nothing judged yet: in force from its effective_from.
      {
        rule_set_id: 'cash',
        version: 3,
        effective_from: '2025-06-01',
        effective_to: null,
        origin: 'experiment:amount-test:variant-b',
        from_source: 'reward_rule_versions',
        ledger_entries: 0,
        first_effective_at: null,
        last_effective_at: null,
        in_force: true,
      },
      // comm v1: l6 only (effective 3 Feb).
      {
        rule_set_id: 'comm',
        version: 1,
        effective_from: '2025-02-03',
        effective_to: null,
        origin: 'config',
        from_source: 'reward_ledger',
        ledger_entries: 1,
        first_effective_at: '2025-02-03',
        last_effective_at: '2025-02-03',
        in_force: true,
      },
    ]);
  });

  it('is empty with the reason when the tables are missing', async () => {
    const data = await loadRewardRules(wh, 'main', { now: NOW });
    expect(data).toMatchObject({
      tiers: [],
      versions: [],
      status: { state: 'missing', table: 'reward_ledger' },
      versionsStatus: { state: 'missing', table: 'reward_rule_versions' },
    });
  });
});

describe('loadRewardLedger column guard', () => {
  it('gives the empty, unavailable shape for a reward_ledger built before a column it reads', async () => {
    const wh = await DuckDBWarehouse.open({ path: ':memory:' });
    try {
      // No as_of, reason_code or currency: an older ledger.
      await wh.exec(`create table main.reward_ledger as select timestamp '2025-01-01 00:00:00' as effective_at,
        'accrued' as entry_type, 500 as amount_minor, 'cash' as rule_set_id, 1 as rule_version, 'p1' as program_id,
        'R1' as referral_id`);
      expect(await loadRewardLedger(wh, 'main', { now: NOW })).toMatchObject({
        available: false,
        monthly: [],
        ruleVersions: [],
      });
    } finally {
      await wh.close();
    }
  });
});
