import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activationConfigSchema } from '../../models/marts/activation/config-schema.js';
import { fraudConfigSchema } from '../../models/marts/fraud/config-schema.js';
import { decideReview, listReviewQueue } from '../../src/cli/commands/review.js';
import type { RefstackConfig } from '../../src/config.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { memoryWarehouse } from '../helpers/landing.js';
import { NO_AUDIT } from '../models/marts/fraud/fixture.js';
import { brief, friendsCashRule, landReferrals, ledger, rewardsTestConfig } from '../models/marts/rewards/fixture.js';

/** The advocates' ledger rows after rebuilding the real models (the real review queue) up to the ledger. */
const advocateLedger = async (wh: Warehouse, config: RefstackConfig) =>
  (await ledger(wh, config, { realReviewQueue: true })).filter((r) => r.beneficiary_role === 'advocate');

/*
 * A reviewer's decision, recorded through `refstack review decide` (decideReview), flowing into the reward ledger
 * on the next model run. Rule: 1000 cents to the advocate, holding 30 days, clawback window 60 days; orders with a
 * commission base of 300.00 USD or more are queued as high value (fraud.highValueThresholdMinor 30000). Data ends
 * 2025-06-30 (the fixture's N1 order), the ledger's as-of. The random audit sample is off (NO_AUDIT), so only the
 * high-value rule queues referrals.
 *   H1 400.00, never decided: held_for_review at 02-04 (01-05 + 30 days) and stays held.
 *   H2 400.00, approved 02-20: held 02-04, released (review_approved) 02-20.
 *   H4 400.00, rejected 01-25 inside holding: voided (fraud_rejected) 01-25.
 *   L1 100.00, below the threshold: not queued, approved 02-04 (holding_period_ended).
 */
let wh: Warehouse;
let config: RefstackConfig;
const ids = new Map<string, string>();
const big = (id: string) => ({ id, at: '2025-01-05', gross: 40000 });

beforeAll(async () => {
  wh = await memoryWarehouse();
  await landReferrals(wh, [
    { id: 'H1', code: 'ALICE', signedUp: '2025-01-01', order: big('OH1') },
    { id: 'H2', code: 'ALICE', signedUp: '2025-01-01', order: big('OH2') },
    { id: 'H4', code: 'ALICE', signedUp: '2025-01-01', order: big('OH4') },
    { id: 'L1', code: 'ALICE', signedUp: '2025-01-01', order: { id: 'OL1', at: '2025-01-05', gross: 10000 } },
  ]);
  config = {
    ...rewardsTestConfig({ ruleSets: [friendsCashRule()] }),
    fraud: fraudConfigSchema.parse({ highValueThresholdMinor: 30000 }),
    activation: activationConfigSchema.parse(NO_AUDIT),
  } as RefstackConfig;
  await advocateLedger(wh, config);
  for (const r of await wh.query<{ referee_id: string; referral_id: string }>('select * from stg_referrals'))
    ids.set(r.referee_id, r.referral_id);
}, 60_000);
afterAll(async () => {
  await wh?.close();
});

describe('review decide -> reward ledger', () => {
  it('before any decision: the queued referrals are held, the small one is approved', async () => {
    expect((await listReviewQueue(wh, config)).map((r) => [r.refereeId, r.queueReasons, r.status])).toEqual([
      ['H1', 'high_value', 'pending'],
      ['H2', 'high_value', 'pending'],
      ['H4', 'high_value', 'pending'],
    ]);
    const rows = await advocateLedger(wh, config);
    expect(brief(rows).filter((r) => r[0] === 'H2' || r[0] === 'L1')).toEqual([
      ['H2', 'advocate', 'accrued', 1000, '2025-01-05T00:00'],
      ['H2', 'advocate', 'held', 0, '2025-02-04T00:00'],
      ['L1', 'advocate', 'accrued', 1000, '2025-01-05T00:00'],
      ['L1', 'advocate', 'approved', 1000, '2025-02-04T00:00'],
    ]);
  });

  it('an approval releases the reward and a rejection voids it, after the models rerun', async () => {
    await decideReview(wh, config, {
      referralId: ids.get('H2')!,
      decision: 'approve',
      note: 'real customer, big first order',
      by: 'rita',
      at: new Date('2025-02-20T00:00:00Z'),
    });
    await decideReview(wh, config, {
      referralId: ids.get('H4')!,
      decision: 'reject',
      note: 'card shared with the advocate',
      by: 'rita',
      at: new Date('2025-01-25T00:00:00Z'),
    });
    const rows = await advocateLedger(wh, config);
    expect(brief(rows)).toEqual([
      ['H1', 'advocate', 'accrued', 1000, '2025-01-05T00:00'],
      ['H1', 'advocate', 'held', 0, '2025-02-04T00:00'],
      ['H2', 'advocate', 'accrued', 1000, '2025-01-05T00:00'],
      ['H2', 'advocate', 'held', 0, '2025-02-04T00:00'],
      ['H2', 'advocate', 'approved', 1000, '2025-02-20T00:00'],
      ['H4', 'advocate', 'accrued', 1000, '2025-01-05T00:00'],
      ['H4', 'advocate', 'voided', -1000, '2025-01-25T00:00'],
      ['L1', 'advocate', 'accrued', 1000, '2025-01-05T00:00'],
      ['L1', 'advocate', 'approved', 1000, '2025-02-04T00:00'],
    ]);
    expect(
      rows.filter((r) => r.entry_type === 'approved' || r.entry_type === 'voided').map((r) => r.reason_code),
    ).toEqual(['review_approved', 'fraud_rejected', 'holding_period_ended']);
    // The queue shows who decided and why; the audit log has one review.decide entry per decision.
    const queue = (await listReviewQueue(wh, config)).map((r) => [r.refereeId, r.status, r.decidedBy, r.note]);
    expect(queue.sort()).toEqual([
      ['H1', 'pending', null, null],
      ['H2', 'approved', 'rita', 'real customer, big first order'],
      ['H4', 'rejected', 'rita', 'card shared with the advocate'],
    ]);
    const audit = await wh.query<{ n: number }>(
      `select count(*) as n from refstack_audit_log where action = 'review.decide' and actor = 'rita'`,
    );
    expect(Number(audit[0]!.n)).toBe(2);
  });

  it('a decision recorded now, after the data ends, takes effect at the end of the data', async () => {
    // No `at`: the real clock, later than the data's last timestamp (2025-06-30, the ledger's default as-of); the
    // ledger applies it at that as-of (reward-ledger.ts), so the approval is dated 2025-06-30.
    const rec = await decideReview(wh, config, {
      referralId: ids.get('H1')!,
      decision: 'approve',
      note: 'checked the order by phone',
      by: 'sam',
    });
    expect(Date.parse(rec.decidedAt)).toBeGreaterThan(Date.parse('2025-06-30T00:00:00Z'));
    const h1 = (await advocateLedger(wh, config)).filter((r) => r.referee_id === 'H1');
    expect(h1.map((r) => [r.entry_type, Number(r.amount_minor), r.reason_code, r.decided_at.slice(0, 16)])).toEqual([
      ['accrued', 1000, 'qualified_purchase', '2025-01-05T00:00'],
      ['held', 0, 'held_for_review', '2025-02-04T00:00'],
      ['approved', 1000, 'review_approved', '2025-06-30T00:00'],
    ]);
  });
});
