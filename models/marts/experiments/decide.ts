import { holmAdjust } from '../../stats/multiple-testing.js';
import { powerTwoProportions } from '../../stats/power.js';
import { METRIC_TYPE, type ExperimentMetric } from './config-schema.js';
import type { MetricComparison } from './compare-metric.js';

export type Decision = 'ship' | 'keep running' | 'stop' | 'check assignment';

export interface SrmSummary {
  /** Clean units per variant, in report order. */
  counts: Array<{ variant: string; units: number; weight: number }>;
  pValue: number | null;
  excludedUnits: number;
}

export interface ComparedMetric {
  metric: ExperimentMetric;
  name: string;
  result: MetricComparison;
}

const pct = (x: number): string => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}%`;
const pv = (p: number): string => (p < 0.001 ? p.toExponential(1) : p.toFixed(3));

function lift(m: ComparedMetric, alpha: number): string {
  const r = m.result;
  const level = `${Math.round(100 * (1 - alpha))}%`;
  if (r.relLift !== null && r.ciLow !== null && r.ciHigh !== null) {
    return `${m.name} ${pct(r.relLift)} (${level} CI ${pct(r.ciLow)} to ${pct(r.ciHigh)}, p = ${pv(r.pValue!)})`;
  }
  return `${m.name} ${r.absLift! >= 0 ? '+' : ''}${r.absLift!.toPrecision(3)} absolute (p = ${pv(r.pValue!)})`;
}

/** Units per variant a binomial metric would need to detect the observed difference with 80% power. */
function unitsNeeded(m: ComparedMetric, alpha: number): string {
  const r = m.result;
  if (METRIC_TYPE[m.metric.kind] !== 'binomial' || r.mean === null || r.baselineMean === null) return '';
  const [p1, p2] = [r.baselineMean, r.mean];
  if (!(p1 > 0 && p1 < 1 && p2 > 0 && p2 < 1) || p1 === p2) return '';
  const { n } = powerTwoProportions({ p1, p2, alpha, power: 0.8 });
  return `; detecting a difference this size with 80% power needs about ${Math.ceil(n).toLocaleString('en-US')} units per variant (now ${r.n.toLocaleString('en-US')})`;
}

/**
 * The decision for one variant against control, with the reason in words. In order:
 * 1. SRM p below `srmAlpha` -> check assignment (the split itself is suspect, so no metric is trusted).
 * 2. A guardrail worse with Holm-adjusted (over the variant's guardrails) p < alpha -> stop.
 * 3. The primary metric significantly better -> ship; significantly worse -> stop.
 * 4. Otherwise keep running.
 * The primary metric is tested at alpha unadjusted (it is the single pre-declared decision metric); the mart's
 * `p_value_holm` column gives the family-wise view across all metrics.
 */
export function decide(
  variant: string,
  control: string,
  metrics: ComparedMetric[],
  srm: SrmSummary,
  options: { alpha: number; srmAlpha: number; guardrailAlpha?: number | undefined },
): { decision: Decision; reason: string } {
  const { alpha, srmAlpha } = options;
  const guardrailAlpha = options.guardrailAlpha ?? alpha;
  const excluded =
    srm.excludedUnits > 0 ? `; ${srm.excludedUnits} unit(s) assigned to several variants were excluded` : '';
  if (srm.pValue !== null && srm.pValue < srmAlpha) {
    const split = srm.counts.map((c) => `${c.variant} ${c.units.toLocaleString('en-US')}`).join(' vs ');
    const planned = srm.counts.map((c) => c.weight).join(':');
    return {
      decision: 'check assignment',
      reason: `sample ratio mismatch: ${split} units against a planned ${planned} split (SRM p = ${pv(srm.pValue)} < ${srmAlpha}); fix or explain the assignment before reading the results${excluded}`,
    };
  }
  const significant = (m: ComparedMetric) => m.result.pValue !== null && m.result.pValue < alpha;
  const better = (m: ComparedMetric) => (m.result.absLift ?? 0) * (m.metric.higherIsBetter ? 1 : -1) > 0;
  // Guardrails are a family: a variant is stopped when a guardrail is worse with its Holm-adjusted p-value (over
  // the variant's tested guardrails) below guardrailAlpha, so adding guardrails does not multiply false stops.
  const guarded = metrics.filter((m) => m.metric.guardrail && m.result.pValue !== null);
  const guardHolm = holmAdjust(guarded.map((m) => m.result.pValue!));
  const harmed = guarded.filter((m, i) => guardHolm[i]! < guardrailAlpha && !better(m));
  if (harmed.length > 0) {
    return {
      decision: 'stop',
      reason: `guardrail worse in ${variant} than ${control}: ${harmed.map((m) => `${lift(m, alpha)}, Holm-adjusted over ${guarded.length} guardrail(s) p = ${pv(guardHolm[guarded.indexOf(m)]!)}`).join('; ')}${excluded}`,
    };
  }
  const primary = metrics.find((m) => m.metric.primary) ?? metrics.find((m) => !m.metric.guardrail);
  if (!primary) return { decision: 'keep running', reason: `no primary metric is configured${excluded}` };
  if (primary.result.pValue === null) {
    return {
      decision: 'keep running',
      reason: `primary metric ${primary.name} cannot be tested yet: ${primary.result.problem ?? 'no data'}${excluded}`,
    };
  }
  const guardrails = metrics.filter((m) => m.metric.guardrail).map((m) => m.name);
  const guardNote = guardrails.length > 0 ? `; no guardrail (${guardrails.join(', ')}) significantly worse` : '';
  if (significant(primary) && better(primary)) {
    const win = primary.result.chanceToWin;
    const winNote = win === null ? '' : `, chance to win ${(100 * win).toFixed(1)}%`;
    return {
      decision: 'ship',
      reason: `${variant} beats ${control} on ${lift(primary, alpha)} < ${alpha}${winNote}${guardNote}${excluded}`,
    };
  }
  if (significant(primary)) {
    return {
      decision: 'stop',
      reason: `${variant} is significantly worse than ${control} on ${lift(primary, alpha)}${excluded}`,
    };
  }
  return {
    decision: 'keep running',
    reason: `no significant difference yet on ${lift(primary, alpha)} >= ${alpha}${unitsNeeded(primary, alpha)}${guardNote}${excluded}`,
  };
}
