import { describe, expect, it } from 'vitest';
import type { MetricComparison } from '../../../../models/marts/experiments/compare-metric.js';
import type { ExperimentMetric } from '../../../../models/marts/experiments/config-schema.js';
import { decide, type ComparedMetric, type SrmSummary } from '../../../../models/marts/experiments/decide.js';

const result = (over: Partial<MetricComparison>): MetricComparison => ({
  n: 1000,
  mean: 0.12,
  baselineN: 1000,
  baselineMean: 0.1,
  absLift: 0.02,
  relLift: 0.2,
  ciLow: 0.05,
  ciHigh: 0.35,
  absCiLow: 0.005,
  absCiHigh: 0.035,
  pValue: 0.01,
  chanceToWin: 0.99,
  method: 'test',
  problem: null,
  ...over,
});
const metric = (kind: ExperimentMetric['kind'], over: Partial<ExperimentMetric> = {}): ExperimentMetric => ({
  kind,
  guardrail: false,
  primary: false,
  higherIsBetter: true,
  cuped: false,
  ...over,
});
const m = (meta: ExperimentMetric, r: Partial<MetricComparison>): ComparedMetric => ({
  metric: meta,
  name: meta.kind,
  result: result(r),
});
const cleanSrm: SrmSummary = {
  counts: [
    { variant: 'control', units: 1000, weight: 1 },
    { variant: 'treatment', units: 1000, weight: 1 },
  ],
  pValue: 1,
  excludedUnits: 0,
};
const opts = { alpha: 0.05, srmAlpha: 0.001 };
const refundGuard = metric('referee_refund_rate', { guardrail: true, higherIsBetter: false });
const chargebackGuard = metric('referee_chargeback_rate', { guardrail: true, higherIsBetter: false });

describe('decide', () => {
  it('ships a significant primary win and says why', () => {
    const d = decide('treatment', 'control', [m(metric('made_referral', { primary: true }), {})], cleanSrm, opts);
    expect(d.decision).toBe('ship');
    expect(d.reason).toBe(
      'treatment beats control on made_referral +20.0% (95% CI +5.0% to +35.0%, p = 0.010) < 0.05, chance to win 99.0%',
    );
  });

  it('withholds everything on a sample ratio mismatch', () => {
    // The SRM p-value is an input here (srm.test.ts covers its computation); 1e-5 is below srmAlpha = 0.001.
    const srm: SrmSummary = {
      counts: [
        { variant: 'control', units: 5000, weight: 1 },
        { variant: 'treatment', units: 5400, weight: 1 },
      ],
      pValue: 1e-5,
      excludedUnits: 3,
    };
    const d = decide('treatment', 'control', [m(metric('invites', { primary: true }), {})], srm, opts);
    expect(d.decision).toBe('check assignment');
    expect(d.reason).toBe(
      'sample ratio mismatch: control 5,000 vs treatment 5,400 units against a planned 1:1 split (SRM p = 1.0e-5 < 0.001); ' +
        'fix or explain the assignment before reading the results; 3 unit(s) assigned to several variants were excluded',
    );
  });

  it('stops on a worse guardrail, Holm-adjusted over the guardrails', () => {
    const primary = m(metric('invites', { primary: true }), {});
    // refund rate up with p = 0.01: Holm over two guardrails (0.01, 0.8) -> 0.02 < 0.05 -> stop
    const worse = m(refundGuard, { absLift: 0.01, relLift: 0.3, ciLow: 0.1, ciHigh: 0.5, pValue: 0.01 });
    const fine = m(chargebackGuard, { absLift: 0.001, pValue: 0.8 });
    const d = decide('treatment', 'control', [primary, worse, fine], cleanSrm, opts);
    expect(d.decision).toBe('stop');
    expect(d.reason).toMatch(
      /^guardrail worse in treatment than control: referee_refund_rate \+30\.0% .*Holm-adjusted over 2 guardrail\(s\) p = 0\.020$/,
    );
    // p = 0.03 with two guardrails: Holm 0.06 >= 0.05, so no stop; the primary ships
    const borderline = m(refundGuard, { absLift: 0.01, pValue: 0.03 });
    expect(decide('treatment', 'control', [primary, borderline, fine], cleanSrm, opts).decision).toBe('ship');
    // a guardrail that improved (refunds down) never stops
    const better = m(refundGuard, { absLift: -0.01, pValue: 0.001 });
    expect(decide('treatment', 'control', [primary, better], cleanSrm, opts).decision).toBe('ship');
  });

  it('stops a significantly worse primary and keeps running an inconclusive one', () => {
    const worse = m(metric('invites', { primary: true }), { absLift: -0.3, relLift: -0.2, ciLow: -0.3, ciHigh: -0.1 });
    expect(decide('treatment', 'control', [worse], cleanSrm, opts).decision).toBe('stop');
    // Binomial primary 0.10 -> 0.11, p = 0.4: power.prop.test(p1 = .10, p2 = .11, power = .8) n = 14750.79,
    // so about 14,751 units per variant are needed.
    const unsure = m(metric('made_referral', { primary: true }), {
      mean: 0.11,
      absLift: 0.01,
      relLift: 0.1,
      ciLow: -0.1,
      ciHigh: 0.3,
      pValue: 0.4,
    });
    const d = decide('treatment', 'control', [unsure], cleanSrm, opts);
    expect(d.decision).toBe('keep running');
    expect(d.reason).toMatch(/needs about 14,751 units per variant \(now 1,000\)$/);
  });

  it('a guardrail alpha can be set apart from alpha', () => {
    const primary = m(metric('invites', { primary: true }), {});
    const worse = m(refundGuard, { absLift: 0.01, pValue: 0.02 });
    expect(decide('treatment', 'control', [primary, worse], cleanSrm, opts).decision).toBe('stop');
    expect(decide('treatment', 'control', [primary, worse], cleanSrm, { ...opts, guardrailAlpha: 0.01 }).decision).toBe(
      'ship',
    );
  });
});
