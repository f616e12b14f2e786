import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { memoryWarehouse } from '../../../helpers/landing.js';
import { brief, ledger, landReferrals, rewardsTestConfig } from './fixture.js';

/*
 * Literal referrals in, literal ledger entries out. Reporting currency USD (2 decimals), EUR -> USD at 1.08.
 * Amounts are minor units (cents). Rounding: half away from zero to minor units. The data's latest timestamp
 * is the 2025-06-30 order of the non-referred N1 (fixture), so the default as-of date is 2025-06-30.
 */
let wh: Warehouse;
beforeEach(async () => {
  wh = await memoryWarehouse();
});
afterEach(async () => {
  await wh.close();
});

const rule = (over: Record<string, unknown> = {}) => ({
  id: 'friends-cash',
  version: 1,
  effectiveFrom: '2025-01-01',
  programIds: ['friends'],
  qualifyingEvent: { type: 'purchase' },
  advocateReward: { type: 'fixed', amountMinor: 2000, currency: 'USD' },
  holdingDays: 30,
  clawbackDays: 60,
  ...over,
});

describe('reward_ledger: fixed, double-sided, holding then approval', () => {
  beforeEach(async () => {
    await landReferrals(wh, [
      {
        id: 'R1',
        code: 'ALICE',
        signedUp: '2025-01-10T09:00:00Z',
        order: { id: 'O1', at: '2025-01-15T10:00:00Z', gross: 10_000 },
      },
    ]);
  });
  const config = (asOf?: string) =>
    rewardsTestConfig({
      asOf,
      ruleSets: [rule({ refereeReward: { type: 'fixed', amountMinor: 1000, currency: 'EUR' } })],
    });

  it('accrues both sides at conversion and approves them 30 days later', async () => {
    const rows = await ledger(wh, config());
    // Advocate: fixed 2000 USD cents. Referee: 1000 EUR cents x 1.08 = 1080 USD cents.
    // Approval: converted 2025-01-15T10:00 + 30 days = 2025-02-14T10:00.
    expect(brief(rows)).toEqual([
      ['R1', 'advocate', 'accrued', 2000, '2025-01-15T10:00'],
      ['R1', 'advocate', 'approved', 2000, '2025-02-14T10:00'],
      ['R1', 'referee', 'accrued', 1080, '2025-01-15T10:00'],
      ['R1', 'referee', 'approved', 1080, '2025-02-14T10:00'],
    ]);
    expect(rows.map((r) => [r.held_delta_minor, r.approved_delta_minor, r.reason_code])).toEqual([
      [2000, 0, 'qualified_purchase'],
      [-2000, 2000, 'holding_period_ended'],
      [1080, 0, 'qualified_purchase'],
      [-1080, 1080, 'holding_period_ended'],
    ]);
    expect(rows[0]!.reason).toBe(
      'Referee R1 made a qualifying purchase (order O1) on 2025-01-15; rule set friends-cash version 1 gives the ' +
        'advocate a fixed reward of 20.00 USD: 20.00 USD accrued, held until approval.',
    );
    expect(rows[2]!.reason).toContain('gives the referee a fixed reward of 10.00 EUR: 10.80 USD accrued');
    expect(rows[1]!.reason).toBe(
      'Holding period of 30 days ended on 2025-02-14 with no refund or chargeback: 20.00 USD approved.',
    );
    const liability = await wh.query(
      `select cast(as_of as varchar) as as_of, program_id, status, reward_kind, currency, rewards, beneficiaries, amount_minor
       from reward_liability_by_status order by status`,
    );
    // 2000 + 1080 = 3080 approved, nothing held.
    expect(liability).toEqual([
      {
        as_of: '2025-06-30',
        program_id: 'friends',
        status: 'approved_unpaid',
        reward_kind: 'cash',
        currency: 'USD',
        rewards: 2,
        beneficiaries: 2,
        amount_minor: 3080,
      },
    ]);
  });

  it('holds the rewards until the approval instant when run as of an earlier date', async () => {
    // As of 2025-02-13 (through its end) the approval at 2025-02-14T10:00 has not happened: 2000 + 1080 held.
    expect(brief(await ledger(wh, config('2025-02-13')))).toEqual([
      ['R1', 'advocate', 'accrued', 2000, '2025-01-15T10:00'],
      ['R1', 'referee', 'accrued', 1080, '2025-01-15T10:00'],
    ]);
    expect(await wh.query(`select status, rewards, amount_minor from reward_liability_by_status`)).toEqual([
      { status: 'held', rewards: 2, amount_minor: 3080 },
    ]);
    // As of 2025-02-14 the approval (10:00 that day) is in.
    expect(brief(await ledger(wh, config('2025-02-14'))).map((r) => r[2])).toEqual([
      'accrued',
      'approved',
      'accrued',
      'approved',
    ]);
  });
});

describe('reward_ledger: percent of the commission base', () => {
  it('takes the percent of gross - discount - tax in reporting cents, rounded half away from zero', async () => {
    await landReferrals(wh, [
      // Base 2172 - 200 tax = 1972 USD cents; 12.5% = 246.5 -> 247 (half away from zero; banker's would give 246).
      { id: 'R1', code: 'ALICE', signedUp: '2025-01-10', order: { id: 'O1', at: '2025-01-15', gross: 2172, tax: 200 } },
      // Base 2500 - 250 discount = 2250 EUR cents x 1.08 = 2430 USD cents; 12.5% = 303.75 -> 304. Partly refunded
      // on 2025-05-01, 101 days after conversion, outside the 60-day window: no clawback, and the base is the
      // amount before refunds (the accrual never changes when a refund lands later).
      {
        id: 'R2',
        code: 'BOB',
        signedUp: '2025-01-18',
        order: {
          id: 'O2',
          at: '2025-01-20',
          currency: 'EUR',
          gross: 2500,
          discount: 250,
          status: 'partially_refunded',
          refunded: 500,
          refundedAt: '2025-05-01',
        },
      },
    ]);
    const rows = await ledger(
      wh,
      rewardsTestConfig({ ruleSets: [rule({ advocateReward: { type: 'percent', percent: '12.5' } })] }),
    );
    expect(brief(rows)).toEqual([
      ['R1', 'advocate', 'accrued', 247, '2025-01-15T00:00'],
      ['R1', 'advocate', 'approved', 247, '2025-02-14T00:00'],
      ['R2', 'advocate', 'accrued', 304, '2025-01-20T00:00'],
      ['R2', 'advocate', 'approved', 304, '2025-02-19T00:00'],
    ]);
    expect(rows[0]!.reason).toContain('12.5% of the commission base (base 19.72 USD): 2.47 USD accrued');
    expect(rows[2]!.reason).toContain('(base 24.30 USD): 3.04 USD accrued');
  });
});
