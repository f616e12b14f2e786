import { srmTest } from '../../stats/srm.js';
import { holmAdjust } from '../../stats/multiple-testing.js';
import { DEFAULT_METRICS, type ExperimentConfig, type ExperimentsConfig } from './config-schema.js';
import { compareMetric } from './compare-metric.js';
import { decide, type ComparedMetric, type SrmSummary } from './decide.js';
import type { SufficientStatsRow } from './sufficient-stats-sql.js';

/** One `experiment_results` row before it is written (see the model for column meanings). */
export interface ExperimentResultRow {
  experiment: string;
  metric: string;
  metric_kind: string;
  variant: string;
  control_variant: string;
  is_primary: boolean;
  is_guardrail: boolean;
  n: number;
  mean: number | null;
  baseline_n: number;
  baseline_mean: number | null;
  abs_lift: number | null;
  rel_lift: number | null;
  ci_low: number | null;
  ci_high: number | null;
  abs_ci_low: number | null;
  abs_ci_high: number | null;
  p_value: number | null;
  p_value_holm: number | null;
  chance_to_win: number | null;
  srm_p_value: number | null;
  excluded_units: number;
  method: string;
  decision: string;
  reason: string;
}

/** The configured experiment, or defaults for one found only in the data (control: "control", else the first). */
function resolveConfig(id: string, variants: string[], config: ExperimentsConfig): ExperimentConfig {
  const configured = config.experiments.find((e) => e.id === id);
  if (configured) return configured;
  return { id, control: variants.includes('control') ? 'control' : variants[0]! };
}

/**
 * Turns sufficient statistics into result rows: one per experiment, metric and non-control variant. Every
 * experiment present in the data is reported; configured experiments missing from the data are not.
 */
export function analyzeExperiments(
  stats: readonly SufficientStatsRow[],
  excludedUnits: ReadonlyMap<string, number>,
  config: ExperimentsConfig,
): ExperimentResultRow[] {
  const rows: ExperimentResultRow[] = [];
  const ids = [...new Set(stats.map((s) => s.experiment_id))].sort();
  for (const id of ids) {
    const mine = stats.filter((s) => s.experiment_id === id);
    const variants = [...new Set(mine.map((s) => s.variant))].sort();
    const exp = resolveConfig(id, variants, config);
    const metrics = (exp.metrics ?? DEFAULT_METRICS).map((m) => ({ ...m, name: m.name ?? m.kind }));
    const primaryName = (metrics.find((m) => m.primary) ?? metrics.find((m) => !m.guardrail))?.name;
    const excluded = excludedUnits.get(id) ?? 0;
    const unitsOf = (v: string) => mine.find((s) => s.variant === v && s.metric_kind === 'invites')?.n ?? 0;
    const ordered = [exp.control, ...variants.filter((v) => v !== exp.control)];
    const weightOf = (v: string) => (exp.weights ? (exp.weights[v] ?? 0) : 1);
    const counts = ordered.map((v) => ({ variant: v, units: unitsOf(v), weight: weightOf(v) }));
    const unplanned = counts.filter((c) => c.weight === 0).map((c) => c.variant);
    const srm: SrmSummary = {
      counts,
      pValue:
        unplanned.length === 0 && counts.length >= 2
          ? srmTest(
              counts.map((c) => c.units),
              counts.map((c) => c.weight),
            ).pValue
          : null,
      excludedUnits: excluded,
    };
    for (const variant of ordered.slice(1)) {
      const compared: ComparedMetric[] = metrics.map((metric) => {
        const pick = (v: string) => mine.find((s) => s.variant === v && s.metric_kind === metric.kind);
        const c = pick(exp.control);
        const t = pick(variant)!;
        const result = c
          ? compareMetric(metric, c, t, config)
          : compareMetric(metric, { ...t, variant: exp.control, n: 0 }, t, config);
        return { metric, name: metric.name, result };
      });
      let { decision, reason } = decide(variant, exp.control, compared, srm, config);
      if (!variants.includes(exp.control)) {
        decision = 'check assignment';
        reason = `control variant "${exp.control}" has no clean units; variants seen: ${variants.join(', ')}`;
      } else if (unplanned.length > 0) {
        decision = 'check assignment';
        reason = `variant(s) ${unplanned.join(', ')} are not in the planned split (${Object.keys(exp.weights ?? {}).join(', ')})`;
      }
      const tested = compared.map((m) => m.result.pValue);
      const present = tested.filter((p): p is number => p !== null);
      const adjusted = holmAdjust(present);
      let k = 0;
      compared.forEach((m, i) => {
        const r = m.result;
        rows.push({
          experiment: id,
          metric: m.name,
          metric_kind: m.metric.kind,
          variant,
          control_variant: exp.control,
          is_primary: m.name === primaryName,
          is_guardrail: m.metric.guardrail,
          n: r.n,
          mean: r.mean,
          baseline_n: r.baselineN,
          baseline_mean: r.baselineMean,
          abs_lift: r.absLift,
          rel_lift: r.relLift,
          ci_low: r.ciLow,
          ci_high: r.ciHigh,
          abs_ci_low: r.absCiLow,
          abs_ci_high: r.absCiHigh,
          p_value: r.pValue,
          p_value_holm: tested[i] === null ? null : adjusted[k++]!,
          chance_to_win: r.chanceToWin,
          srm_p_value: srm.pValue,
          excluded_units: excluded,
          method: r.problem ? `${r.method} (${r.problem})` : r.method,
          decision,
          reason,
        });
      });
    }
  }
  return rows;
}
