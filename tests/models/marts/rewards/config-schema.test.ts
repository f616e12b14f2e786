import { describe, expect, it } from 'vitest';
import { rewardsConfig, rewardsConfigSchema } from '../../../../models/marts/rewards/config-schema.js';
import { formatMinor, percentFactor } from '../../../../models/rewards/rules-sql.js';

const rule = (over: Record<string, unknown> = {}) => ({
  id: 'friends-cash',
  version: 1,
  effectiveFrom: '2025-01-01',
  programIds: ['friends'],
  qualifyingEvent: { type: 'purchase' },
  advocateReward: { type: 'fixed', amountMinor: 2000, currency: 'USD' },
  ...over,
});

const problems = (rewards: unknown): string => {
  try {
    rewardsConfig({ rewards });
  } catch (err) {
    return (err as Error).message;
  }
  return 'no error';
};

describe('rewards config', () => {
  it('fills defaults: no rule sets, 30 holding days, 60 clawback days, no caps', () => {
    expect(rewardsConfig({})).toEqual({ ruleSets: [] });
    const [parsed] = rewardsConfigSchema.parse({ ruleSets: [rule()] }).ruleSets;
    expect(parsed).toMatchObject({ holdingDays: 30, clawbackDays: 60, caps: {}, minPayoutMinor: 0, tiers: [] });
  });

  it('accepts consecutive versions of one rule set', () => {
    const ruleSets = [rule({ effectiveTo: '2025-03-01' }), rule({ version: 2, effectiveFrom: '2025-03-01' })];
    expect(rewardsConfig({ rewards: { ruleSets } }).ruleSets.map((r) => r.version)).toEqual([1, 2]);
  });

  it('rejects overlapping versions, naming both', () => {
    const ruleSets = [rule({ effectiveTo: '2025-03-02' }), rule({ version: 2, effectiveFrom: '2025-03-01' })];
    expect(problems({ ruleSets })).toBe(
      'config rewards.ruleSets[1].effectiveFrom: rule set "friends-cash" version 2 [2025-03-01, open) overlaps ' +
        'version 1 [2025-01-01, 2025-03-02), got "2025-03-01"',
    );
    // An open-ended version 1 overlaps everything after it.
    expect(problems({ ruleSets: [rule(), rule({ version: 2, effectiveFrom: '2026-01-01' })] })).toContain(
      'version 2 [2026-01-01, open) overlaps version 1 [2025-01-01, open)',
    );
  });

  it('rejects duplicate versions, bad ranges, money as floats and percents as numbers', () => {
    expect(problems({ ruleSets: [rule(), rule()] })).toContain('duplicate version 1 of rule set "friends-cash"');
    expect(problems({ ruleSets: [rule({ effectiveTo: '2025-01-01' })] })).toContain(
      'rewards.ruleSets[0].effectiveTo: expected a date after effectiveFrom 2025-01-01',
    );
    expect(
      problems({ ruleSets: [rule({ advocateReward: { type: 'fixed', amountMinor: 20.5, currency: 'USD' } })] }),
    ).toContain('rewards.ruleSets[0].advocateReward.amountMinor: expected the reward as integer minor units, got 20.5');
    expect(problems({ ruleSets: [rule({ advocateReward: { type: 'percent', percent: 10 } })] })).toContain(
      'expected the percent as a decimal string',
    );
    expect(
      problems({
        ruleSets: [rule({ qualifyingEvent: { type: 'signup' }, advocateReward: { type: 'percent', percent: '10' } })],
      }),
    ).toContain('a percent reward needs a purchase');
    expect(problems({ ruleSets: [rule({ advocateReward: undefined })] })).toContain(
      'expected advocateReward or refereeReward',
    );
  });

  it('ignores the legacy rewards.tiers key until it is migrated into rule sets', () => {
    expect(rewardsConfig({ rewards: { tiers: [{ name: 'Gold', threshold: 5, multiplier: '1.5' }] } })).toEqual({
      ruleSets: [],
    });
  });
});

describe('rule helpers', () => {
  it('turns a percent string into an exact factor and formats minor units', () => {
    expect([percentFactor('12.5'), percentFactor('10'), percentFactor('0.25'), percentFactor('100')]).toEqual([
      '0.125',
      '0.1',
      '0.0025',
      '1',
    ]);
    expect([
      formatMinor(2050, 'USD'),
      formatMinor(5, 'USD'),
      formatMinor(1500, 'JPY'),
      formatMinor(1234, 'KWD'),
    ]).toEqual(['20.50 USD', '0.05 USD', '1500 JPY', '1.234 KWD']);
  });
});

describe('rewards config messages', () => {
  it('names the key path of a bad tier threshold (the example tests/config.test.ts uses today)', () => {
    const tiers = [
      { name: 'Bronze', threshold: 1 },
      { name: 'Silver', threshold: -3 },
    ];
    expect(problems({ ruleSets: [rule({ tiers })] }).split('\n')).toContain(
      'config rewards.ruleSets[0].tiers[1].threshold: expected a positive integer, got -3',
    );
  });
});
