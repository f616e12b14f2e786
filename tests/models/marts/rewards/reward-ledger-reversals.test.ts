import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { memoryWarehouse } from '../../../helpers/landing.js';
import { brief, ledger, landReferrals, rewardsTestConfig } from './fixture.js';

/*
 * Refunds and chargebacks against a fixed 2000-cent advocate reward, holding 30 days, clawback window 60 days
 * from conversion (inclusive). Every referee is ALICE's (A1); no caps, so the referrals do not interact.
 */
let wh: Warehouse;
beforeEach(async () => {
  wh = await memoryWarehouse();
  await landReferrals(wh, [
    // Refunded 46 days after conversion (2025-01-05 -> 2025-02-20): approved on day 30, clawed back on day 46.
    {
      id: 'R4',
      code: 'ALICE',
      signedUp: '2025-01-01',
      order: { id: 'O4', at: '2025-01-05', gross: 5000, status: 'refunded', refunded: 5000, refundedAt: '2025-02-20' },
    },
    // Charged back 5 days after conversion, inside the holding period: the held reward is void, never approved.
    {
      id: 'R3',
      code: 'ALICE',
      signedUp: '2025-01-02',
      order: { id: 'O3', at: '2025-01-20', gross: 5000, status: 'chargeback', chargebackAt: '2025-01-25' },
    },
    // Refunded 85 days after conversion (2025-01-06 -> 2025-04-01), outside the 60-day window: nothing changes.
    {
      id: 'R5',
      code: 'ALICE',
      signedUp: '2025-01-03',
      order: { id: 'O5', at: '2025-01-06', gross: 5000, status: 'refunded', refunded: 5000, refundedAt: '2025-04-01' },
    },
    // Refunded exactly 60 days after conversion (2025-01-07 -> 2025-03-08): the window is inclusive, clawed back.
    {
      id: 'R6',
      code: 'ALICE',
      signedUp: '2025-01-03',
      order: { id: 'O6', at: '2025-01-07', gross: 5000, status: 'refunded', refunded: 5000, refundedAt: '2025-03-08' },
    },
  ]);
});
afterEach(async () => {
  await wh.close();
});

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
        holdingDays: 30,
        clawbackDays: 60,
      },
    ],
  });

describe('reward_ledger: refunds and chargebacks', () => {
  it('voids inside holding, claws back inside the window, ignores a refund after it', async () => {
    const rows = await ledger(wh, config());
    expect(brief(rows)).toEqual([
      ['R3', 'advocate', 'accrued', 2000, '2025-01-20T00:00'],
      ['R3', 'advocate', 'voided', -2000, '2025-01-25T00:00'],
      ['R4', 'advocate', 'accrued', 2000, '2025-01-05T00:00'],
      ['R4', 'advocate', 'approved', 2000, '2025-02-04T00:00'], // 2025-01-05 + 30 days
      ['R4', 'advocate', 'clawed_back', -2000, '2025-02-20T00:00'],
      ['R5', 'advocate', 'accrued', 2000, '2025-01-06T00:00'],
      ['R5', 'advocate', 'approved', 2000, '2025-02-05T00:00'],
      ['R6', 'advocate', 'accrued', 2000, '2025-01-07T00:00'],
      ['R6', 'advocate', 'approved', 2000, '2025-02-06T00:00'],
      ['R6', 'advocate', 'clawed_back', -2000, '2025-03-08T00:00'],
    ]);
    const byCode = Object.fromEntries(rows.map((r) => [`${r.referee_id}:${r.entry_type}`, r]));
    expect(byCode['R3:voided']!.reason_code).toBe('chargeback_in_holding');
    expect(byCode['R3:voided']!.reason).toBe(
      'Order O3 charged back on 2025-01-25, within the 30-day holding period: the held 20.00 USD is void.',
    );
    expect(byCode['R3:voided']!.held_delta_minor).toBe(-2000);
    expect(byCode['R4:clawed_back']!.reason_code).toBe('refund_in_window');
    expect(byCode['R4:clawed_back']!.reason).toBe(
      'Order O4 refunded on 2025-02-20, 46 days after qualifying, inside the 60-day clawback window: ' +
        'the approved 20.00 USD is clawed back.',
    );
    expect([byCode['R4:clawed_back']!.held_delta_minor, byCode['R4:clawed_back']!.approved_delta_minor]).toEqual([
      0, -2000,
    ]);
    // Only R5's reward survives: 2000 approved; R3 (void), R4 and R6 (clawed back) net to 0.
    expect(await wh.query(`select status, rewards, amount_minor from reward_liability_by_status`)).toEqual([
      { status: 'approved_unpaid', rewards: 1, amount_minor: 2000 },
    ]);
  });

  it('does not know a refund that happens after the as-of date', async () => {
    // As of 2025-02-10: R4 approved (02-04), its 02-20 refund not yet; R3's 01-25 chargeback already voided it.
    const rows = brief(await ledger(wh, config('2025-02-10')));
    expect(rows.filter((r) => r[0] === 'R4').map((r) => r[2])).toEqual(['accrued', 'approved']);
    expect(rows.filter((r) => r[0] === 'R3').map((r) => r[2])).toEqual(['accrued', 'voided']);
    // Approved unpaid: R4, R5, R6 at 2000 each = 6000.
    expect(await wh.query(`select status, rewards, amount_minor from reward_liability_by_status`)).toEqual([
      { status: 'approved_unpaid', rewards: 3, amount_minor: 6000 },
    ]);
  });
});
