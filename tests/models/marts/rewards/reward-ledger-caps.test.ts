import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { memoryWarehouse } from '../../../helpers/landing.js';
import { brief, friendsCashRule, landReferrals, ledger, rewardsTestConfig, type Referee } from './fixture.js';

/*
 * Caps on a fixed 2000-cent advocate reward: 5000 per advocate per month, 8000 per advocate per year, applied
 * in conversion order. ALICE (A1) refers R1-R4 in January and R5-R6 in February; BOB (A2) refers R7 in January
 * (a different advocate: untouched by ALICE's caps). The referee reward (500) is never capped by advocate caps.
 */
let wh: Warehouse;
const paid = (id: string, code: string, at: string): Referee => ({
  id,
  code,
  signedUp: '2025-01-01',
  order: { id: `O${id.slice(1)}`, at, gross: 10_000 },
});
beforeEach(async () => {
  wh = await memoryWarehouse();
  await landReferrals(wh, [
    paid('R1', 'ALICE', '2025-01-03'),
    paid('R2', 'ALICE', '2025-01-05'),
    paid('R3', 'ALICE', '2025-01-07'),
    paid('R4', 'ALICE', '2025-01-09'),
    paid('R5', 'ALICE', '2025-02-02'),
    paid('R6', 'ALICE', '2025-02-10'),
    paid('R7', 'BOB', '2025-01-08'),
  ]);
});
afterEach(async () => {
  await wh.close();
});

const config = (budget?: number) =>
  rewardsTestConfig({
    ruleSets: [
      friendsCashRule({
        advocateReward: { type: 'fixed', amountMinor: 2000, currency: 'USD' },
        refereeReward: { type: 'fixed', amountMinor: 500, currency: 'USD' },
        caps: { perAdvocatePerMonthMinor: 5000, perAdvocatePerYearMinor: 8000, programBudgetMinor: budget },
      }),
    ],
  });

describe('reward_ledger: caps', () => {
  it('cuts the excess over the monthly and yearly caps in conversion order', async () => {
    const rows = await ledger(wh, config());
    const advocate = rows.filter((r) => r.beneficiary_role === 'advocate');
    // Running January total for A1: 2000, 4000, 6000, 8000 against the 5000 monthly cap:
    //   R1 min(5000,2000)-min(5000,0)=2000, R2 4000-2000=2000, R3 5000-4000=1000 (cut 1000), R4 5000-5000=0 (cut 2000).
    // February (month restarts): R5 2000, R6 2000 pass the monthly cap; the year total granted is
    //   5000 (Jan) + 2000 (R5) = 7000, then R6: min(8000, 9000) - min(8000, 7000) = 1000 (yearly cut 1000).
    // R4 is granted 0, so it gets no approval entry.
    expect(brief(advocate)).toEqual([
      ['R1', 'advocate', 'accrued', 2000, '2025-01-03T00:00'],
      ['R1', 'advocate', 'approved', 2000, '2025-02-02T00:00'],
      ['R2', 'advocate', 'accrued', 2000, '2025-01-05T00:00'],
      ['R2', 'advocate', 'approved', 2000, '2025-02-04T00:00'],
      ['R3', 'advocate', 'accrued', 2000, '2025-01-07T00:00'],
      ['R3', 'advocate', 'capped', -1000, '2025-01-07T00:00'],
      ['R3', 'advocate', 'approved', 1000, '2025-02-06T00:00'],
      ['R4', 'advocate', 'accrued', 2000, '2025-01-09T00:00'],
      ['R4', 'advocate', 'capped', -2000, '2025-01-09T00:00'],
      ['R5', 'advocate', 'accrued', 2000, '2025-02-02T00:00'],
      ['R5', 'advocate', 'approved', 2000, '2025-03-04T00:00'],
      ['R6', 'advocate', 'accrued', 2000, '2025-02-10T00:00'],
      ['R6', 'advocate', 'capped', -1000, '2025-02-10T00:00'],
      ['R6', 'advocate', 'approved', 1000, '2025-03-12T00:00'],
      ['R7', 'advocate', 'accrued', 2000, '2025-01-08T00:00'],
      ['R7', 'advocate', 'approved', 2000, '2025-02-07T00:00'],
    ]);
    const capped = advocate.filter((r) => r.entry_type === 'capped');
    expect(capped.map((r) => [r.referee_id, r.reason_code, r.held_delta_minor])).toEqual([
      ['R3', 'cap_advocate_month', -1000],
      ['R4', 'cap_advocate_month', -2000],
      ['R6', 'cap_advocate_year', -1000],
    ]);
    expect(capped[0]!.reason).toBe(
      'Monthly cap of 50.00 USD per advocate reached for 2025-01 (rule set friends-cash version 1): 10.00 USD not awarded.',
    );
    expect(capped[2]!.reason).toBe(
      'Yearly cap of 80.00 USD per advocate reached for 2025 (rule set friends-cash version 1): 10.00 USD not awarded.',
    );
    // Referees: seven uncapped 500-cent rewards.
    expect(rows.filter((r) => r.beneficiary_role === 'referee' && r.entry_type === 'approved').length).toBe(7);
    // Approved: A1 2000+2000+1000+0+2000+1000 = 8000 (its yearly cap), A2 2000, referees 7 x 500 = 3500.
    expect(
      await wh.query(
        `select status, rewards, beneficiaries, amount_minor from reward_liability_by_status order by status`,
      ),
    ).toEqual([{ status: 'approved_unpaid', rewards: 13, beneficiaries: 9, amount_minor: 8000 + 2000 + 3500 }]);
  });

  it('stops every reward once the program budget is spent', async () => {
    // Budget 6000 over all rewards in (conversion, referral_id, role) order, after the advocate caps:
    // R1 adv 2000 (2000), R1 ref 500 (2500), R2 adv 2000 (4500), R2 ref 500 (5000), R3 adv 1000 (6000, the month
    // cap already cut 1000), then nothing: R3 ref is cut 500 and every later reward is cut whole.
    const rows = await ledger(wh, config(6000));
    const budgetCuts = rows.filter((r) => r.reason_code === 'cap_program_budget');
    expect(budgetCuts.map((r) => [r.referee_id, r.beneficiary_role, r.amount_minor])).toEqual([
      ['R3', 'referee', -500],
      ['R4', 'referee', -500],
      ['R5', 'advocate', -2000],
      ['R5', 'referee', -500],
      ['R6', 'advocate', -1000], // 2000 less the yearly cut of 1000
      ['R6', 'referee', -500],
      ['R7', 'advocate', -2000],
      ['R7', 'referee', -500],
    ]);
    expect(budgetCuts[0]!.reason).toBe(
      'Program budget of 60.00 USD for rule set friends-cash version 1 reached: 5.00 USD not awarded.',
    );
    expect(await wh.query(`select sum(amount_minor) as total from reward_liability_by_status`)).toEqual([
      { total: 6000 },
    ]);
  });
});

describe('reward_ledger: ties and replay', () => {
  it('breaks a tie in conversion time by referral_id, whatever order the rows landed in', async () => {
    // R8 and R9 (ALICE) convert at the same instant in March with 3000 cents of monthly room left after R10.
    const tied: Referee[] = [
      paid('R10', 'ALICE', '2025-03-01'),
      paid('R8', 'ALICE', '2025-03-03'),
      paid('R9', 'ALICE', '2025-03-03'),
    ];
    const run = async (rows: Referee[]) => {
      const fresh = await memoryWarehouse();
      try {
        await landReferrals(fresh, rows);
        const out = await ledger(fresh, config());
        const ids = await fresh.query<{ referee_id: string; referral_id: string }>(
          `select distinct referee_id, referral_id from reward_ledger where referee_id in ('R8', 'R9') order by referral_id`,
        );
        return { out, first: ids[0]!.referee_id };
      } finally {
        await fresh.close();
      }
    };
    const a = await run(tied);
    const b = await run([...tied].reverse());
    expect(b.out).toEqual(a.out);
    // Monthly room after R10: 5000 - 2000 = 3000. The lower referral_id gets 2000, the other 1000 (cut 1000).
    const granted = (id: string) =>
      a.out
        .filter((r) => r.referee_id === id && r.beneficiary_role === 'advocate' && r.entry_type !== 'approved')
        .reduce((s, r) => s + r.amount_minor, 0);
    const second = a.first === 'R8' ? 'R9' : 'R8';
    expect([granted(a.first), granted(second)]).toEqual([2000, 1000]);
  });
});
