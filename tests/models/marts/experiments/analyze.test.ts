import { describe, expect, it } from 'vitest';
import { analyzeExperiments } from '../../../../models/marts/experiments/analyze.js';
import { experimentsConfigSchema } from '../../../../models/marts/experiments/config-schema.js';
import type { SufficientStatsRow } from '../../../../models/marts/experiments/sufficient-stats-sql.js';
import { METRIC_KINDS } from '../../../../models/marts/experiments/config-schema.js';

/** Sufficient statistics for every metric kind of one variant: binomial-style y (conversions of n), x = 1. */
function variant(experiment_id: string, name: string, n: number, conversions: number): SufficientStatsRow[] {
  return METRIC_KINDS.map((metric_kind) => ({
    experiment_id,
    variant: name,
    metric_kind,
    n,
    sum_y: conversions,
    sum_y2: conversions,
    sum_x: n,
    sum_x2: n,
    sum_xy: conversions,
    sum_pre: 0,
    sum_pre2: 0,
    sum_pre_y: 0,
  }));
}

describe('analyzeExperiments', () => {
  it('an unconfigured experiment gets the default metrics, control "control", and an SRM verdict', () => {
    // 5000 vs 5400 on 1:1: chi2 = 2 * 200^2 / 5200 = 15.384615, p = erfc(sqrt(15.384615 / 2)) = 8.77e-5 < 0.001
    const stats = [...variant('exp', 'treatment', 5400, 600), ...variant('exp', 'control', 5000, 500)];
    const rows = analyzeExperiments(stats, new Map([['exp', 7]]), experimentsConfigSchema.parse({}));
    expect(rows.map((r) => r.metric)).toEqual([
      'invites',
      'made_referral',
      'referee_conversion',
      'referee_refund_rate',
      'referee_chargeback_rate',
    ]);
    expect(rows.every((r) => r.control_variant === 'control' && r.variant === 'treatment')).toBe(true);
    expect(rows[0]!.srm_p_value).toBeCloseTo(8.7699e-5, 8);
    expect(rows[0]!.decision).toBe('check assignment');
    expect(rows[0]!.excluded_units).toBe(7);
  });

  it('a variant outside the planned split is an assignment problem, named', () => {
    const stats = [...variant('exp', 'a', 1000, 100), ...variant('exp', 'b', 1000, 100), ...variant('exp', 'c', 10, 1)];
    const cfg = experimentsConfigSchema.parse({
      experiments: [{ id: 'exp', control: 'a', weights: { a: 1, b: 1 }, metrics: [{ kind: 'made_referral' }] }],
    });
    const rows = analyzeExperiments(stats, new Map(), cfg);
    expect(rows.map((r) => [r.variant, r.decision])).toEqual([
      ['b', 'check assignment'],
      ['c', 'check assignment'],
    ]);
    expect(rows[0]!.reason).toBe('variant(s) c are not in the planned split (a, b)');
    expect(rows[0]!.srm_p_value).toBeNull();
  });

  it('a control with no clean units is reported, not thrown', () => {
    const cfg = experimentsConfigSchema.parse({
      experiments: [{ id: 'exp', control: 'ctl', metrics: [{ kind: 'invites' }] }],
    });
    const rows = analyzeExperiments(variant('exp', 'treatment', 50, 5), new Map(), cfg);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.decision).toBe('check assignment');
    expect(rows[0]!.reason).toBe('control variant "ctl" has no clean units; variants seen: treatment');
    expect(rows[0]!.p_value).toBeNull();
  });
});
