import { describe, expect, it } from 'vitest';
import { rewardRuleSetSchema, type RewardRuleSet } from '../../../models/marts/rewards/config-schema.js';
import { effectiveRuleSets, readRuleSets } from '../../../models/rewards/rule-versions.js';
import {
  ensureOperationalTables,
  REWARD_RULE_VERSIONS_COLUMNS,
  REWARD_RULE_VERSIONS_TABLE,
} from '../../../src/operational-tables.js';
import { memoryWarehouse, testConfig } from '../../helpers/landing.js';

const rule = (over: Partial<RewardRuleSet>): RewardRuleSet =>
  rewardRuleSetSchema.parse({
    id: 'cash',
    version: 1,
    effectiveFrom: '2025-01-01',
    programIds: ['friends'],
    qualifyingEvent: { type: 'purchase' },
    advocateReward: { type: 'fixed', amountMinor: 1000, currency: 'USD' },
    ...over,
  });

const ranges = (sets: RewardRuleSet[]) => sets.map((s) => [s.id, s.version, s.effectiveFrom, s.effectiveTo ?? null]);

describe('effectiveRuleSets', () => {
  it('returns config rule sets unchanged when nothing was promoted', () => {
    const v1 = rule({});
    expect(effectiveRuleSets([v1], [])).toEqual([v1]);
  });

  it('closes the open version at the promoted effectiveFrom; the promoted one runs open-ended', () => {
    const v1 = rule({});
    const v2 = rule({ version: 2, effectiveFrom: '2025-06-01' });
    const out = effectiveRuleSets([v1], [v2]);
    expect(ranges(out)).toEqual([
      ['cash', 1, '2025-01-01', '2025-06-01'],
      ['cash', 2, '2025-06-01', null],
    ]);
    // pure: the inputs are not changed
    expect(v1.effectiveTo).toBeUndefined();
  });

  it('a promoted version inside a closed range inherits that range end, so later config versions stay', () => {
    const v1 = rule({ effectiveTo: '2025-07-01' });
    const v2 = rule({ version: 2, effectiveFrom: '2025-07-01' });
    const v3 = rule({ version: 3, effectiveFrom: '2025-03-15' });
    expect(ranges(effectiveRuleSets([v1, v2], [v3]))).toEqual([
      ['cash', 1, '2025-01-01', '2025-03-15'],
      ['cash', 2, '2025-07-01', null],
      ['cash', 3, '2025-03-15', '2025-07-01'],
    ]);
  });

  it('applies several promotions in version order, whatever order they come in', () => {
    const v1 = rule({});
    const v2 = rule({ version: 2, effectiveFrom: '2025-03-01' });
    const v3 = rule({ version: 3, effectiveFrom: '2025-05-01' });
    expect(ranges(effectiveRuleSets([v1], [v3, v2]))).toEqual([
      ['cash', 1, '2025-01-01', '2025-03-01'],
      ['cash', 2, '2025-03-01', '2025-05-01'],
      ['cash', 3, '2025-05-01', null],
    ]);
  });

  it('leaves other rule set ids alone', () => {
    const other = rule({ id: 'other' });
    const out = effectiveRuleSets([rule({}), other], [rule({ version: 2, effectiveFrom: '2025-02-01' })]);
    expect(out.find((s) => s.id === 'other')?.effectiveTo).toBeUndefined();
  });

  it('refuses a promotion with nothing in effect to replace, naming the version and the date', () => {
    expect(() =>
      effectiveRuleSets([rule({ effectiveFrom: '2025-02-01' })], [rule({ version: 2, effectiveFrom: '2025-01-10' })]),
    ).toThrow(
      'promoted rule set "cash" version 2 [2025-01-10, open): no version of "cash" is in effect on 2025-01-10 to replace (version 1 [2025-02-01, open))',
    );
  });

  it('refuses a promotion starting the same day as the version it replaces', () => {
    expect(() => effectiveRuleSets([rule({})], [rule({ version: 2 })])).toThrow(
      'starts the same day as version 1 [2025-01-01, open)',
    );
  });

  it('refuses a duplicate version', () => {
    expect(() => effectiveRuleSets([rule({})], [rule({ effectiveFrom: '2025-02-01' })])).toThrow(
      'duplicate version 1 of rule set "cash"',
    );
  });
});

describe('readRuleSets', () => {
  const config = testConfig({ rewards: { ruleSets: [rule({})] } });
  const row = (r: RewardRuleSet, effectiveFrom = r.effectiveFrom) => [
    r.id,
    r.version,
    new Date(`${effectiveFrom}T00:00:00Z`),
    JSON.stringify(r),
    'ana',
    new Date('2026-01-01T00:00:00Z'),
    'experiment:test:b',
    'audit-1',
  ];

  it('reads config rule sets alone when the table is absent or empty', async () => {
    const wh = await memoryWarehouse();
    try {
      expect(ranges(await readRuleSets(wh, config))).toEqual([['cash', 1, '2025-01-01', null]]);
      await ensureOperationalTables(wh, 'main');
      expect(ranges(await readRuleSets(wh, config))).toEqual([['cash', 1, '2025-01-01', null]]);
    } finally {
      await wh.close();
    }
  });

  it('applies the versions in reward_rule_versions', async () => {
    const wh = await memoryWarehouse();
    try {
      await ensureOperationalTables(wh, 'main');
      const v2 = rule({
        version: 2,
        effectiveFrom: '2025-06-01',
        advocateReward: { type: 'percent', percent: '12.5' },
      });
      await wh.appendRows('main', REWARD_RULE_VERSIONS_TABLE, REWARD_RULE_VERSIONS_COLUMNS, [row(v2)]);
      const out = await readRuleSets(wh, config);
      expect(ranges(out)).toEqual([
        ['cash', 1, '2025-01-01', '2025-06-01'],
        ['cash', 2, '2025-06-01', null],
      ]);
      expect(out[1]?.advocateReward).toEqual({ type: 'percent', percent: '12.5' });
    } finally {
      await wh.close();
    }
  });

  it('names the row when a stored definition is invalid or disagrees with its row', async () => {
    const wh = await memoryWarehouse();
    try {
      await ensureOperationalTables(wh, 'main');
      const v2 = rule({ version: 2, effectiveFrom: '2025-06-01' });
      await wh.appendRows('main', REWARD_RULE_VERSIONS_TABLE, REWARD_RULE_VERSIONS_COLUMNS, [row(v2, '2025-06-02')]);
      await expect(readRuleSets(wh, config)).rejects.toThrow(
        'main.reward_rule_versions row (rule_set_id "cash", version 2): definition says id "cash", version 2, effectiveFrom 2025-06-01, but the row says effective_from 2025-06-02',
      );
      await wh.exec(`delete from main.reward_rule_versions`);
      await wh.appendRows('main', REWARD_RULE_VERSIONS_TABLE, REWARD_RULE_VERSIONS_COLUMNS, [
        row({ ...v2, holdingDays: -1 }),
      ]);
      await expect(readRuleSets(wh, config)).rejects.toThrow('invalid definition: holdingDays:');
    } finally {
      await wh.close();
    }
  });
});
