import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { land, memoryWarehouse } from '../../../helpers/landing.js';
import { brief, friendsCashRule, ledger, landReferrals, rewardsTestConfig } from './fixture.js';

/*
 * Reward types beyond fixed / percent / non-cash: recurring, activation and trial_converted, frequency limits,
 * churn clawback and proportional clawback of partial refunds. Each test has its own warehouse; data ends
 * 2025-06-30 (N1's order in the fixture). Program "friends", reporting USD. Every expected number is worked out
 * in the comment above it.
 */
let wh: Warehouse;
beforeEach(async () => {
  wh = await memoryWarehouse();
});
afterEach(async () => {
  await wh.close();
});

const paidOrder = (id: string, customer: string, at: string, gross = 5000) => ({
  order_id: id,
  customer_id: customer,
  ordered_at: `${at}T00:00:00Z`,
  currency: 'USD',
  gross_minor: gross,
  discount_minor: 0,
  tax_minor: 0,
  refunded_minor: 0,
  status: 'paid',
});

describe('recurring rewards', () => {
  it('pays the advocate again for each later month the referee pays, up to N months', async () => {
    // months: 3 -> the qualification month (Jan, the referral reward) and two repeats (Feb, Mar). Feb has two
    // orders: the first (02-03) counts. April is month 4: none. Each is approved 30 days after its order.
    await landReferrals(wh, [
      { id: 'R1', code: 'ALICE', signedUp: '2025-01-01', order: { id: 'O1', at: '2025-01-10', gross: 5000 } },
    ]);
    await land(wh, 'orders', [
      paidOrder('O1b', 'R1', '2025-02-03'),
      paidOrder('O1c', 'R1', '2025-02-20'),
      paidOrder('O1d', 'R1', '2025-03-15'),
      paidOrder('O1e', 'R1', '2025-04-02'),
    ]);
    const config = rewardsTestConfig({
      ruleSets: [
        friendsCashRule({
          advocateReward: { type: 'fixed', amountMinor: 500, currency: 'USD' },
          recurring: { months: 3 },
        }),
      ],
    });
    const rows = await ledger(wh, config);
    expect(brief(rows)).toEqual([
      ['R1', 'advocate', 'accrued', 500, '2025-01-10T00:00'],
      ['R1', 'advocate', 'accrued', 500, '2025-02-03T00:00'],
      ['R1', 'advocate', 'approved', 500, '2025-02-09T00:00'],
      ['R1', 'advocate', 'approved', 500, '2025-03-05T00:00'],
      ['R1', 'advocate', 'accrued', 500, '2025-03-15T00:00'],
      ['R1', 'advocate', 'approved', 500, '2025-04-14T00:00'],
    ]);
    const lines = await wh.query(`select reward_line, order_id, reason_code from reward_ledger
      where entry_type = 'accrued' order by decided_at`);
    expect(lines.map((l) => [l.reward_line, l.order_id, l.reason_code])).toEqual([
      ['referral', 'O1', 'qualified_purchase'],
      ['recurring', 'O1b', 'recurring_payment'],
      ['recurring', 'O1d', 'recurring_payment'],
    ]);
    expect(rows[1]!.reason).toBe(
      'Referee R1 paid again in month 2 of 3 (order O1b) on 2025-02-03; rule set friends-cash version 1 gives the ' +
        'advocate a fixed reward of 5.00 USD: 5.00 USD accrued, held until approval.',
    );
  });
});

describe('activation and trial_converted', () => {
  it('qualify on the earliest activated / trial_converted referral event of the referee', async () => {
    // act: 300 cents at R1's activation (02-01, the earlier of two events). trial: 10% of the trial order O-T
    // (20000 cents base) = 2000 at the trial_converted event (02-15). R2 has no events: nothing.
    await landReferrals(wh, [
      { id: 'R1', code: 'ALICE', signedUp: '2025-01-20', order: { id: 'O-T', at: '2025-02-15', gross: 20000 } },
      { id: 'R2', code: 'ALICE', signedUp: '2025-01-20' },
    ]);
    const event = (id: string, type: string, at: string, order?: string) => ({
      event_id: id,
      event_type: type,
      occurred_at: `${at}T00:00:00Z`,
      referral_code: 'ALICE',
      referee_id: 'R1',
      order_id: order,
    });
    await land(wh, 'referral_events', [
      event('e1', 'activated', '2025-02-01'),
      event('e2', 'activated', '2025-02-05'),
      event('e3', 'trial_converted', '2025-02-15', 'O-T'),
    ]);
    const config = rewardsTestConfig({
      ruleSets: [
        friendsCashRule({
          id: 'act',
          qualifyingEvent: { type: 'activation' },
          advocateReward: { type: 'fixed', amountMinor: 300, currency: 'USD' },
        }),
        friendsCashRule({
          id: 'trial',
          qualifyingEvent: { type: 'trial_converted' },
          advocateReward: { type: 'percent', percent: '10' },
        }),
      ],
    });
    const rows = await ledger(wh, config);
    expect(
      rows.filter((r) => r.entry_type === 'accrued').map((r) => [r.reason_code, r.amount_minor, r.decided_at]),
    ).toEqual([
      ['qualified_activation', 300, '2025-02-01T00:00:00.000Z'],
      ['qualified_trial_converted', 2000, '2025-02-15T00:00:00.000Z'],
    ]);
    expect(rows.every((r) => r.referee_id === 'R1')).toBe(true);
  });
});

describe('frequency limits', () => {
  it('cuts whole rewards beyond K per advocate per calendar month, before the caps', async () => {
    // maxRewards 2 per month: R1 (01-05) and R2 (01-06) rewarded, R3 (01-07) cut whole, R4 (02-01) in a new month.
    await landReferrals(
      wh,
      ['R1', 'R2', 'R3']
        .map((id, i) => ({
          id,
          code: 'ALICE',
          signedUp: '2025-01-01',
          order: { id: `O${id}`, at: `2025-01-0${5 + i}`, gross: 5000 },
        }))
        .concat([
          { id: 'R4', code: 'ALICE', signedUp: '2025-01-01', order: { id: 'OR4', at: '2025-02-01', gross: 5000 } },
        ]),
    );
    const config = rewardsTestConfig({
      ruleSets: [friendsCashRule({ frequencyLimit: { maxRewards: 2, per: 'month' } })],
    });
    const rows = await ledger(wh, config);
    expect(brief(rows).filter((r) => r[0] === 'R3' || r[0] === 'R4')).toEqual([
      ['R3', 'advocate', 'accrued', 1000, '2025-01-07T00:00'],
      ['R3', 'advocate', 'capped', -1000, '2025-01-07T00:00'],
      ['R4', 'advocate', 'accrued', 1000, '2025-02-01T00:00'],
      ['R4', 'advocate', 'approved', 1000, '2025-03-03T00:00'],
    ]);
    expect(rows.find((r) => r.entry_type === 'capped')!.reason).toBe(
      'Frequency limit of 2 rewards per advocate per month reached (rule set friends-cash version 1): 10.00 USD not awarded.',
    );
  });
});

describe('churn clawback', () => {
  it('reverses the reward when the referee has no other paid order within N days', async () => {
    // churnClawbackDays 45, holding 30: R1 never orders again -> clawed back on 01-05 + 45 = 02-19 (after its
    // 02-04 approval). R2 orders again on 02-01 (27 days): kept. R3 orders again on 03-01 (55 days > 45): clawed
    // back on 02-19 too. R4 (order 05-20): 05-20 + 45 = 07-04 is after the data's end (06-30): not decided yet.
    await landReferrals(wh, [
      { id: 'R1', code: 'ALICE', signedUp: '2025-01-01', order: { id: 'O1', at: '2025-01-05', gross: 5000 } },
      { id: 'R2', code: 'ALICE', signedUp: '2025-01-01', order: { id: 'O2', at: '2025-01-05', gross: 5000 } },
      { id: 'R3', code: 'ALICE', signedUp: '2025-01-01', order: { id: 'O3', at: '2025-01-05', gross: 5000 } },
      { id: 'R4', code: 'ALICE', signedUp: '2025-05-01', order: { id: 'O4', at: '2025-05-20', gross: 5000 } },
    ]);
    await land(wh, 'orders', [paidOrder('O2b', 'R2', '2025-02-01'), paidOrder('O3b', 'R3', '2025-03-01')]);
    const config = rewardsTestConfig({ ruleSets: [friendsCashRule({ churnClawbackDays: 45 })] });
    const rows = await ledger(wh, config);
    const reversals = rows.filter((r) => r.entry_type === 'clawed_back' || r.entry_type === 'voided');
    expect(reversals.map((r) => [r.referee_id, r.entry_type, r.amount_minor, r.reason_code, r.decided_at])).toEqual([
      ['R1', 'clawed_back', -1000, 'churn', '2025-02-19T00:00:00.000Z'],
      ['R3', 'clawed_back', -1000, 'churn', '2025-02-19T00:00:00.000Z'],
    ]);
    expect(reversals[0]!.reason).toBe(
      'Referee R1 made no further paid order in the 45 days after qualifying (by 2025-02-19), 45 days after ' +
        'qualifying: the approved 10.00 USD is clawed back.',
    );
    expect(rows.filter((r) => r.referee_id === 'R4').map((r) => r.entry_type)).toEqual(['accrued', 'approved']);
  });
});

describe('proportional clawback of partial refunds', () => {
  it('reverses the refunded share of what was paid, rounded half away from zero', async () => {
    // 10% advocate reward, partialRefunds proportional.
    // R1: 10000 paid -> 1000; 3000 refunded on 01-20 (holding): 30% -> 300 void, the remaining 700 approved 02-04.
    // R2: 10000 -> 1000; 2500 refunded on 02-20 (after approval, inside 60 days): 25% -> 250 clawed back.
    // R3: 10000 -> 1000, fully refunded on 02-20: all 1000 clawed back.
    // R4: 3333 -> round(333.3) = 333; 1000 refunded on 02-20: 333 * 1000 / 3333 = 99.91 -> 100 clawed back.
    const partly = (id: string, gross: number, refunded: number, at: string) => ({
      id,
      code: 'ALICE',
      signedUp: '2025-01-01',
      order: { id: `O${id}`, at: '2025-01-05', gross, refunded, refundedAt: at, status: 'partially_refunded' },
    });
    await landReferrals(wh, [
      partly('R1', 10000, 3000, '2025-01-20'),
      partly('R2', 10000, 2500, '2025-02-20'),
      {
        ...partly('R3', 10000, 10000, '2025-02-20'),
        order: { ...partly('R3', 10000, 10000, '2025-02-20').order, status: 'refunded' },
      },
      partly('R4', 3333, 1000, '2025-02-20'),
    ]);
    const config = rewardsTestConfig({
      ruleSets: [
        friendsCashRule({ advocateReward: { type: 'percent', percent: '10' }, partialRefunds: 'proportional' }),
      ],
    });
    const rows = await ledger(wh, config);
    expect(
      rows
        .filter((r) => r.entry_type !== 'accrued')
        .map((r) => [r.referee_id, r.entry_type, r.amount_minor, r.reason_code]),
    ).toEqual([
      ['R1', 'voided', -300, 'partial_refund_in_holding'],
      ['R1', 'approved', 700, 'holding_period_ended'],
      ['R2', 'approved', 1000, 'holding_period_ended'],
      ['R2', 'clawed_back', -250, 'partial_refund_in_window'],
      ['R3', 'approved', 1000, 'holding_period_ended'],
      ['R3', 'clawed_back', -1000, 'refund_in_window'],
      ['R4', 'approved', 333, 'holding_period_ended'],
      ['R4', 'clawed_back', -100, 'partial_refund_in_window'],
    ]);
    expect(rows.find((r) => r.referee_id === 'R1' && r.entry_type === 'voided')!.reason).toBe(
      'Order OR1 partly refunded (30% of what was paid) on 2025-01-20, within the 30-day holding period: ' +
        '3.00 USD of the held 10.00 USD is void.',
    );
    expect(rows.find((r) => r.referee_id === 'R1' && r.entry_type === 'approved')!.reason).toBe(
      'Holding period of 30 days ended on 2025-02-04: the remaining 7.00 USD approved.',
    );
  });
});
