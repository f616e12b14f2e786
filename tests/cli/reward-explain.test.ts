import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainReward, formatRewardExplanation } from '../../src/cli/commands/reward.js';
import { runModels } from '../../src/models/runner.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { memoryWarehouse } from '../helpers/landing.js';
import { landReferrals, registry } from '../models/marts/rewards/fixture.js';
import { payoutConfig as config, payoutReferees } from '../models/marts/rewards/payout-fixture.js';

/* The payout scenario of payout-fixture.ts (hand calculation there). */
let wh: Warehouse;
let ids: Map<string, string>;
beforeAll(async () => {
  wh = await memoryWarehouse();
  await landReferrals(wh, payoutReferees);
  await runModels({ wh, config, registry: registry(), select: ['reward_ledger'] });
  const rows = await wh.query<{ referee_id: string; referral_id: string }>('select * from stg_referrals');
  ids = new Map(rows.map((r) => [r.referee_id, r.referral_id]));
}, 60_000);
afterAll(async () => {
  await wh?.close();
});

describe('explain reward', () => {
  it('tells which batch paid an approved reward, with its inputs and entries', async () => {
    const id = ids.get('R1')!;
    const e = await explainReward(wh, config, id);
    expect(e.inputs).toEqual({
      orderId: 'O1',
      qualifiedAt: '2025-01-05T00:00:00.000Z',
      commissionBaseMinor: 5000,
      tier: null,
      tierReferrals: null,
      capsHit: [],
      clawbackWindowEnd: '2025-05-05T00:00:00.000Z',
      reviewStatus: null,
    });
    expect(e.rewards).toEqual([
      {
        ruleSetId: 'friends-cash',
        ruleVersion: 1,
        beneficiaryRole: 'advocate',
        beneficiaryId: 'A1',
        rewardLine: 'referral',
        orderId: 'O1',
        rewardKind: 'cash',
        status: 'paid',
        grantedMinor: 1000,
        payoutBatchId: 'payout-friends-USD-2025-03-01',
        paidOn: '2025-03-01',
      },
    ]);
    expect(formatRewardExplanation(e)).toBe(
      [
        `referral ${id}: advocate A1, referee R1, program friends (ledger as of 2025-06-30)`,
        'judged by rule set friends-cash version 1',
        'inputs: qualified 2025-01-05; order O1; commission base 50.00 USD; no cap hit; clawback window until 2025-05-05',
        '',
        'where each reward stands:',
        '  advocate A1 (referral): 10.00 USD paid on 2025-03-01 in batch payout-friends-USD-2025-03-01',
        '',
        'ledger entries:',
        '  2025-01-05  advocate A1          accrued           10.00 USD  qualified_purchase (rule friends-cash v1)',
        '      Referee R1 made a qualifying purchase (order O1) on 2025-01-05; rule set friends-cash version 1 gives the advocate a fixed reward of 10.00 USD: 10.00 USD accrued, held until approval.',
        '  2025-02-04  advocate A1          approved          10.00 USD  holding_period_ended (rule friends-cash v1)',
        '      Holding period of 30 days ended on 2025-02-04 with no refund or chargeback: 10.00 USD approved.',
      ].join('\n'),
    );
  });

  it('shows a clawback after payout and an approved reward waiting for the minimum', async () => {
    const clawed = await explainReward(wh, config, ids.get('R2')!);
    expect(clawed.rewards.map((r) => r.status)).toEqual(['clawed_back']);
    expect(clawed.entries.map((x) => [x.decidedAt.slice(0, 10), x.entryType, x.amountMinor, x.reasonCode])).toEqual([
      ['2025-01-10', 'accrued', 1000, 'qualified_purchase'],
      ['2025-02-09', 'approved', 1000, 'holding_period_ended'],
      ['2025-03-05', 'clawed_back', -1000, 'refund_in_window'],
    ]);
    const waiting = await explainReward(wh, config, ids.get('R7')!);
    expect(waiting.rewards.map((r) => [r.status, r.payoutBatchId])).toEqual([['approved_unpaid', null]]);
  });

  it('says why a referral has no reward', async () => {
    await expect(explainReward(wh, config, 'nope')).rejects.toThrow(
      'referral "nope" has no reward: not in stg_referrals either (check the id)',
    );
  });
});
