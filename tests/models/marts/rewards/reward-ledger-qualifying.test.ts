import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { memoryWarehouse } from '../../../helpers/landing.js';
import { brief, ledger, landReferrals, rewardsTestConfig } from './fixture.js';

/*
 * Two rule sets on one program, each judged on its own: a sign-up bonus (a non-cash "one free month" for the
 * referee, cash equivalent 1500 cents, 7-day holding) and a big-spender reward (1000 cents to the advocate when
 * the first order's commission base is at least 5000 USD cents).
 */
let wh: Warehouse;
beforeEach(async () => {
  wh = await memoryWarehouse();
  await landReferrals(wh, [
    // Base 5200 - 201 tax = 4999: one cent short of the minimum.
    { id: 'R1', code: 'ALICE', signedUp: '2025-01-10', order: { id: 'O1', at: '2025-01-12', gross: 5200, tax: 201 } },
    // Base 5500 - 300 discount - 200 tax = 5000: exactly the minimum, qualifies.
    {
      id: 'R2',
      code: 'ALICE',
      signedUp: '2025-01-11',
      order: { id: 'O2', at: '2025-01-13', gross: 5500, discount: 300, tax: 200 },
    },
    // An unpaid first order never qualifies for a purchase reward; the sign-up still does.
    {
      id: 'R3',
      code: 'BOB',
      signedUp: '2025-01-12',
      order: { id: 'O3', at: '2025-01-14', gross: 9000, status: 'unpaid' },
    },
  ]);
});
afterEach(async () => {
  await wh.close();
});

const config = rewardsTestConfig({
  ruleSets: [
    {
      id: 'signup-bonus',
      version: 1,
      effectiveFrom: '2025-01-01',
      programIds: ['friends'],
      qualifyingEvent: { type: 'signup' },
      refereeReward: { type: 'non_cash', description: 'one free month', cashEquivalentMinor: 1500, currency: 'USD' },
      holdingDays: 7,
    },
    {
      id: 'big-spender',
      version: 1,
      effectiveFrom: '2025-01-01',
      programIds: ['friends'],
      qualifyingEvent: { type: 'purchase_min', minMinor: 5000, currency: 'USD' },
      advocateReward: { type: 'fixed', amountMinor: 1000, currency: 'USD' },
    },
  ],
});

describe('reward_ledger: qualifying events', () => {
  it('rewards sign-ups, purchases at or above the minimum, and only paid orders', async () => {
    const rows = await ledger(wh, config);
    expect(brief(rows)).toEqual([
      ['R1', 'referee', 'accrued', 1500, '2025-01-10T00:00'],
      ['R1', 'referee', 'approved', 1500, '2025-01-17T00:00'], // sign-up + 7 days
      ['R2', 'advocate', 'accrued', 1000, '2025-01-13T00:00'],
      ['R2', 'advocate', 'approved', 1000, '2025-02-12T00:00'], // default holding: 30 days
      ['R2', 'referee', 'accrued', 1500, '2025-01-11T00:00'],
      ['R2', 'referee', 'approved', 1500, '2025-01-18T00:00'],
      ['R3', 'referee', 'accrued', 1500, '2025-01-12T00:00'],
      ['R3', 'referee', 'approved', 1500, '2025-01-19T00:00'],
    ]);
    expect(rows[0]!.reason).toBe(
      'Referee R1 signed up on 2025-01-10; rule set signup-bonus version 1 gives the referee the non-cash reward ' +
        '"one free month" (cash equivalent 15.00 USD): 15.00 USD accrued, held until approval.',
    );
    expect(rows[0]!.reason_code).toBe('qualified_signup');
    expect(rows[2]!.reason_code).toBe('qualified_purchase_min');
    // Liability: three non-cash months at 1500 = 4500 and one cash reward of 1000, all approved.
    expect(
      await wh.query(
        `select status, reward_kind, rewards, amount_minor from reward_liability_by_status order by reward_kind`,
      ),
    ).toEqual([
      { status: 'approved_unpaid', reward_kind: 'cash', rewards: 1, amount_minor: 1000 },
      { status: 'approved_unpaid', reward_kind: 'non_cash', rewards: 3, amount_minor: 4500 },
    ]);
  });

  it('fails naming the rule when a program id is unknown or a currency has no rate', async () => {
    const bad = (over: Record<string, unknown>) =>
      rewardsTestConfig({
        ruleSets: [
          {
            id: 'x',
            version: 1,
            effectiveFrom: '2025-01-01',
            programIds: ['friends'],
            qualifyingEvent: { type: 'purchase' },
            advocateReward: { type: 'fixed', amountMinor: 1, currency: 'USD' },
            ...over,
          },
        ],
      });
    await expect(ledger(wh, bad({ programIds: ['partners'] }))).rejects.toThrow(
      'config rewards.ruleSets[0].programIds[0]: unknown program "partners" (configured: friends)',
    );
    await expect(
      ledger(wh, bad({ advocateReward: { type: 'fixed', amountMinor: 1, currency: 'GBP' } })),
    ).rejects.toThrow('config rewards.ruleSets[0].advocateReward.currency: no FX rate from GBP to USD');
  });
});

describe('reward_ledger without rules', () => {
  it('builds empty ledger and liability tables when no rule set is configured', async () => {
    expect(await ledger(wh, rewardsTestConfig({}))).toEqual([]);
    expect(await wh.query(`select count(*) as n from reward_liability_by_status`)).toEqual([{ n: 0 }]);
  });
});
