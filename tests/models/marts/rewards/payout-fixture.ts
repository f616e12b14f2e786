/**
 * The payout scenario shared by the payout ledger test and the payouts export CLI test.
 */
import { rewardsTestConfig, type Referee } from './fixture.js';

/*
 * Payouts: a fixed 1000-cent advocate reward, holding 30 days, clawback window 120 days, minimum payout 2000
 * cents, paid monthly on day 1 (00:00 UTC; approvals decided before that instant are in). The data ends with
 * N1's order on 2025-06-30, so the ledger is as of 2025-06-30 and the payout dates are 02-01 .. 06-01.
 *
 * ALICE (A1), by hand:
 *   R1 order 01-05 -> approved 02-04; R2 order 01-10 -> approved 02-09.
 *   2025-03-01: period [02-01, 03-01) = +1000 +1000 = 2000 >= 2000 -> paid 2000.
 *   R2 refunded 03-05 (54 days after 01-10, inside 120) -> clawed back -1000 after its payout.
 *   2025-04-01: period [03-01, 04-01) = -1000 -> balance -1000, carried (nothing paid, nothing lost).
 *   R3 order 03-10 -> approved 04-09; R4 03-15 -> 04-14; R5 03-20 -> 04-19.
 *   2025-05-01: -1000 carried + 3000 = 2000 -> paid 2000.
 * BOB (A2): R7 order 04-10 -> approved 05-10: 1000 < 2000, not paid on 06-01; R6 order 06-01 -> approves 07-01,
 *   after as-of: held.
 */
const order = (id: string, at: string, extra: Partial<NonNullable<Referee['order']>> = {}) => ({
  id,
  at,
  gross: 5000,
  ...extra,
});
export const payoutReferees: Referee[] = [
  { id: 'R1', code: 'ALICE', signedUp: '2025-01-01', order: order('O1', '2025-01-05') },
  {
    id: 'R2',
    code: 'ALICE',
    signedUp: '2025-01-01',
    order: order('O2', '2025-01-10', { status: 'refunded', refunded: 5000, refundedAt: '2025-03-05' }),
  },
  { id: 'R3', code: 'ALICE', signedUp: '2025-03-01', order: order('O3', '2025-03-10') },
  { id: 'R4', code: 'ALICE', signedUp: '2025-03-01', order: order('O4', '2025-03-15') },
  { id: 'R5', code: 'ALICE', signedUp: '2025-03-01', order: order('O5', '2025-03-20') },
  { id: 'R6', code: 'BOB', signedUp: '2025-05-01', order: order('O6', '2025-06-01') },
  { id: 'R7', code: 'BOB', signedUp: '2025-04-01', order: order('O7', '2025-04-10') },
];
export const payoutConfig = rewardsTestConfig({
  ruleSets: [
    {
      id: 'friends-cash',
      version: 1,
      effectiveFrom: '2025-01-01',
      programIds: ['friends'],
      qualifyingEvent: { type: 'purchase' },
      advocateReward: { type: 'fixed', amountMinor: 1000, currency: 'USD' },
      holdingDays: 30,
      clawbackDays: 120,
      minPayoutMinor: 2000,
      payoutSchedule: { dayOfMonth: 1 },
    },
  ],
});
