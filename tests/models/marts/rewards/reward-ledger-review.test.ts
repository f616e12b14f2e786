import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { defineModel } from '../../../../src/models/define-model.js';
import { runModels } from '../../../../src/models/runner.js';
import { memoryWarehouse } from '../../../helpers/landing.js';
import { brief, friendsCashRule, ledger, landReferrals, registry, rewardsTestConfig } from './fixture.js';

/*
 * The review gate, through a test stand-in review_queue with the contract columns (so fraud rules, tuned
 * elsewhere, cannot change what is queued here). H1-H5 are queued at their order time (01-05, before the end of
 * holding). Rule: 1000 cents to the advocate, holding 30 days, clawback window 60 days. Data ends 2025-06-30.
 *   H1 pending: held_for_review at 02-04 (01-05 + 30), never approved.
 *   H2 approved 02-20 (after holding): held_for_review 02-04, then approved (review_approved) on 02-20.
 *   H3 approved 01-20 (before holding ends): approved 02-04 as usual (holding_period_ended), no hold note.
 *   H4 rejected 01-25: voided (fraud_rejected) on 01-25.
 *   H5 approved 2025-08-01, after the data's end (06-30): with the default as-of the decision takes effect at
 *      the data's end (approved 06-30, review_approved); with rewards.asOf 2025-06-30 it is still pending (held).
 *   L1 not queued: approved 02-04.
 */
const decisions: Record<string, [string, string]> = {
  H2: ['approved', '2025-02-20'],
  H3: ['approved', '2025-01-20'],
  H4: ['rejected', '2025-01-25'],
  H5: ['approved', '2025-08-01'],
};
const queue = defineModel({
  name: 'review_queue',
  grain: 'test stand-in: one row per queued referral',
  dependsOn: ['stg_referrals'],
  build: ({ ref }) => `
    select referral_id, program_id, advocate_id, referee_id, 'high_value' as queue_reasons,
      cast(null as double) as fraud_score, 40000 as order_base_minor, 'USD' as currency,
      timestamp '2025-01-05 00:00:00' as queued_at,
      case referee_id ${Object.entries(decisions)
        .map(([id, [st]]) => `when '${id}' then '${st}'`)
        .join(' ')}
        else 'pending' end as status,
      case when referee_id in ('H2', 'H3', 'H4', 'H5') then 'reviewer' end as decided_by,
      case referee_id ${Object.entries(decisions)
        .map(([id, [, at]]) => `when '${id}' then timestamp '${at} 00:00:00'`)
        .join(' ')}
        end as decided_at,
      cast(null as varchar) as note
    from ${ref('stg_referrals')} where referee_id like 'H%'`,
});
let wh: Warehouse;
const rules = { ruleSets: [friendsCashRule()] };
const config = rewardsTestConfig(rules);
const order = (id: string) => ({ id, at: '2025-01-05', gross: 40000 });
beforeAll(async () => {
  wh = await memoryWarehouse();
  await landReferrals(wh, [
    ...['H1', 'H2', 'H3', 'H4', 'H5'].map((id) => ({
      id,
      code: 'ALICE',
      signedUp: '2025-01-01',
      order: order(`O${id}`),
    })),
    { id: 'L1', code: 'ALICE', signedUp: '2025-01-01', order: { id: 'OL1', at: '2025-01-05', gross: 10000 } },
  ]);
}, 60_000);
afterAll(async () => {
  await wh?.close();
});

describe('reward_ledger and the review queue', () => {
  it('holds pending referrals, releases approved ones and voids rejected ones', async () => {
    const rows = await ledger(wh, config, { queue });
    expect(brief(rows)).toEqual([
      ['H1', 'advocate', 'accrued', 1000, '2025-01-05T00:00'],
      ['H1', 'advocate', 'held', 0, '2025-02-04T00:00'],
      ['H2', 'advocate', 'accrued', 1000, '2025-01-05T00:00'],
      ['H2', 'advocate', 'held', 0, '2025-02-04T00:00'],
      ['H2', 'advocate', 'approved', 1000, '2025-02-20T00:00'],
      ['H3', 'advocate', 'accrued', 1000, '2025-01-05T00:00'],
      ['H3', 'advocate', 'approved', 1000, '2025-02-04T00:00'],
      ['H4', 'advocate', 'accrued', 1000, '2025-01-05T00:00'],
      ['H4', 'advocate', 'voided', -1000, '2025-01-25T00:00'],
      ['H5', 'advocate', 'accrued', 1000, '2025-01-05T00:00'],
      ['H5', 'advocate', 'held', 0, '2025-02-04T00:00'],
      ['H5', 'advocate', 'approved', 1000, '2025-06-30T00:00'],
      ['L1', 'advocate', 'accrued', 1000, '2025-01-05T00:00'],
      ['L1', 'advocate', 'approved', 1000, '2025-02-04T00:00'],
    ]);
    const codes = rows.filter((r) => r.entry_type !== 'accrued').map((r) => [r.referee_id, r.reason_code]);
    expect(codes).toEqual([
      ['H1', 'held_for_review'],
      ['H2', 'held_for_review'],
      ['H2', 'review_approved'],
      ['H3', 'holding_period_ended'],
      ['H4', 'fraud_rejected'],
      ['H5', 'held_for_review'],
      ['H5', 'review_approved'],
      ['L1', 'holding_period_ended'],
    ]);
    expect(rows.find((r) => r.referee_id === 'H4' && r.entry_type === 'voided')!.reason).toBe(
      'A reviewer rejected this referral as fraud on 2025-01-25, within the 30-day holding period: the held 10.00 USD is void.',
    );
    const status = await wh.query(`select referee_id, review_status from reward_ledger
      where entry_type = 'accrued' order by referee_id`);
    expect(status.map((s) => s.review_status)).toEqual([
      'pending',
      'approved',
      'approved',
      'rejected',
      'approved',
      null,
    ]);
    // A strict as-of: H5's decision (2025-08-01) is after 2025-06-30, so H5 is still pending and held.
    const strict = await ledger(wh, rewardsTestConfig({ ...rules, asOf: '2025-06-30' }), { queue });
    expect(brief(strict.filter((r) => r.referee_id === 'H5'))).toEqual([
      ['H5', 'advocate', 'accrued', 1000, '2025-01-05T00:00'],
      ['H5', 'advocate', 'held', 0, '2025-02-04T00:00'],
    ]);
  });
});

/*
 * A referral queued after its approval (fraud evidence found later), through a test stand-in review_queue with
 * the contract columns. R1: order 01-05, approved 02-04 (holding 30), queued 03-01; rejected 03-10 -> clawed back
 * (fraud_rejected, no window applies). R2: same, queued 03-01 and still pending -> its approval stands.
 */
const standIn = defineModel({
  name: 'review_queue',
  grain: 'test stand-in: one row per queued referral',
  dependsOn: ['stg_referrals'],
  build: ({ ref }) => `
    select referral_id, program_id, advocate_id, referee_id, 'fraud_score' as queue_reasons, 0.9 as fraud_score,
      cast(null as bigint) as order_base_minor, 'USD' as currency, timestamp '2025-03-01 00:00:00' as queued_at,
      case when referee_id = 'R1' then 'rejected' else 'pending' end as status,
      case when referee_id = 'R1' then 'reviewer' end as decided_by,
      case when referee_id = 'R1' then timestamp '2025-03-10 00:00:00' end as decided_at,
      cast(null as varchar) as note
    from ${ref('stg_referrals')} where referee_id in ('R1', 'R2')`,
});

describe('reward_ledger and a referral queued after approval', () => {
  it('claws back on a later rejection and keeps the approval while pending', async () => {
    const w = await memoryWarehouse();
    try {
      await landReferrals(w, [
        { id: 'R1', code: 'ALICE', signedUp: '2025-01-01', order: { id: 'O1', at: '2025-01-05', gross: 5000 } },
        { id: 'R2', code: 'ALICE', signedUp: '2025-01-01', order: { id: 'O2', at: '2025-01-05', gross: 5000 } },
      ]);
      await runModels({ wh: w, config, registry: registry([standIn]), select: ['reward_ledger'] });
      const rows = await w.query<{ referee_id: string; entry_type: string; amount_minor: number; reason_code: string }>(
        `select referee_id, entry_type, amount_minor, reason_code from reward_ledger order by referee_id, decided_at`,
      );
      expect(rows.map((r) => [r.referee_id, r.entry_type, r.amount_minor, r.reason_code])).toEqual([
        ['R1', 'accrued', 1000, 'qualified_purchase'],
        ['R1', 'approved', 1000, 'holding_period_ended'],
        ['R1', 'clawed_back', -1000, 'fraud_rejected'],
        ['R2', 'accrued', 1000, 'qualified_purchase'],
        ['R2', 'approved', 1000, 'holding_period_ended'],
      ]);
    } finally {
      await w.close();
    }
  });
});
