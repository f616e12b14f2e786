import { describe, expect, it } from 'vitest';
import { rewardRuleSetSchema } from '../../../models/marts/rewards/config-schema.js';
import { payoutDates, schedulePayouts, type ApprovedDelta } from '../../../models/rewards/payout-schedule.js';

const rule = (over: Record<string, unknown>) =>
  rewardRuleSetSchema.parse({
    id: 'r',
    version: 1,
    effectiveFrom: '2025-01-10',
    programIds: ['friends'],
    qualifyingEvent: { type: 'purchase' },
    advocateReward: { type: 'fixed', amountMinor: 1000, currency: 'USD' },
    ...over,
  });

describe('payoutDates', () => {
  it('takes the day and threshold of the version governing each date, from the first version on', () => {
    // v1 [01-10, 03-20) pays on day 5, threshold 2000; v2 [03-20, open) pays on day 25, threshold 0.
    // 01-05 is before the rule set; 03-05 is v1's; 03-25 is v2's; v1's 04-05 is governed by v2 (not day 5).
    const sets = [
      rule({ effectiveTo: '2025-03-20', payoutSchedule: { dayOfMonth: 5 }, minPayoutMinor: 2000 }),
      rule({ version: 2, effectiveFrom: '2025-03-20', payoutSchedule: { dayOfMonth: 25 } }),
    ];
    expect(payoutDates(sets, '2025-04-25').map((p) => [p.date, p.ruleVersion, p.minPayoutMinor])).toEqual([
      ['2025-02-05', 1, 2000],
      ['2025-03-05', 1, 2000],
      ['2025-03-25', 2, 0],
      ['2025-04-25', 2, 0],
    ]);
  });

  it('has no dates without a schedule', () => {
    expect(payoutDates([rule({})], '2026-01-01')).toEqual([]);
  });
});

describe('schedulePayouts', () => {
  const dates = payoutDates([rule({ payoutSchedule: { dayOfMonth: 1 }, minPayoutMinor: 2000 })], '2025-07-01');
  const delta = (payoutDate: string, deltaMinor: number, beneficiaryId = 'A1'): ApprovedDelta => ({
    programId: 'friends',
    ruleSetId: 'r',
    beneficiaryRole: 'advocate',
    beneficiaryId,
    payoutDate,
    deltaMinor,
  });

  it('carries a balance below the threshold and a negative balance, and pays the whole balance once it is enough', () => {
    // By hand (threshold 2000): 03-01 +1500 -> carried 1500; 04-01 +1000 -> 2500 paid; 05-01 -1000 (clawback)
    // -> carried -1000; 06-01 +4000 -> 3000 paid. B1: +500 on 03-01 is never paid. Paid 5500 = approved 5500.
    const payouts = schedulePayouts(
      [
        delta('2025-03-01', 1500),
        delta('2025-04-01', 1000),
        delta('2025-05-01', -1000),
        delta('2025-06-01', 4000),
        delta('2025-03-01', 500, 'B1'),
      ],
      dates,
    );
    expect(payouts.map((p) => [p.beneficiaryId, p.payoutDate, p.carriedMinor, p.periodMinor, p.amountMinor])).toEqual([
      ['A1', '2025-04-01', 1500, 1000, 2500],
      ['A1', '2025-06-01', -1000, 4000, 3000],
    ]);
  });

  it('pays a referee at the referee minimum (default 0), not at the advocate threshold', () => {
    // By hand: the same +500 on 03-01 is below the advocate threshold 2000 (carried), but a referee's one-off
    // reward is paid on the next payout date (refereeMinPayoutMinor 0 -> threshold max(0, 1) = 1).
    const referee = { ...delta('2025-03-01', 500, 'R1'), beneficiaryRole: 'referee' };
    const payouts = schedulePayouts([referee, delta('2025-03-01', 500, 'A2')], dates);
    expect(
      payouts.map((p) => [p.beneficiaryRole, p.beneficiaryId, p.payoutDate, p.amountMinor, p.minPayoutMinor]),
    ).toEqual([['referee', 'R1', '2025-03-01', 500, 0]]);
    const strict = payoutDates(
      [rule({ payoutSchedule: { dayOfMonth: 1 }, minPayoutMinor: 2000, refereeMinPayoutMinor: 1000 })],
      '2025-07-01',
    );
    expect(schedulePayouts([referee], strict)).toEqual([]);
  });

  it('rejects a delta on a date that is not a payout date', () => {
    expect(() => schedulePayouts([delta('2025-03-02', 1)], dates)).toThrow(
      'approved delta dated 2025-03-02 is not a payout date of rule set "r"',
    );
  });
});
