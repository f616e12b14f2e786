import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runModels } from '../../../../src/models/runner.js';
import { ModelRegistry } from '../../../../src/models/registry.js';
import { demoConfig } from '../../../../src/pipeline.js';
import type { Row, Warehouse } from '../../../../src/warehouse/warehouse.js';
import { generateSynthetic, syntheticOptionsFor } from '../../../../ingest/synthetic/index.js';
import { SYNTHETIC_TRUTHS } from '../../../../ingest/synthetic/params.js';
import { defaultRegistry } from '../../../../models/index.js';
import { stgExperimentAssignments } from '../../../../models/staging/stg-experiment-assignments.js';
import { experimentResults } from '../../../../models/marts/experiments/experiment-results.js';
import { memoryWarehouse } from '../../../helpers/landing.js';
import { ensureLandingSchema, LANDING_TABLE_NAMES } from '../../../../ingest/landing-schema.js';

/*
 * The demo data set (refstack.config.ts: 20,000 customers, seed 42) plants two experiments
 * (ingest/synthetic/TRUTHS.md, "Experiments"): reward-amount-2025 lifts invites per advocate by +25%;
 * double-sided-2025 lifts referee first-purchase probability 0.72 -> 0.828, +15%; 0.4% of units are assigned
 * twice. The mart must cover each true lift with its 95% interval, count the double-assigned units, and see no SRM.
 */
let wh: Warehouse;
let rows: Row[];
const ex = SYNTHETIC_TRUTHS.experiments;

beforeAll(async () => {
  wh = await memoryWarehouse();
  const base = demoConfig();
  await generateSynthetic(wh, syntheticOptionsFor(base, base.demo.customers, base.demo.seed));
  // The demo config's experiments (refstack.config.ts).
  const config = base;
  await runModels({
    wh,
    config,
    registry: defaultRegistry(),
    select: ['experiment_results'],
  });
  rows = await wh.query(`select * from main.experiment_results`);
});
afterAll(async () => {
  await wh?.close();
});

const row = (experiment: string, metric: string) => {
  const r = rows.find((x) => x.experiment === experiment && x.metric === metric);
  if (!r) throw new Error(`no experiment_results row for ${experiment} / ${metric}`);
  return r as Record<string, number | string | boolean>;
};

describe('experiment_results on the synthetic demo', () => {
  it('reward-amount-2025: the +25% invite lift is inside the interval', () => {
    const r = row(ex.rewardAmount.id, 'invites');
    const truth = ex.rewardAmount.inviteRateMultiplier - 1; // 0.25
    expect(r.is_primary).toBe(true);
    expect(r.ci_low as number).toBeLessThan(truth);
    expect(r.ci_high as number).toBeGreaterThan(truth);
    expect(r.p_value as number).toBeLessThan(0.05);
  });

  it('reward-amount-2025: ships (primary invites up, no guardrail worse, no SRM)', () => {
    // TRUTHS.md: treatment multiplies invites by 1.25 and leaves referee refunds and chargebacks alone.
    const r = row(ex.rewardAmount.id, 'invites');
    expect(r.decision).toBe('ship');
    expect(String(r.reason)).toMatch(/^treatment beats control on invites \+/);
  });

  it('double-sided-2025: the +15% referee conversion lift is inside the interval and ships', () => {
    const r = row(ex.doubleSided.id, 'referee_conversion');
    const truth = ex.doubleSided.refereeConversionMultiplier - 1; // 0.15
    expect(r.ci_low as number).toBeLessThan(truth);
    expect(r.ci_high as number).toBeGreaterThan(truth);
    // control conversion near the planted 0.72 (TRUTHS.md: P(ever buys | referred) = 0.72)
    expect(r.baseline_mean as number).toBeGreaterThan(0.68);
    expect(r.baseline_mean as number).toBeLessThan(0.76);
    expect(r.decision).toBe('ship');
  });

  it('excludes and counts exactly the double-assigned units; no SRM', async () => {
    const raw = await wh.query<{ experiment_id: string; twice: number }>(
      `select experiment_id, count(*) as twice from (
         select experiment_id, unit_id from raw.experiment_assignments
         group by experiment_id, unit_id having count(distinct variant) > 1
       ) t group by experiment_id order by experiment_id`,
    );
    expect(raw.length).toBe(2);
    for (const { experiment_id, twice } of raw) {
      const r = rows.filter((x) => x.experiment === experiment_id);
      expect(r.length).toBe(4);
      for (const x of r) {
        expect(x.excluded_units).toBe(Number(twice));
        expect(x.srm_p_value as number).toBeGreaterThan(0.001);
      }
    }
  });
});

/*
 * An injected sample ratio mismatch: a copy of the demo's landing tables (schema raw_srm, marts in srm) in which
 * 20% of reward-amount-2025's treatment units lose their assignment rows (chosen by a seeded hash of the unit, so
 * deterministic). With 971 units per arm (seed 42) the split becomes about 963 vs 770 clean units against a planned
 * 1:1, a chi-square near 21 (p ~ 4e-6, far below srmAlpha 0.001), so the experiment's results are withheld; the other
 * experiment is untouched and keeps its SRM p above the threshold.
 */
describe('experiment_results with an injected SRM (copy of the demo data)', () => {
  let srmRows: Row[];
  let dropped = 0;
  beforeAll(async () => {
    const d = wh.dialect;
    await ensureLandingSchema(wh, 'raw_srm');
    for (const t of LANDING_TABLE_NAMES) await wh.exec(`insert into raw_srm.${t} select * from raw.${t}`);
    dropped = await wh.execute(
      `delete from raw_srm.experiment_assignments
       where experiment_id = ${d.stringLiteral(ex.rewardAmount.id)} and variant = 'treatment'
         and ${d.hashUniform(["'srm-test'", 'unit_id'])} < 0.2`,
    );
    const base = demoConfig();
    const config = { ...base, schemas: { raw: 'raw_srm', analytics: 'srm' } };
    await runModels({ wh, config, registry: defaultRegistry(), select: ['experiment_results'] });
    srmRows = await wh.query(`select * from srm.experiment_results`);
  }, 120_000);

  it('flags reward-amount-2025 as check assignment with srm_p_value below srmAlpha, on every metric row', () => {
    expect(dropped).toBeGreaterThan(150); // 194 on seed 42: 20% of 971
    const mine = srmRows.filter((r) => r.experiment === ex.rewardAmount.id);
    expect(mine.length).toBe(4);
    for (const r of mine) {
      expect(r.decision).toBe('check assignment');
      expect(r.srm_p_value as number).toBeLessThan(demoConfig().experiments.srmAlpha);
      expect(String(r.reason)).toMatch(
        /^sample ratio mismatch: control [\d,]+ vs treatment [\d,]+ units against a planned 1:1 split/,
      );
    }
    // The untouched copy had no SRM (see above), so the flag comes from the injected drop.
    expect(row(ex.rewardAmount.id, 'invites').srm_p_value as number).toBeGreaterThan(0.001);
  });

  it('leaves the other experiment as it was', () => {
    const other = srmRows.filter((r) => r.experiment === ex.doubleSided.id);
    expect(other.length).toBe(4);
    for (const r of other) {
      expect(r.decision).toBe(row(ex.doubleSided.id, String(r.metric)).decision);
      expect(r.srm_p_value).toBeCloseTo(row(ex.doubleSided.id, String(r.metric)).srm_p_value as number, 12);
    }
  });
});
