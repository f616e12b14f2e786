import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advocateScores } from '../../../../models/marts/advocates/advocate-scores.js';
import { advocatesConfig } from '../../../../models/marts/advocates/config-schema.js';
import { runModels } from '../../../../src/models/runner.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { land, memoryWarehouse, testConfig } from '../../../helpers/landing.js';
import { registryWith, customer, order } from '../fraud/fixture.js';

const AS_OF = '2026-01-01T00:00:00Z';
const config = testConfig({ advocates: { asOf: AS_OF } });
const touch = (id: string, customerId: string, at: string) => ({
  touch_id: id,
  anonymous_id: `anon-${customerId}`,
  customer_id: customerId,
  occurred_at: at,
  touch_type: 'visit',
});

describe('advocate_scores', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await memoryWarehouse();
    await land(wh, 'customers', [
      customer('P', '2025-01-01T00:00:00Z', undefined, { signup_device_id: 'dev-P' }),
      customer('R1', '2025-06-01T00:00:00Z', 'P'),
      customer('R2', '2025-06-05T00:00:00Z', 'P'),
      customer('Q', '2025-01-01T00:00:00Z', undefined, { signup_device_id: 'dev-Q' }),
      customer('X', '2025-03-01T00:00:00Z', 'Q', { signup_device_id: 'dev-Q' }),
      customer('D', '2025-07-04T00:00:00Z'),
    ]);
    await land(wh, 'orders', [
      order('O-P1', 'P', '2025-01-02T00:00:00Z'),
      order('O-P2', 'P', '2025-02-02T00:00:00Z'),
      order('O-P3', 'P', '2025-03-02T00:00:00Z'),
      order('O-P4', 'P', '2025-04-02T00:00:00Z'),
      order('O-P5', 'P', '2025-05-02T00:00:00Z', { refunded_minor: 1000, status: 'refunded' }),
      order('O-R1', 'R1', '2025-06-02T00:00:00Z'),
      order('O-Q1', 'Q', '2025-01-02T00:00:00Z'),
      order('O-Q2', 'Q', '2025-02-02T00:00:00Z'),
      order('O-Q3', 'Q', '2025-03-02T00:00:00Z'),
      order('O-Q4', 'Q', '2025-04-02T00:00:00Z'),
      order('O-X', 'X', '2025-03-02T00:00:00Z'),
    ]);
    await land(wh, 'survey_responses', [
      { response_id: 'S1', survey_id: 'nps', customer_id: 'P', submitted_at: '2025-03-01T00:00:00Z', nps_score: 4 },
      { response_id: 'S2', survey_id: 'nps', customer_id: 'P', submitted_at: '2025-09-01T00:00:00Z', nps_score: 10 },
      {
        response_id: 'S3',
        survey_id: 'nps',
        respondent_email: ' R1@Example.com',
        submitted_at: '2025-07-01T00:00:00Z',
        nps_score: 8,
      },
      { response_id: 'S4', survey_id: 'nps', customer_id: 'Q', submitted_at: '2025-07-01T00:00:00Z', nps_score: 9 },
      { response_id: 'S5', survey_id: 'nps', customer_id: 'D', submitted_at: '2025-08-01T00:00:00Z', nps_score: 3 },
      // after the as-of time: ignored
      { response_id: 'S6', survey_id: 'nps', customer_id: 'D', submitted_at: '2026-02-01T00:00:00Z', nps_score: 10 },
    ]);
    await land(wh, 'support_interactions', [
      { interaction_id: 'I1', customer_id: 'P', occurred_at: '2025-05-01T00:00:00Z', satisfaction: 5, resolved: true },
      { interaction_id: 'I2', customer_id: 'P', occurred_at: '2025-05-02T00:00:00Z', satisfaction: 5, resolved: false },
      { interaction_id: 'I3', customer_id: 'P', occurred_at: '2025-05-03T00:00:00Z', satisfaction: 3, resolved: true },
      { interaction_id: 'I4', customer_id: 'Q', occurred_at: '2025-05-01T00:00:00Z', satisfaction: 4, resolved: true },
      { interaction_id: 'I5', customer_id: 'Q', occurred_at: '2025-05-02T00:00:00Z', satisfaction: 5, resolved: true },
    ]);
    await land(wh, 'touches', [
      // P: 4 touches inside the 90 days before the as-of time, one before it (not counted)
      ...[1, 2, 3, 4].map((i) => touch(`T-P${i}`, 'P', `2025-12-0${i}T00:00:00Z`)),
      touch('T-P0', 'P', '2025-09-01T00:00:00Z'),
      ...Array.from({ length: 12 }, (_, i) => touch(`T-Q${i}`, 'Q', `2025-12-${String(i + 10)}T00:00:00Z`)),
    ]);
    await land(wh, 'email_events', [
      // P opened an email; matched by normalized address (no customer id)
      {
        event_id: 'M1',
        provider: 'hubspot',
        event_type: 'opened',
        occurred_at: '2025-12-20T00:00:00Z',
        recipient_email: 'P@example.com ',
      },
      {
        event_id: 'M2',
        provider: 'hubspot',
        event_type: 'delivered',
        occurred_at: '2025-12-20T00:00:00Z',
        recipient_email: 'p@example.com',
        customer_id: 'P',
      },
    ]);
    await runModels({
      wh,
      config,
      registry: registryWith(advocateScores),
      select: ['advocate_scores'],
    });
  });
  afterAll(async () => {
    await wh.close();
  });

  it('scores each component with the default weights (nps 25, repeat 20, support 10, engagement 15, tenure 10, referral 20)', async () => {
    const rows = await wh.query<Record<string, unknown>>('select * from advocate_scores order by customer_id');
    const by = new Map(rows.map((r) => [r.customer_id, r]));
    // P, hand calculation: latest NPS 10 (promoter) -> 25; paid repeat orders 3 (O-P2..4; O-P5 refunded) of cap 3
    // -> 20; positive support 1 (I1; I2 unresolved, I3 rated 3) of cap 2 -> 5; engagement 4 touches + 1 email open
    // = 5 of cap 10 -> 7.5; tenure 365 days of 365 -> 10; referrals: R1 converted and unflagged, R2 never ordered
    // -> 1 of cap 3 -> 20 / 3 = 6.67. Score 25 + 20 + 5 + 7.5 + 10 + 6.6667 = 74.1667 -> 74.17, champion (>= 70),
    // ready (>= 60, promoter, no flagged referral).
    expect(by.get('P')).toMatchObject({
      nps_points: 25,
      repeat_points: 20,
      support_points: 5,
      engagement_points: 7.5,
      tenure_points: 10,
      referral_points: 6.67,
      score: 74.17,
      tier: 'champion',
      ready_to_invite: true,
      nps_score: 10,
      repeat_orders: 3,
      positive_support: 1,
      engagement_events: 5,
      tenure_days: 365,
      successful_referrals: 1,
      fraud_flagged: false,
      scored_at: new Date(AS_OF),
    });
    // Q: NPS 9 -> 25; 3 repeats -> 20; 2 positive support -> 10; 12 touches capped at 10 -> 15; 365 days -> 10;
    // X shares Q's device (shared_device 0.6 >= 0.5, flagged) so it is no success -> 0. Score 80, champion, but
    // not ready: linked to a flagged referral.
    expect(by.get('Q')).toMatchObject({
      score: 80,
      referral_points: 0,
      engagement_points: 15,
      tier: 'champion',
      fraud_flagged: true,
      ready_to_invite: false,
    });
    // R1: NPS 8 by email (passive) -> 0.25 x 25 = 6.25; one order, no repeat -> 0; tenure 2025-06-01 .. 2026-01-01
    // = 214 days -> 10 x 214 / 365 = 5.863 -> 5.86. Score 12.113 -> 12.11, tier low.
    expect(by.get('R1')).toMatchObject({ nps_points: 6.25, tenure_points: 5.86, score: 12.11, tier: 'low' });
    // D: detractor (NPS 3; the later 10 is after the as-of time) -> 0; tenure 2025-07-04 .. 2026-01-01 = 181 days
    // -> 10 x 181 / 365 = 4.959 -> 4.96.
    expect(by.get('D')).toMatchObject({
      nps_score: 3,
      nps_points: 0,
      score: 4.96,
      tier: 'low',
      ready_to_invite: false,
    });
    expect(rows.length).toBe(6);
  });

  it('validates the config, naming the key', () => {
    expect(() => advocatesConfig({ advocates: { tiers: [{ name: 'a', minScore: 10 }] } })).toThrow(
      'config advocates.tiers: expected the last tier to have minScore 0',
    );
    expect(() => advocatesConfig({ advocates: { weights: { nps: -1 } } })).toThrow('config advocates.weights.nps');
  });
});
