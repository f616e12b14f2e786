import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { runModels } from '../../../../src/models/runner.js';
import { demoConfig } from '../../../../src/pipeline.js';
import { memoryWarehouse } from '../../../helpers/landing.js';
import { landReferrals, registry } from './fixture.js';
import { payoutConfig as config, payoutReferees as referees } from './payout-fixture.js';

/* The scenario and its hand calculation are in payout-fixture.ts. */
let wh: Warehouse;
beforeAll(async () => {
  wh = await memoryWarehouse();
  await landReferrals(wh, referees);
  await runModels({ wh, config, registry: registry(), select: ['reward_liability', 'payout_batches'] });
}, 60_000);
afterAll(async () => {
  await wh?.close();
});

describe('reward_ledger payouts', () => {
  it('pays the whole approved balance at or above the threshold and carries a clawback into the next payout', async () => {
    const rows = await wh.query<{ beneficiary_id: string; effective_at: Date; amount_minor: number }>(`
      select beneficiary_id, effective_at, amount_minor, approved_delta_minor, paid_delta_minor, payout_batch_id, reason
      from reward_ledger where entry_type = 'payout' order by effective_at`);
    expect(rows.map((r) => [r.beneficiary_id, r.effective_at.toISOString().slice(0, 10), r.amount_minor])).toEqual([
      ['A1', '2025-03-01', 2000],
      ['A1', '2025-05-01', 2000],
    ]);
    expect(rows[1]).toMatchObject({
      approved_delta_minor: -2000,
      paid_delta_minor: 2000,
      payout_batch_id: 'payout-friends-USD-2025-05-01',
      reason:
        'Payout on 2025-05-01 in batch payout-friends-USD-2025-05-01: the approved balance of 20.00 USD is paid, ' +
        'after deducting 10.00 USD clawed back since an earlier payout (rule set friends-cash version 1 pays ' +
        'monthly on day 1 when the balance is at least 20.00 USD).',
    });
  });

  it('keeps balances per advocate: paid never above approved, below-threshold and held amounts owed', async () => {
    const balances = await wh.query(`
      select beneficiary_id, sum(held_delta_minor) as held, sum(approved_delta_minor) as unpaid,
        sum(paid_delta_minor) as paid,
        sum(case when entry_type in ('approved', 'clawed_back') then amount_minor else 0 end) as approved_net
      from reward_ledger group by 1 order by 1`);
    // A1: 5 approvals (5000) - 1 clawback (1000) = 4000 approved net, all paid. A2: 1000 approved, 1000 held.
    expect(balances.map((b) => ({ ...b }))).toEqual([
      { beneficiary_id: 'A1', held: 0, unpaid: 0, paid: 4000, approved_net: 4000 },
      { beneficiary_id: 'A2', held: 1000, unpaid: 1000, paid: 0, approved_net: 1000 },
    ]);
  });

  it('reports liability as of the ledger date with exposure and aging', async () => {
    const [row] = await wh.query(`select * from reward_liability`);
    // Exposure: A1's paid rewards whose 120-day window is open after 06-30: R3 (03-10 + 120 = 07-08), R4 (07-13),
    // R5 (07-18) = 3000; R1 (05-05) closed, R2 clawed back. Aging: R6 held since 06-01 (29 days) -> 0-30;
    // R7 approved 05-10 and unpaid (51 days) -> 31-60.
    expect({ ...row, as_of: (row!.as_of as Date).toISOString().slice(0, 10) }).toEqual({
      as_of: '2025-06-30',
      program_id: 'friends',
      currency: 'USD',
      held_minor: 1000,
      approved_unpaid_minor: 1000,
      paid_minor: 4000,
      clawed_back_minor: 1000,
      voided_minor: 0,
      clawback_exposure_minor: 3000,
      aging_0_30_minor: 1000,
      aging_31_60_minor: 1000,
      aging_61_90_minor: 0,
      aging_90_plus_minor: 0,
      non_cash_outstanding_minor: 0,
      beneficiaries_owed: 1,
    });
  });

  it('lists one batch per program, currency and date', async () => {
    const batches = await wh.query(
      `select payout_batch_id, program_id, advocates, amount_minor, currency, status from payout_batches order by 1`,
    );
    expect(batches.map((b) => ({ ...b }))).toEqual([
      {
        payout_batch_id: 'payout-friends-USD-2025-03-01',
        program_id: 'friends',
        advocates: 1,
        amount_minor: 2000,
        currency: 'USD',
        status: 'scheduled',
      },
      {
        payout_batch_id: 'payout-friends-USD-2025-05-01',
        program_id: 'friends',
        advocates: 1,
        amount_minor: 2000,
        currency: 'USD',
        status: 'scheduled',
      },
    ]);
  });
});

describe('reward marts on an empty warehouse', () => {
  it('build empty tables under the demo rules', async () => {
    const empty = await memoryWarehouse();
    try {
      await runModels({
        wh: empty,
        config: demoConfig(),
        registry: registry(),
        select: ['reward_liability', 'reward_liability_by_status', 'payout_batches'],
      });
      for (const t of ['reward_ledger', 'reward_liability', 'reward_liability_by_status', 'payout_batches'])
        expect(await empty.query(`select count(*) as n from ${t}`)).toEqual([{ n: 0 }]);
    } finally {
      await empty.close();
    }
  });
});

describe('a refund after approval but before the payout date', () => {
  it('lowers the balance the payout sees, so nothing refunded is ever paid', async () => {
    // The payout rule of payout-fixture.ts (1000 cents, holding 30, threshold 2000, day 1). CAROL (A3): R8 order
    // 01-05 -> approved 02-04, refunded 02-10 -> clawed back before the 03-01 payout; R9 order 01-06 -> approved
    // 02-05. On 03-01 the balance is 1000 + 1000 - 1000 = 1000 < 2000: nothing is paid; it stays owed.
    const w = await memoryWarehouse();
    try {
      await landReferrals(w, [
        {
          id: 'R8',
          code: 'CAROL',
          signedUp: '2025-01-01',
          order: {
            id: 'O8',
            at: '2025-01-05',
            gross: 5000,
            status: 'refunded',
            refunded: 5000,
            refundedAt: '2025-02-10',
          },
        },
        { id: 'R9', code: 'CAROL', signedUp: '2025-01-01', order: { id: 'O9', at: '2025-01-06', gross: 5000 } },
      ]);
      await runModels({ wh: w, config, registry: registry(), select: ['reward_ledger'] });
      expect(
        await w.query(`select sum(approved_delta_minor) as unpaid, sum(paid_delta_minor) as paid,
          sum(case when entry_type = 'payout' then 1 else 0 end) as payouts from reward_ledger`),
      ).toEqual([{ unpaid: 1000, paid: 0, payouts: 0 }]);
    } finally {
      await w.close();
    }
  });
});
