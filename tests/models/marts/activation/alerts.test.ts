import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { runModels } from '../../../../src/models/runner.js';
import { alerts } from '../../../../models/marts/activation/alerts.js';
import { land, memoryWarehouse } from '../../../helpers/landing.js';
import { activationRegistry, activationTestConfig, landActivationFixture } from './fixture.js';

/*
 * The activation fixture (data ends Jun 30, 2025) plus 12 referees of A1 signing up on Jun 30 from one IP. Expected
 * by hand:
 * - referral_velocity_spike: 12 sign-ups on Jun 30; the 28 days before (Jun 2 - Jun 29) have none (R1 signed up
 *   Jun 1), so the mean is 0 and 12 >= 10 (min) and 12 > 3 x 0.
 * - stale_source: raw.survey_responses' newest row is Jun 25, 120 hours behind the newest data (customers and
 *   orders, Jun 30 00:00) > 72; support (Jun 28, 48 h) is not stale; empty tables are not checked.
 * - fraud_score_surge: fraud_scores flags all 12 (one IP, one instant; asserted below), 12 of the 12 referrals of
 *   the last 7 days: share 1 > 0.1 with 12 >= 10 referrals.
 * - liability_above_budget (budget 500): A1's 1000 held + A5's 1000 and A6's 2 x 1000 approved = 4000.
 * - no reconciliation drift and no SRM: no attribution conversions or experiments in the fixture.
 */
let wh: Warehouse;
beforeEach(async () => {
  wh = await memoryWarehouse();
  await landActivationFixture(wh);
  await land(
    wh,
    'customers',
    Array.from({ length: 12 }, (_, i) => ({
      customer_id: `S${i + 1}`,
      created_at: '2025-06-30T00:00:00Z',
      referred_by_code: 'ALICE',
      signup_ip: '10.0.0.1',
    })),
    'spike',
  );
});
afterEach(async () => {
  await wh.close();
});

const config = (extra: Record<string, unknown> = {}) =>
  activationTestConfig({ alerts: { liabilityBudgetMinor: 500, ...extra } });

async function run(c = config()) {
  await runModels({ wh, config: c, registry: activationRegistry([alerts]), select: ['alerts'] });
  return wh.query<{
    rule: string;
    subject: string;
    value: number;
    threshold: number;
    message: string;
    alert_id: string;
  }>('select rule, subject, value, threshold, message, alert_id from main.alerts order by rule, subject');
}

describe('alerts', () => {
  it('fires the rules whose conditions hold, with stable ids across runs', async () => {
    const rows = await run();
    expect(rows.map((r) => [r.rule, r.subject, r.value, r.threshold])).toEqual([
      ['fraud_score_surge', 'friends', 1, 0.1],
      ['liability_above_budget', 'friends', 4000, 500],
      ['referral_velocity_spike', 'friends', 12, 0],
      ['stale_source', 'raw.survey_responses', 120, 72],
    ]);
    const flagged = await wh.query(
      `select count(*) as n from main.fraud_scores where flagged and referee_id like 'S%'`,
    );
    expect(flagged).toEqual([{ n: 12 }]);
    expect(rows[2]!.message).toBe('12 referral sign-ups on 2025-06-30 vs a 28-day mean of 0.0 a day');
    expect((await run()).map((r) => r.alert_id)).toEqual(rows.map((r) => r.alert_id));
  });

  it('stays quiet under looser thresholds', async () => {
    const rows = await run(
      activationTestConfig({ alerts: { velocityMinReferrals: 13, staleSourceHours: 121, fraudSurgeShare: 1 } }),
    );
    expect(rows).toEqual([]);
  });

  it('is empty on an empty warehouse', async () => {
    const empty = await memoryWarehouse();
    try {
      await runModels({ wh: empty, config: config(), registry: activationRegistry([alerts]), select: ['alerts'] });
      expect(await empty.query('select count(*) as n from main.alerts')).toEqual([{ n: 0 }]);
    } finally {
      await empty.close();
    }
  });
});
