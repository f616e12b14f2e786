import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { land, memoryWarehouse } from '../../../helpers/landing.js';
import { customer, order, runFraud } from './fixture.js';

let wh: Warehouse;
beforeEach(async () => {
  wh = await memoryWarehouse();
  await land(wh, 'customers', [
    customer('A', '2025-01-01T00:00:00Z', undefined, { signup_ip: '198.51.100.7', signup_device_id: 'dev-A' }),
    // shared IP and device
    customer('E', '2025-02-01T00:00:00Z', 'A', { signup_ip: '198.51.100.7', signup_device_id: 'dev-A' }),
    // partial refund only
    customer('L', '2025-02-02T00:00:00Z', 'A'),
    // shared IP and partial refund
    customer('M', '2025-02-03T00:00:00Z', 'A', { signup_ip: '198.51.100.7' }),
    // shared payment fingerprint and chargeback
    customer('B', '2025-02-04T00:00:00Z', 'A'),
    // clean
    customer('D', '2025-02-05T00:00:00Z', 'A'),
    // not converted, shared IP only
    customer('N', '2025-02-06T00:00:00Z', 'A', { signup_ip: '198.51.100.7' }),
  ]);
  const partial = { status: 'partially_refunded', refunded_minor: 250, refunded_at: '2025-02-20T00:00:00Z' };
  await land(wh, 'orders', [
    order('O-A', 'A', '2025-01-02T00:00:00Z', { payment_fingerprint: 'fp-A' }),
    order('O-L', 'L', '2025-02-02T01:00:00Z', partial),
    order('O-M', 'M', '2025-02-03T01:00:00Z', partial),
    order('O-B', 'B', '2025-02-04T01:00:00Z', {
      payment_fingerprint: 'fp-A',
      status: 'chargeback',
      chargeback_at: '2025-03-01T00:00:00Z',
    }),
    order('O-D', 'D', '2025-02-05T01:00:00Z'),
  ]);
});
afterEach(async () => {
  await wh.close();
});

const scores = () =>
  wh.query<{
    referee_id: string;
    score: number;
    rules_fired: string;
    rule_count: number;
    flagged: boolean;
    is_high_value: boolean;
  }>(`select referee_id, score, rules_fired, rule_count, flagged, is_high_value from fraud_scores order by referee_id`);

describe('fraud_scores', () => {
  it('combines fired rules as 1 - prod(1 - weight x score) and flags at the threshold', async () => {
    await runFraud(wh, { highValueThresholdMinor: 1000 });
    const rows = await scores();
    // Hand calculation with the default weights (shared_ip 0.4, shared_device 0.6, self_referral 0.9,
    // purchase_verification 0.4) and flagThreshold 0.5; a partial refund of 250 / 1000 scores 0.25:
    //   B: self_referral 0.9 x 1, purchase_verification 0.4 x 1 (chargeback): 1 - 0.1 x 0.6 = 0.94
    //   D: nothing: 0
    //   E: shared_ip 0.4, shared_device 0.6: 1 - 0.6 x 0.4 = 0.76
    //   L: purchase_verification 0.4 x 0.25 = 0.1: 1 - 0.9 = 0.1
    //   M: shared_ip 0.4 and 0.1: 1 - 0.6 x 0.9 = 0.46
    //   N: shared_ip 0.4: 0.4
    // High value: first order net >= 1000: B (1000, a chargeback keeps its net), D (1000); L, M net 750.
    expect(rows.map((r) => ({ ...r, score: Number(r.score.toFixed(12)) }))).toEqual([
      {
        referee_id: 'B',
        score: 0.94,
        rules_fired: 'purchase_verification,self_referral',
        rule_count: 2,
        flagged: true,
        is_high_value: true,
      },
      { referee_id: 'D', score: 0, rules_fired: '', rule_count: 0, flagged: false, is_high_value: true },
      {
        referee_id: 'E',
        score: 0.76,
        rules_fired: 'shared_device,shared_ip',
        rule_count: 2,
        flagged: true,
        is_high_value: false,
      },
      {
        referee_id: 'L',
        score: 0.1,
        rules_fired: 'purchase_verification',
        rule_count: 1,
        flagged: false,
        is_high_value: false,
      },
      {
        referee_id: 'M',
        score: 0.46,
        rules_fired: 'purchase_verification,shared_ip',
        rule_count: 2,
        flagged: false,
        is_high_value: false,
      },
      { referee_id: 'N', score: 0.4, rules_fired: 'shared_ip', rule_count: 1, flagged: false, is_high_value: false },
    ]);
  });

  it('a score exactly at the threshold is flagged, and a certain rule gives exactly 1', async () => {
    await runFraud(wh, { flagThreshold: 0.5, rules: { sharedIp: { weight: 0.5 }, selfReferral: { weight: 1 } } });
    const rows = new Map((await scores()).map((r) => [r.referee_id, r]));
    // N: shared_ip only, 0.5 x 1 = 0.5 >= 0.5. B: self_referral 1 x 1 = 1 whatever else fired.
    expect(rows.get('N')).toMatchObject({ score: 0.5, flagged: true });
    expect(rows.get('B')).toMatchObject({ score: 1, flagged: true });
    // M: 1 - (1 - 0.5)(1 - 0.1) = 0.55.
    expect(rows.get('M')!.score).toBeCloseTo(0.55, 9);
  });

  it('carries the rule version of fraud_flags, which changes with any weight', async () => {
    await runFraud(wh);
    const [v1] = await wh.query<{ v: string }>(`select distinct rule_version as v from fraud_scores`);
    const [f1] = await wh.query<{ v: string }>(`select distinct rule_version as v from fraud_flags`);
    expect(v1!.v).toBe(f1!.v);
    await runFraud(wh, { rules: { sharedIp: { weight: 0.41 } } });
    const [v2] = await wh.query<{ v: string }>(`select distinct rule_version as v from fraud_scores`);
    expect(v2!.v).not.toBe(v1!.v);
    expect(v2!.v).toMatch(/^default-[0-9a-f]{10}$/);
  });
});
