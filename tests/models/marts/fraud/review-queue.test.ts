import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../../../models/index.js';
import { runModels } from '../../../../src/models/runner.js';
import { REVIEW_DECISIONS_COLUMNS } from '../../../../src/operational-tables.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { land, memoryWarehouse } from '../../../helpers/landing.js';
import { customer, fraudTestConfig, order } from './fixture.js';

const config = fraudTestConfig({ highValueThresholdMinor: 50_000 });
const run = (wh: Warehouse) => runModels({ wh, config, registry: defaultRegistry(), select: ['review_queue'] });

interface QueueRow {
  referee_id: string;
  queue_reasons: string;
  fraud_score: number | null;
  order_base_minor: number | null;
  currency: string;
  queued_at: Date;
  status: string;
  decided_by: string | null;
  note: string | null;
}
const queue = async (wh: Warehouse) =>
  (await wh.query<QueueRow>('select * from review_queue order by referee_id')).map((r) => ({
    ...r,
    queued_at: new Date(r.queued_at).toISOString(),
  }));

describe('review_queue', () => {
  let wh: Warehouse;
  const ids = new Map<string, string>();
  beforeAll(async () => {
    wh = await memoryWarehouse();
    const shared = { signup_ip: '198.51.100.7', signup_device_id: 'dev-A' };
    await land(wh, 'customers', [
      customer('A', '2025-01-01T00:00:00Z', undefined, shared),
      // E: same device and IP as A -> 1 - (1 - 0.6)(1 - 0.4) = 0.76 >= 0.5 flagged; its order is also high-value.
      customer('E', '2025-02-01T00:00:00Z', 'A', shared),
      // F: clean, but its first order's net is 60,000 >= 50,000.
      customer('F', '2025-02-02T00:00:00Z', 'A'),
      // G: clean, a 49,999 order (just under the threshold): not queued.
      customer('G', '2025-02-03T00:00:00Z', 'A'),
      // H: shares only the IP -> 0.4 < 0.5, not flagged, no order: not queued.
      customer('H', '2025-02-04T00:00:00Z', 'A', { signup_ip: '198.51.100.7' }),
    ]);
    await land(wh, 'orders', [
      order('O-E', 'E', '2025-02-01T01:00:00Z', { gross_minor: 70_000 }),
      order('O-F', 'F', '2025-02-03T00:00:00Z', { gross_minor: 60_000 }),
      order('O-G', 'G', '2025-02-04T00:00:00Z', { gross_minor: 49_999 }),
    ]);
    await run(wh);
    for (const r of await wh.query<{ referee_id: string; referral_id: string }>('select * from stg_referrals'))
      ids.set(r.referee_id, r.referral_id);
  });
  afterAll(async () => {
    await wh.close();
  });

  it('queues flagged and high-value referrals with their reasons, pending until decided', async () => {
    expect(await queue(wh)).toMatchObject([
      {
        referee_id: 'E',
        queue_reasons: 'fraud_score,high_value',
        fraud_score: 0.76,
        order_base_minor: 70_000,
        currency: 'USD',
        // the earliest reason: the shared-signup evidence at E's sign-up, before its order an hour later
        queued_at: '2025-02-01T00:00:00.000Z',
        status: 'pending',
        decided_by: null,
      },
      {
        referee_id: 'F',
        queue_reasons: 'high_value',
        fraud_score: null,
        order_base_minor: 60_000,
        queued_at: '2025-02-03T00:00:00.000Z',
        status: 'pending',
      },
    ]);
  });

  it('takes the latest decision per referral from review_decisions', async () => {
    const row = (referee: string, decision: string, at: string, note: string) => [
      `d-${referee}-${at}`,
      ids.get(referee)!,
      decision,
      'rita',
      new Date(at),
      note,
      `a-${referee}-${at}`,
    ];
    await wh.appendRows(config.schemas.analytics, 'review_decisions', REVIEW_DECISIONS_COLUMNS, [
      row('E', 'approve', '2025-03-01T00:00:00Z', 'looked fine'),
      row('E', 'reject', '2025-03-02T00:00:00Z', 'same device as the advocate'),
      row('F', 'approve', '2025-03-01T00:00:00Z', 'big but real'),
    ]);
    await run(wh);
    expect((await queue(wh)).map((r) => [r.referee_id, r.status, r.decided_by, r.note])).toEqual([
      ['E', 'rejected', 'rita', 'same device as the advocate'],
      ['F', 'approved', 'rita', 'big but real'],
    ]);
  });
});
