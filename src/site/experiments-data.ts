/**
 * The data behind the site's "Experiments" page: one query against the `experiment_results` mart (already one
 * row per experiment, metric and non-control variant, a few dozen rows), with each experiment's status worked
 * out in SQL, grouped here into experiments -> variants -> metrics. The loader
 * `dashboards/src/data/experiments.json.ts` prints this as JSON.
 */
import { METRIC_TYPE, type MetricKind } from '../../models/marts/experiments/config-schema.js';
import { assertIdentifier } from '../warehouse/identifiers.js';
import type { Row, Warehouse } from '../warehouse/warehouse.js';
import { martStatus, type MartStatus } from './mart.js';
import { MissingMartError } from './referral-funnel-data.js';

export const EXPERIMENT_RESULTS_TABLE = 'experiment_results';
/** The columns loadExperiments reads (an older mart lacking one is `incomplete`, not a Binder Error). */
export const EXPERIMENT_RESULTS_COLUMNS = [
  'experiment',
  'variant',
  'control_variant',
  'metric',
  'metric_kind',
  'is_primary',
  'is_guardrail',
  'n',
  'mean',
  'baseline_n',
  'baseline_mean',
  'abs_lift',
  'rel_lift',
  'ci_low',
  'ci_high',
  'p_value',
  'p_value_holm',
  'chance_to_win',
  'srm_p_value',
  'excluded_units',
  'method',
  'decision',
  'reason',
  'computed_at',
] as const;

/** What one unit of each built-in metric is, so every number on the page carries its unit. */
export const METRIC_UNITS: Record<MetricKind, string> = {
  invites: 'invitations per advocate',
  referrals: 'referred sign-ups per advocate',
  sent_invite: 'of advocates sent an invitation',
  made_referral: 'of advocates made a referral',
  referee_conversion: 'of referred sign-ups ordered',
  referee_refund_rate: "of referees' first orders refunded",
  referee_chargeback_rate: "of referees' first orders charged back",
};

/** 'rate' metrics are shares shown in %; 'mean' metrics are averages per unit shown with METRIC_UNITS. */
export type ValueType = 'mean' | 'rate';

export interface ExperimentMetric {
  metric: string;
  metric_kind: string;
  role: 'primary' | 'secondary' | 'guardrail';
  value_type: ValueType;
  unit: string;
  n: number;
  mean: number | null;
  baseline_n: number;
  baseline_mean: number | null;
  abs_lift: number | null;
  /** Relative lift (0.1 = +10%) and its interval; null when the baseline is 0 or nothing varies. */
  rel_lift: number | null;
  ci_low: number | null;
  ci_high: number | null;
  p_value: number | null;
  p_value_holm: number | null;
  chance_to_win: number | null;
  method: string;
}

export interface ExperimentVariant {
  variant: string;
  /** Clean units in the variant and in control. */
  n: number;
  baseline_n: number;
  decision: string;
  reason: string;
  /** Primary first, then secondary metrics, then guardrails. */
  metrics: ExperimentMetric[];
}

/** 'check assignment' when any variant's split is suspect, 'running' while any variant keeps running, else 'concluded'. */
export type ExperimentStatus = 'check assignment' | 'running' | 'concluded';

export interface ExperimentSummary {
  experiment: string;
  control_variant: string;
  status: ExperimentStatus;
  srm_p_value: number | null;
  excluded_units: number;
  /** ISO timestamp: the latest landing time of the experiment's assignments. */
  computed_at: string | null;
  variants: ExperimentVariant[];
}

export interface ExperimentsData {
  generatedAt: string;
  /** Latest computed_at over the mart; null when it is empty. */
  asOf: string | null;
  experiments: ExperimentSummary[];
  /** Set when the mart lacks a column read here (state 'incomplete': rerun `refstack run`). */
  status?: MartStatus;
}

type RawRow = Omit<ExperimentMetric, 'role' | 'value_type' | 'unit'> & {
  experiment: string;
  variant: string;
  control_variant: string;
  is_primary: boolean;
  is_guardrail: boolean;
  srm_p_value: number | null;
  excluded_units: number | null;
  decision: string;
  reason: string;
  computed_at: unknown;
  status: ExperimentStatus;
};

function isoTime(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : String(value);
}

/**
 * Reads the experiments page's data from `<schema>.experiment_results`. An empty mart gives `experiments: []`.
 * A mart lacking a column read here (an older refstack) gives `experiments: []` with `status` (state
 * 'incomplete'), so the page says "rerun refstack run" instead of the build failing.
 * @throws MissingMartError when the table does not exist
 */
export async function loadExperiments(
  wh: Warehouse,
  schema: string,
  options: { now?: Date } = {},
): Promise<ExperimentsData> {
  assertIdentifier(schema, 'REFSTACK_SCHEMA');
  const status = await martStatus(wh, schema, EXPERIMENT_RESULTS_TABLE, EXPERIMENT_RESULTS_COLUMNS);
  if (status.state === 'missing') throw new MissingMartError(schema, EXPERIMENT_RESULTS_TABLE, wh.location);
  if (status.state === 'incomplete')
    return { generatedAt: (options.now ?? new Date()).toISOString(), asOf: null, experiments: [], status };
  const d = wh.dialect;
  const flag = (decision: string) =>
    `max(case when decision = ${d.stringLiteral(decision)} then 1 else 0 end) over (partition by experiment)`;
  const rows = await wh.query<RawRow & Row>(`
select
  experiment, variant, control_variant, metric, metric_kind, is_primary, is_guardrail,
  n, mean, baseline_n, baseline_mean, abs_lift, rel_lift, ci_low, ci_high,
  p_value, p_value_holm, chance_to_win, srm_p_value, excluded_units, method, decision, reason, computed_at,
  case
    when ${flag('check assignment')} = 1 then 'check assignment'
    when ${flag('keep running')} = 1 then 'running'
    else 'concluded'
  end as status
from ${d.tableRef(schema, EXPERIMENT_RESULTS_TABLE)}
order by experiment, variant,
  case when is_primary then 0 when is_guardrail then 2 else 1 end, metric`);

  const experiments = new Map<string, ExperimentSummary>();
  let asOf: string | null = null;
  for (const r of rows) {
    const at = isoTime(r.computed_at);
    if (at !== null && (asOf === null || at > asOf)) asOf = at;
    let e = experiments.get(r.experiment);
    if (!e) {
      e = {
        experiment: r.experiment,
        control_variant: r.control_variant,
        status: r.status,
        srm_p_value: r.srm_p_value,
        excluded_units: Number(r.excluded_units ?? 0),
        computed_at: at,
        variants: [],
      };
      experiments.set(r.experiment, e);
    }
    let v = e.variants.find((x) => x.variant === r.variant);
    if (!v) {
      v = { variant: r.variant, n: r.n, baseline_n: r.baseline_n, decision: r.decision, reason: r.reason, metrics: [] };
      e.variants.push(v);
    }
    const kind = r.metric_kind as MetricKind;
    v.metrics.push({
      metric: r.metric,
      metric_kind: r.metric_kind,
      role: r.is_primary ? 'primary' : r.is_guardrail ? 'guardrail' : 'secondary',
      value_type: METRIC_TYPE[kind] === 'mean' ? 'mean' : 'rate',
      unit: METRIC_UNITS[kind] ?? '',
      n: r.n,
      mean: r.mean,
      baseline_n: r.baseline_n,
      baseline_mean: r.baseline_mean,
      abs_lift: r.abs_lift,
      rel_lift: r.rel_lift,
      ci_low: r.ci_low,
      ci_high: r.ci_high,
      p_value: r.p_value,
      p_value_holm: r.p_value_holm,
      chance_to_win: r.chance_to_win,
      method: r.method,
    });
  }
  return { generatedAt: (options.now ?? new Date()).toISOString(), asOf, experiments: [...experiments.values()] };
}
