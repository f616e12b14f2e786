import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODELS } from '../../../../models/index.js';
import { activationAuditSample } from '../../../../models/marts/activation/activation-audit-sample.js';
import { reviewQueueWithAudit } from '../../../../models/marts/fraud/review-queue.js';
import { ModelRegistry } from '../../../../src/models/registry.js';
import { runModels } from '../../../../src/models/runner.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { land, memoryWarehouse, testConfig } from '../../../helpers/landing.js';
import { customer, order } from './fixture.js';

/** MODELS with review_queue swapped for the audit variant and activation_audit_sample added (if not yet). */
const registry = () => {
  const byName = new Map(MODELS.map((m) => [m.name, m]));
  byName.set(reviewQueueWithAudit.name, reviewQueueWithAudit);
  if (!byName.has(activationAuditSample.name)) byName.set(activationAuditSample.name, activationAuditSample);
  return new ModelRegistry([...byName.values()]);
};

describe('review_queue with the random audit sample', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await memoryWarehouse();
    const shared = { signup_ip: '198.51.100.7', signup_device_id: 'dev-A' };
    await land(wh, 'customers', [
      customer('A', '2025-01-01T00:00:00Z', undefined, shared),
      // E: shared device and IP -> flagged (0.76); ordered, so also in the audit sample.
      customer('E', '2025-02-01T00:00:00Z', 'A', shared),
      // F: clean, a 60,000 order -> high value, and sampled.
      customer('F', '2025-02-02T00:00:00Z', 'A'),
      // G: clean, small order: queued only because the audit drew it.
      customer('G', '2025-02-03T00:00:00Z', 'A'),
      // H: clean, never ordered: not converted, so never sampled nor queued.
      customer('H', '2025-02-04T00:00:00Z', 'A'),
    ]);
    await land(wh, 'orders', [
      order('O-E', 'E', '2025-02-01T01:00:00Z'),
      order('O-F', 'F', '2025-02-03T00:00:00Z', { gross_minor: 60_000 }),
      order('O-G', 'G', '2025-02-04T00:00:00Z'),
    ]);
    // rate 1: every converted referral is drawn (activation-audit-sample.ts: draw < rate).
    const config = testConfig({
      fraud: { highValueThresholdMinor: 50_000 },
      activation: { auditSample: { rate: 1 } },
    } as Parameters<typeof testConfig>[0]);
    await runModels({ wh, config, registry: registry(), select: ['review_queue'] });
  });
  afterAll(async () => {
    await wh.close();
  });

  it('queues sampled referrals with reason random_audit, queued when the referral converted', async () => {
    const rows = await wh.query<{ referee_id: string; queue_reasons: string; queued_at: Date }>(
      'select referee_id, queue_reasons, queued_at from review_queue order by referee_id',
    );
    expect(rows.map((r) => [r.referee_id, r.queue_reasons, new Date(r.queued_at).toISOString()])).toEqual([
      // E's fraud evidence is its sign-up, before its order (the audit's sampled_at = conversion time).
      ['E', 'fraud_score,random_audit', '2025-02-01T00:00:00.000Z'],
      ['F', 'high_value,random_audit', '2025-02-03T00:00:00.000Z'],
      ['G', 'random_audit', '2025-02-04T00:00:00.000Z'],
    ]);
  });
});
