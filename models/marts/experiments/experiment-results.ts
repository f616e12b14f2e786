import { defineModel } from '../../../src/models/define-model.js';
import { freshTable } from '../../../src/models/fresh-table.js';
import type { ColumnDef } from '../../../src/warehouse/dialect.js';
import { analyzeExperiments, type ExperimentResultRow } from './analyze.js';
import { experimentsConfigSchema } from './config-schema.js';
import { sufficientStatsSql, type SufficientStatsRow } from './sufficient-stats-sql.js';

const COLUMNS: Record<keyof ExperimentResultRow | 'computed_at', [ColumnDef['type'], string]> = {
  experiment: ['string', 'experiment id'],
  metric: ['string', 'metric name (config `name`, else its kind)'],
  metric_kind: ['string', 'built-in metric definition (see config-schema.ts)'],
  variant: ['string', 'the variant compared with control'],
  control_variant: ['string', 'the control variant'],
  is_primary: ['bool', 'the metric the ship decision is made on'],
  is_guardrail: ['bool', 'a guardrail: can stop a variant, never ship it'],
  n: ['int64', 'clean units in the variant'],
  mean: ['float64', "the variant's metric: mean per unit, or rate (ratio metrics: sum y / sum x)"],
  baseline_n: ['int64', 'clean units in control'],
  baseline_mean: ['float64', "control's metric"],
  abs_lift: ['float64', 'mean - baseline_mean'],
  rel_lift: ['float64', 'mean / baseline_mean - 1'],
  ci_low: ['float64', 'lower bound of the 1 - alpha interval of rel_lift (delta method)'],
  ci_high: ['float64', 'upper bound of the 1 - alpha interval of rel_lift'],
  abs_ci_low: ['float64', 'lower bound of the 1 - alpha interval of abs_lift'],
  abs_ci_high: ['float64', 'upper bound of the 1 - alpha interval of abs_lift'],
  p_value: ['float64', 'two-sided p-value of no difference'],
  p_value_holm: ['float64', "Holm-adjusted p-value across the variant's metrics"],
  chance_to_win: ['float64', 'posterior probability the variant is better in the good direction'],
  srm_p_value: ['float64', 'sample ratio mismatch chi-square p-value of the whole experiment'],
  excluded_units: ['int64', 'units excluded because they were assigned to several variants'],
  method: ['string', 'the tests used, and why numbers are missing when they are'],
  decision: ['string', 'ship | keep running | stop | check assignment'],
  reason: ['string', 'the decision in words, with the numbers behind it'],
  computed_at: ['timestamp', 'as-of time: the latest landing time of the assignments (keeps reruns identical)'],
};

/**
 * A/B test results for experiments whose units are advocates. SQL returns sufficient statistics per experiment,
 * variant and metric (n, sums, sums of squares and cross products) over clean units; models/stats computes the
 * tests, SRM, chance to win and the decision. Units assigned to several variants are excluded and counted.
 */
export const experimentResults = defineModel({
  name: 'experiment_results',
  grain: 'one row per experiment, metric and non-control variant',
  dependsOn: ['stg_experiment_assignments', 'stg_referral_events', 'stg_referrals', 'stg_orders'],
  columns: Object.fromEntries(Object.entries(COLUMNS).map(([k, [, doc]]) => [k, doc])),
  build: async ({ wh, d, config, self, ref, source }) => {
    // Until `experiments` is a key of the main config schema, read it leniently and validate it here.
    const parsed = experimentsConfigSchema.safeParse((config as unknown as { experiments?: unknown }).experiments);
    if (!parsed.success) throw new Error(`config.experiments is invalid: ${parsed.error.message}`);
    const cfg = parsed.data;
    const ends = Object.fromEntries(
      cfg.experiments.filter((e) => e.analysisEnd).map((e) => [e.id, e.analysisEnd!] as const),
    );
    const assignments = ref('stg_experiment_assignments');
    const stats = await wh.query<SufficientStatsRow & Record<string, unknown>>(
      sufficientStatsSql(
        d,
        {
          assignments,
          referralEvents: ref('stg_referral_events'),
          referrals: ref('stg_referrals'),
          orders: ref('stg_orders'),
        },
        ends,
      ),
    );
    const numeric = stats.map((s) => ({
      ...s,
      n: Number(s.n),
      sum_y: Number(s.sum_y),
      sum_y2: Number(s.sum_y2),
      sum_x: Number(s.sum_x),
      sum_x2: Number(s.sum_x2),
      sum_xy: Number(s.sum_xy),
      sum_pre: Number(s.sum_pre),
      sum_pre2: Number(s.sum_pre2),
      sum_pre_y: Number(s.sum_pre_y),
    }));
    const excludedRows = await wh.query<{ experiment_id: string; excluded: number }>(
      `select experiment_id, sum(case when is_excluded then 1 else 0 end) as excluded from ${assignments} group by experiment_id`,
    );
    const excluded = new Map(excludedRows.map((r) => [r.experiment_id, Number(r.excluded)]));
    const asOf = await wh.query<{ at: Date | null }>(
      `select max(_loaded_at) as at from ${source('experiment_assignments')}`,
    );
    const computedAt = asOf[0]?.at ?? new Date(0);
    const rows = analyzeExperiments(numeric, excluded, cfg);
    const columns: ColumnDef[] = Object.entries(COLUMNS).map(([name, [type, description]]) => ({
      name,
      type,
      description,
    }));
    await freshTable({ wh, d, self }, columns);
    await wh.appendRows(
      config.schemas.analytics,
      'experiment_results',
      columns,
      rows.map((r) =>
        columns.map((c) => (c.name === 'computed_at' ? computedAt : r[c.name as keyof ExperimentResultRow])),
      ),
    );
  },
});
