import { experimentsConfigSchema } from '../../../../models/marts/experiments/config-schema.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runModels } from '../../../../src/models/runner.js';
import { ModelRegistry } from '../../../../src/models/registry.js';
import type { RefstackConfig } from '../../../../src/config.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { defaultRegistry } from '../../../../models/index.js';
import { stgExperimentAssignments } from '../../../../models/staging/stg-experiment-assignments.js';
import { experimentResults } from '../../../../models/marts/experiments/experiment-results.js';
import { land, memoryWarehouse, testConfig } from '../../../helpers/landing.js';

/*
 * Experiment exp-a, advocates C1-C4 in control and T1-T4 in treatment, all assigned 2025-07-01, analysis end
 * 2025-08-01. Invitations inside the window: control 1, 2, 0, 1; treatment 2, 3, 1, 2. Outside it (ignored): an
 * invite by C3 after the end, one by T3 before its assignment. D1 was assigned to both arms (excluded, counted),
 * with 5 invites that must not count.
 */
let wh: Warehouse;
beforeEach(async () => {
  wh = await memoryWarehouse();
  const assign = (unit_id: string, variant: string, at = '2025-07-01T00:00:00Z') => ({
    experiment_id: 'exp-a',
    unit_id,
    variant,
    unit_type: 'advocate',
    assigned_at: at,
  });
  await land(wh, 'experiment_assignments', [
    ...['C1', 'C2', 'C3', 'C4'].map((u) => assign(u, 'control')),
    ...['T1', 'T2', 'T3', 'T4'].map((u) => assign(u, 'treatment')),
    assign('D1', 'control'),
    assign('D1', 'treatment', '2025-07-02T00:00:00Z'),
  ]);
  const invites: Record<string, number> = { C1: 1, C2: 2, C3: 0, C4: 1, T1: 2, T2: 3, T3: 1, T4: 2, D1: 5 };
  let id = 0;
  const events = Object.entries(invites).flatMap(([advocate_id, k]) =>
    Array.from({ length: k }, () => ({
      event_id: `e${++id}`,
      event_type: 'invited',
      occurred_at: '2025-07-10T00:00:00Z',
      advocate_id,
      referral_code: `CODE-${advocate_id}`,
    })),
  );
  events.push(
    {
      event_id: 'late',
      event_type: 'invited',
      occurred_at: '2025-08-05T00:00:00Z',
      advocate_id: 'C3',
      referral_code: 'X',
    },
    {
      event_id: 'early',
      event_type: 'invited',
      occurred_at: '2025-06-20T00:00:00Z',
      advocate_id: 'T3',
      referral_code: 'X',
    },
  );
  await land(wh, 'referral_events', events);
});
afterEach(async () => {
  await wh.close();
});

const config = (): RefstackConfig =>
  testConfig({
    experiments: {
      experiments: [
        {
          id: 'exp-a',
          control: 'control',
          analysisEnd: '2025-08-01T00:00:00Z',
          // CUPED off here (T3's early invite is a pre-period value); the CUPED test below covers it.
          metrics: [{ kind: 'invites', primary: true, cuped: false }, { kind: 'sent_invite' }],
        },
      ],
    },
  });

describe('experiment_results', () => {
  it('reads a literal experiment: Welch for invites, z test and beta chance to win for sent_invite', async () => {
    await runModels({
      wh,
      config: config(),
      registry: defaultRegistry(),
      select: ['experiment_results'],
    });
    const rows = await wh.query(`select * from main.experiment_results order by metric`);
    expect(rows.map((r) => [r.experiment, r.metric, r.variant, r.n, r.baseline_n, r.excluded_units])).toEqual([
      ['exp-a', 'invites', 'treatment', 4, 4, 1],
      ['exp-a', 'sent_invite', 'treatment', 4, 4, 1],
    ]);
    const [inv, sent] = rows;
    // invites: means 1 and 2, variances 2/3 each; se = sqrt(2/3/4 + 2/3/4) = sqrt(1/3); t = 1.7320508, df = 6
    // R: t.test(c(2, 3, 1, 2), c(1, 2, 0, 1)): t = 1.7321, df = 6, p-value = 0.134,
    // 95% CI 1 -/+ qt(0.975, 6) sqrt(1/3) = 1 -/+ 2.4469119 * 0.5773503 = 1 -/+ 1.4127252 = [-0.4127252, 2.4127252]
    expect(inv!.mean).toBeCloseTo(2, 12);
    expect(inv!.baseline_mean).toBeCloseTo(1, 12);
    expect(inv!.abs_lift).toBeCloseTo(1, 12);
    expect(inv!.p_value).toBeCloseTo(0.1339745962, 9);
    expect(inv!.abs_ci_low).toBeCloseTo(-0.4127252, 6);
    expect(inv!.abs_ci_high).toBeCloseTo(2.4127252, 6);
    // relative: lift 2/1 - 1 = 1; delta-method se = sqrt((2/3)/(4 * 1) + 2^2 (2/3)/(4 * 1^4)) = sqrt(5/6) = 0.9128709
    // CI 1 -/+ 2.4469119 * 0.9128709 = [-1.2337147, 3.2337147]
    expect(inv!.rel_lift).toBeCloseTo(1, 12);
    expect(inv!.ci_low).toBeCloseTo(-1.2337147, 6);
    expect(inv!.ci_high).toBeCloseTo(3.2337147, 6);
    expect(inv!.is_primary).toBe(true);
    expect(inv!.srm_p_value).toBe(1); // 4 vs 4 on 1:1: chi2 = 0
    expect(inv!.decision).toBe('keep running');
    expect(inv!.reason).toMatch(/^no significant difference yet on invites \+100\.0% .*p = 0\.134\)/);
    expect(inv!.reason).toMatch(/1 unit\(s\) assigned to several variants were excluded/);
    // sent_invite: 3/4 vs 4/4; pooled 7/8; z = 0.25 / sqrt(7/8 * 1/8 * (1/4 + 1/4)) = 0.25 / 0.2338536 = 1.0690450
    // p = 2 * pnorm(-1.069045) = 0.28504940 (R: prop.test(c(4, 3), c(4, 4), correct = FALSE), X-squared = 1.1429)
    expect(sent!.mean).toBeCloseTo(1, 12);
    expect(sent!.baseline_mean).toBeCloseTo(0.75, 12);
    expect(sent!.p_value).toBeCloseTo(0.2850494, 6);
    // chance to win with Beta(1, 1) priors: T ~ Beta(5, 1), C ~ Beta(4, 2); P(T > C) = 1 - E[C^5]
    // E[C^5] = B(9, 2) / B(4, 2) = (1/90) / (1/20) = 2/9, so 7/9
    expect(sent!.chance_to_win).toBeCloseTo(7 / 9, 12);
    expect(sent!.rel_lift).toBeCloseTo(1 / 3, 12);
    // Holm over the two metrics: sorted 0.134, 0.285 -> 2 * 0.134 = 0.268, max(0.268, 0.285) = 0.285
    expect(inv!.p_value_holm).toBeCloseTo(2 * 0.1339745962, 9);
    expect(sent!.p_value_holm).toBeCloseTo(0.2850494, 6);
    // computed_at is the landing time of the assignments (the test batch), so reruns give the same table
    expect((inv!.computed_at as Date).toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('CUPED: adjusts invites by pre-period invites, as calculated by hand', async () => {
    // Fresh landing: C1-C4 / T1-T4 with pre-period invites X (2025-06-15, inside the 31 days before assignment)
    // and in-window invites Y (2025-07-10). The numbers of tests/models/stats/cuped.test.ts:
    // control X = 1 2 3 4, Y = 2 3 5 6; treatment X = 2 3 4 5, Y = 4 4 7 8.
    await wh.exec('delete from raw.referral_events');
    await wh.exec('delete from raw.experiment_assignments');
    const units = { C1: [1, 2], C2: [2, 3], C3: [3, 5], C4: [4, 6], T1: [2, 4], T2: [3, 4], T3: [4, 7], T4: [5, 8] };
    await land(
      wh,
      'experiment_assignments',
      Object.keys(units).map((u) => ({
        experiment_id: 'exp-a',
        unit_id: u,
        variant: u.startsWith('C') ? 'control' : 'treatment',
        unit_type: 'advocate',
        assigned_at: '2025-07-01T00:00:00Z',
      })),
    );
    let id = 0;
    const ev = (advocate_id: string, occurred_at: string) => ({
      event_id: `c${++id}`,
      event_type: 'invited',
      occurred_at,
      advocate_id,
      referral_code: 'X',
    });
    await land(
      wh,
      'referral_events',
      Object.entries(units).flatMap(([u, [x, y]]) => [
        ...Array.from({ length: x! }, () => ev(u, '2025-06-15T00:00:00Z')),
        ...Array.from({ length: y! }, () => ev(u, '2025-07-10T00:00:00Z')),
        ev(u, '2025-05-01T00:00:00Z'), // before the pre-period (starts 2025-05-31): ignored
      ]),
    );
    const cfg = config();
    cfg.experiments.experiments[0]!.metrics = experimentsConfigSchema.parse({
      experiments: [{ id: 'x', control: 'control', metrics: [{ kind: 'invites', primary: true }] }],
    }).experiments[0]!.metrics;
    await runModels({
      wh,
      config: cfg,
      registry: defaultRegistry(),
      select: ['experiment_results'],
    });
    const [r] = await wh.query(`select * from main.experiment_results`);
    // theta = 1.45; adjusted means 4.725 and 5.025; adjusted variances 0.2125/3 and 1.5125/3 (cuped.test.ts)
    // Welch on them: se = sqrt(0.0708333/4 + 0.5041667/4) = sqrt(0.14375) = 0.3791438;
    // df = 0.14375^2 / ((0.0177083^2 + 0.1260417^2) / 3) = 3.826658; t = 0.3 / 0.3791438 = 0.7912566
    // p = 2 * pt(-0.7912566, 3.826658) = 0.4749426; CI 0.3 -/+ qt(0.975, 3.826658) * 0.3791438
    //   = 0.3 -/+ 2.8267563 * 0.3791438 = [-0.7717471, 1.3717471]
    expect(r!.mean).toBeCloseTo(5.75, 12); // raw means are reported
    expect(r!.baseline_mean).toBeCloseTo(4, 12);
    expect(r!.abs_lift).toBeCloseTo(0.3, 12); // lifts use the adjusted means
    expect(r!.p_value).toBeCloseTo(0.4749426, 6);
    expect(r!.abs_ci_low).toBeCloseTo(-0.7717471, 6);
    expect(r!.abs_ci_high).toBeCloseTo(1.3717471, 6);
    // relative: 5.025 / 4.725 - 1 = 0.0634921
    expect(r!.rel_lift).toBeCloseTo(0.0634921, 6);
    expect(r!.method).toMatch(/CUPED on the pre-period value: theta = 1.45, variance reduced 92%/);
  });
});
