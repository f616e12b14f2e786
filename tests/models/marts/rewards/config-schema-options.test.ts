import { describe, expect, it } from 'vitest';
import { rewardsConfig } from '../../../../models/marts/rewards/config-schema.js';

/* Config errors for the payout and reward-type options name the key path and the bad value. */
const rule = (over: Record<string, unknown> = {}) => ({
  id: 'friends-cash',
  version: 1,
  effectiveFrom: '2025-01-01',
  programIds: ['friends'],
  qualifyingEvent: { type: 'purchase' },
  advocateReward: { type: 'fixed', amountMinor: 2000, currency: 'USD' },
  ...over,
});
const problems = (over: Record<string, unknown>): string => {
  try {
    rewardsConfig({ rewards: { ruleSets: [rule(over)] } });
  } catch (err) {
    return (err as Error).message;
  }
  return 'no error';
};

describe('rewards rule set options', () => {
  it('defaults: no payouts, full reversal of partial refunds, no churn, frequency or recurring rule', () => {
    const [r] = rewardsConfig({ rewards: { ruleSets: [rule()] } }).ruleSets;
    expect(r).toMatchObject({ partialRefunds: 'full' });
    expect([r!.payoutSchedule, r!.churnClawbackDays, r!.frequencyLimit, r!.recurring]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    const [s] = rewardsConfig({ rewards: { ruleSets: [rule({ payoutSchedule: { dayOfMonth: 15 } })] } }).ruleSets;
    expect(s!.payoutSchedule).toEqual({ frequency: 'monthly', dayOfMonth: 15 });
  });

  it('rejects a payout day that not every month has, naming it', () => {
    expect(problems({ payoutSchedule: { dayOfMonth: 31 } })).toBe(
      'config rewards.ruleSets[0].payoutSchedule.dayOfMonth: expected a day of month 1-28 (every month has it), got 31',
    );
  });

  it('rejects bad reward-type options, naming each', () => {
    expect(problems({ partialRefunds: 'half' })).toBe(
      'config rewards.ruleSets[0].partialRefunds: expected "full" or "proportional", got "half"',
    );
    expect(problems({ frequencyLimit: { maxRewards: 0, per: 'month' } })).toBe(
      'config rewards.ruleSets[0].frequencyLimit.maxRewards: expected a positive number of rewards, got 0',
    );
    expect(problems({ recurring: { months: 1 } })).toBe(
      'config rewards.ruleSets[0].recurring.months: expected a whole number of months 2-60, got 1',
    );
    expect(problems({ qualifyingEvent: { type: 'activation' }, recurring: { months: 3 } })).toBe(
      "config rewards.ruleSets[0].recurring: recurring rewards count the referee's paid months after a purchase " +
        '(qualifyingEvent activation has none), got {"months":3}',
    );
    expect(
      problems({ qualifyingEvent: { type: 'activation' }, advocateReward: { type: 'percent', percent: '5' } }),
    ).toBe(
      'config rewards.ruleSets[0].advocateReward.type: a percent reward needs a purchase to take the percent of ' +
        '(qualifyingEvent activation has none), got "percent"',
    );
  });
});
