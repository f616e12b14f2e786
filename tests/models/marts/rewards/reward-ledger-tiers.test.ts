import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { memoryWarehouse } from '../../../helpers/landing.js';
import { ledger, landReferrals, rewardsTestConfig, type Referee } from './fixture.js';

/*
 * Tiers on a fixed 2000-cent advocate reward: Bronze from 1 successful referral (x1), Silver from 3 (x1.5), Gold
 * from 5 (x2), counted over a trailing 30-day window that includes the referral being judged. A referral counts
 * as successful unless its order was refunded or charged back inside the clawback window before the referral
 * being judged qualified (only what was known then, so a tier never changes after the decision).
 */
let wh: Warehouse;
const paid = (id: string, at: string, extra: Partial<NonNullable<Referee['order']>> = {}): Referee => ({
  id,
  code: 'ALICE',
  signedUp: '2025-01-01',
  order: { id: `O${id.slice(1)}`, at, gross: 10_000, ...extra },
});
beforeEach(async () => {
  wh = await memoryWarehouse();
  await landReferrals(wh, [
    paid('R1', '2025-01-03'),
    paid('R2', '2025-01-06', { status: 'chargeback', chargebackAt: '2025-01-09' }),
    paid('R3', '2025-01-15'),
    paid('R4', '2025-01-20'),
    paid('R5', '2025-02-10'),
    paid('R6', '2025-02-20'),
  ]);
});
afterEach(async () => {
  await wh.close();
});

describe('reward_ledger: tiers', () => {
  it('upgrades mid-month, ignores reversed referrals, and slides with the window', async () => {
    const rows = await ledger(
      wh,
      rewardsTestConfig({
        ruleSets: [
          {
            id: 'friends-cash',
            version: 1,
            effectiveFrom: '2025-01-01',
            programIds: ['friends'],
            qualifyingEvent: { type: 'purchase' },
            advocateReward: { type: 'fixed', amountMinor: 2000, currency: 'USD' },
            tiers: [
              { name: 'Bronze', threshold: 1, multiplier: '1' },
              { name: 'Silver', threshold: 3, multiplier: '1.5' },
              { name: 'Gold', threshold: 5, multiplier: '2' },
            ],
            tierWindowDays: 30,
          },
        ],
      }),
    );
    const accrued = rows.filter((r) => r.entry_type === 'accrued');
    // Successful referrals in the 30 days up to and including each one:
    //   R1 (Jan 3): R1 = 1 -> Bronze, 2000.
    //   R2 (Jan 6): R1, R2 = 2 -> Bronze, 2000 (its Jan 9 chargeback comes later; it is then voided).
    //   R3 (Jan 15): R1, R3 = 2 (R2 was charged back on Jan 9) -> Bronze, 2000.
    //   R4 (Jan 20): R1, R3, R4 = 3 -> Silver, 2000 x 1.5 = 3000: the upgrade in the middle of January.
    //   R5 (Feb 10): window after Jan 11: R3, R4, R5 = 3 -> Silver, 3000.
    //   R6 (Feb 20): window after Jan 21: R5, R6 = 2 -> Bronze, 2000.
    expect(accrued.map((r) => [r.referee_id, r.amount_minor])).toEqual([
      ['R1', 2000],
      ['R2', 2000],
      ['R3', 2000],
      ['R4', 3000],
      ['R5', 3000],
      ['R6', 2000],
    ]);
    const tiers = await wh.query<{ referee_id: string; tier: string }>(
      `select referee_id, tier from reward_ledger where entry_type = 'accrued' order by referee_id`,
    );
    expect(tiers.map((t) => t.tier)).toEqual(['Bronze', 'Bronze', 'Bronze', 'Silver', 'Silver', 'Bronze']);
    expect(accrued[3]!.reason).toBe(
      'Referee R4 made a qualifying purchase (order O4) on 2025-01-20; rule set friends-cash version 1 gives the ' +
        'advocate a fixed reward of 20.00 USD, x1.5 at tier Silver (3 successful referrals in 30 days): ' +
        '30.00 USD accrued, held until approval.',
    );
    expect(rows.filter((r) => r.referee_id === 'R2').map((r) => [r.entry_type, r.amount_minor])).toEqual([
      ['accrued', 2000],
      ['voided', -2000],
    ]);
  });
});

describe('reward_ledger: milestones', () => {
  const config = (asOf?: string) =>
    rewardsTestConfig({
      asOf,
      ruleSets: [
        {
          id: 'friends-cash',
          version: 1,
          effectiveFrom: '2025-01-01',
          programIds: ['friends'],
          qualifyingEvent: { type: 'purchase' },
          advocateReward: { type: 'fixed', amountMinor: 2000, currency: 'USD' },
          milestones: [
            { referrals: 2, reward: { type: 'fixed', amountMinor: 500, currency: 'USD' } },
            {
              referrals: 4,
              reward: { type: 'non_cash', description: 'one free month', cashEquivalentMinor: 1500, currency: 'USD' },
            },
          ],
        },
      ],
    });

  it('pays a milestone once, when the approval of a referral brings the count to it', async () => {
    const rows = await ledger(wh, config());
    const milestones = await wh.query<{ referee_id: string; entry_type: string; amount_minor: number; day: string }>(`
      select referee_id, entry_type, amount_minor, reward_kind, cast(effective_at as varchar) as day
      from reward_ledger where reward_line = 'milestone' order by decided_at, entry_type`);
    // Approvals (conversion + 30 days), R2 excluded (charged back in holding): R1 Feb 2 (1st), R3 Feb 14 (2nd),
    // R4 Feb 19 (3rd), R5 Mar 12 (4th), R6 Mar 22 (5th). Milestone 2 -> R3's approval, 500; milestone 4 -> R5's,
    // the free month at its 1500 cash equivalent.
    expect(milestones).toEqual([
      { referee_id: 'R3', entry_type: 'accrued', amount_minor: 500, reward_kind: 'cash', day: '2025-02-14' },
      { referee_id: 'R3', entry_type: 'approved', amount_minor: 500, reward_kind: 'cash', day: '2025-02-14' },
      { referee_id: 'R5', entry_type: 'accrued', amount_minor: 1500, reward_kind: 'non_cash', day: '2025-03-12' },
      { referee_id: 'R5', entry_type: 'approved', amount_minor: 1500, reward_kind: 'non_cash', day: '2025-03-12' },
    ]);
    expect(rows.find((r) => r.referee_id === 'R3' && r.reason_code === 'milestone_reached')!.reason).toBe(
      'Advocate A1 reached 2 approved referrals when the referral of R3 was approved on 2025-02-14; rule set ' +
        'friends-cash version 1 gives a fixed reward of 5.00 USD for that milestone: 5.00 USD accrued.',
    );
    // Liability: referral rewards R1, R3, R4, R5, R6 approved at 2000 = 10000 cash + 500 cash milestone; the free
    // month 1500 non-cash.
    expect(
      await wh.query(
        `select status, reward_kind, rewards, amount_minor from reward_liability_by_status order by reward_kind`,
      ),
    ).toEqual([
      { status: 'approved_unpaid', reward_kind: 'cash', rewards: 6, amount_minor: 10_500 },
      { status: 'approved_unpaid', reward_kind: 'non_cash', rewards: 1, amount_minor: 1500 },
    ]);
  });

  it('has not reached the second milestone as of the day before', async () => {
    await ledger(wh, config('2025-03-11'));
    expect(
      await wh.query(
        `select count(*) as n from reward_ledger where reward_line = 'milestone' and entry_type = 'accrued'`,
      ),
    ).toEqual([{ n: 1 }]);
  });
});
