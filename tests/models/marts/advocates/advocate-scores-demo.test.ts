import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic, syntheticFraudRing } from '../../../../ingest/synthetic/index.js';
import { advocateScores } from '../../../../models/marts/advocates/advocate-scores.js';
import { demoConfig } from '../../../../src/pipeline.js';
import { runModels } from '../../../../src/models/runner.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { memoryWarehouse } from '../../../helpers/landing.js';
import { registryWith } from '../fraud/fixture.js';

describe('advocate_scores on the synthetic demo (3,000 customers, seed 42)', () => {
  let wh: Warehouse;
  const base = demoConfig();
  const options = {
    customers: 3000,
    seed: base.demo.seed,
    start: base.demo.start,
    months: base.demo.months,
    programs: base.programs,
  };
  beforeAll(async () => {
    wh = await memoryWarehouse();
    await generateSynthetic(wh, { ...options, rawSchema: base.schemas.raw, reportingCurrency: base.reportingCurrency });
    await runModels({ wh, config: base, registry: registryWith(advocateScores), select: ['advocate_scores'] });
  }, 180_000);
  afterAll(async () => {
    await wh?.close();
  });

  it('scores every customer 0-100 as the sum of its shown points, tiers and segment by the config rules', async () => {
    const [s] = await wh.query<Record<string, number>>(`
      select count(*) as n,
        sum(case when score < 0 or score > 100 then 1 else 0 end) as out_of_range,
        max(abs(score - (nps_points + repeat_points + support_points + engagement_points + tenure_points
          + referral_points))) as max_gap,
        sum(case when tier <> case when score >= 70 then 'champion' when score >= 45 then 'advocate'
          when score >= 20 then 'potential' else 'low' end then 1 else 0 end) as bad_tier,
        sum(case when ready_to_invite and (score < 60 or fraud_flagged or nps_score < 7) then 1 else 0 end)
          as bad_ready,
        max(scored_at) as scored_at
      from advocate_scores`);
    expect(Number(s!.n)).toBe(3000);
    expect(Number(s!.out_of_range)).toBe(0);
    // Points are rounded to 2 decimals each, so six of them differ from the score by at most 6 x 0.005.
    expect(Number(s!.max_gap)).toBeLessThanOrEqual(0.03 + 1e-9);
    expect(Number(s!.bad_tier)).toBe(0);
    expect(Number(s!.bad_ready)).toBe(0);
    // The as-of is the data's latest event, inside the demo window that ends 2026-07-01 (TRUTHS.md "Run shape").
    expect(new Date(s!.scored_at as unknown as string).getTime()).toBeLessThan(Date.parse('2026-07-01T00:00:00Z'));
  });

  it('keeps the planted fraud ring out of the ready-to-invite segment', async () => {
    const ring = syntheticFraudRing(options);
    const ids = [...ring.advocateIds, ...ring.refereeIds].map((id) => `'${id}'`).join(', ');
    const rows = await wh.query<{ fraud_flagged: boolean; ready_to_invite: boolean }>(
      `select fraud_flagged, ready_to_invite from advocate_scores where customer_id in (${ids})`,
    );
    // TRUTHS.md "Fraud ring": 3 advocates + 45 referees, every one in a flagged referral.
    expect(rows.length).toBe(48);
    expect(rows.every((r) => r.fraud_flagged && !r.ready_to_invite)).toBe(true);
  });

  it('ranks promoters above detractors', async () => {
    const rows = await wh.query<{ cls: string; avg: number }>(`
      select case when nps_score >= 9 then 'promoter' when nps_score <= 6 then 'detractor' end as cls,
        avg(score) as avg
      from advocate_scores where nps_score is not null group by 1`);
    const avg = new Map(rows.map((r) => [r.cls, Number(r.avg)]));
    // TRUTHS.md "Referrals": promoters share 10x as often as detractors (0.30 vs 0.03), so beyond their 25 NPS
    // points they also earn more referral points.
    expect(avg.get('promoter')! - avg.get('detractor')!).toBeGreaterThan(25);
  });
});
