import type { SqlDialect } from '../../../src/warehouse/dialect.js';
import { METRIC_KINDS, type MetricKind } from './config-schema.js';

/**
 * Per-unit value of each metric kind as (y, x): the metric is sum(y) / sum(x) over units, x = 1 for mean and
 * binomial metrics. `pre` is the CUPED covariate: the same quantity in the pre-period (a window of the same
 * length just before the unit's assignment); 0 for kinds without one. Columns refer to `per_unit` below.
 */
const UNIT_VALUE: Record<MetricKind, { y: string; x: string; pre: string }> = {
  invites: { y: 'invites', x: '1', pre: 'pre_invites' },
  sent_invite: { y: 'case when invites > 0 then 1 else 0 end', x: '1', pre: '0' },
  referrals: { y: 'referrals', x: '1', pre: 'pre_referrals' },
  made_referral: { y: 'case when referrals > 0 then 1 else 0 end', x: '1', pre: '0' },
  referee_conversion: { y: 'converted', x: 'referrals', pre: '0' },
  referee_refund_rate: { y: 'refunded', x: 'converted', pre: '0' },
  referee_chargeback_rate: { y: 'charged_back', x: 'converted', pre: '0' },
};

export interface SufficientStatsRow {
  experiment_id: string;
  variant: string;
  metric_kind: MetricKind;
  n: number;
  sum_y: number;
  sum_y2: number;
  sum_x: number;
  sum_x2: number;
  sum_xy: number;
  /** CUPED covariate sums: sum(pre), sum(pre^2), sum(pre * y). */
  sum_pre: number;
  sum_pre2: number;
  sum_pre_y: number;
}

/**
 * One row per experiment, variant and metric kind with n, sum(y), sum(y^2), sum(x), sum(x^2), sum(x y) and the
 * CUPED covariate sums over the clean (not excluded) assigned units. Every kind is computed for every experiment
 * (a few sums each); the TS side reads the configured ones. Each unit is measured from its assignment to the experiment's analysis
 * end: the configured `analysisEnd`, else the experiment's last assignment time.
 *
 * @param analysisEnds experiment id -> ISO timestamp, from the config.
 */
export function sufficientStatsSql(
  d: SqlDialect,
  refs: { assignments: string; referralEvents: string; referrals: string; orders: string },
  analysisEnds: Record<string, string>,
): string {
  const ends = Object.entries(analysisEnds);
  const configuredEnds =
    ends.length === 0
      ? `select ${d.cast('null', 'string')} as experiment_id, ${d.cast('null', 'timestamp')} as analysis_end from (select 1 as one) z where 1 = 0`
      : ends
          .map(
            ([id, at]) =>
              `select ${d.stringLiteral(id)} as experiment_id, ${d.cast(d.stringLiteral(at), 'timestamp')} as analysis_end`,
          )
          .join('\nunion all\n');
  const perMetric = METRIC_KINDS.map((kind) => {
    const { y, x, pre } = UNIT_VALUE[kind];
    return `select experiment_id, variant, ${d.stringLiteral(kind)} as metric_kind, count(*) as n,
  sum(${y}) as sum_y, sum((${y}) * (${y})) as sum_y2, sum(${x}) as sum_x, sum((${x}) * (${x})) as sum_x2,
  sum((${x}) * (${y})) as sum_xy, sum(${pre}) as sum_pre, sum((${pre}) * (${pre})) as sum_pre2,
  sum((${pre}) * (${y})) as sum_pre_y
from per_unit group by experiment_id, variant`;
  }).join('\nunion all\n');
  return `
with configured_ends as (
${configuredEnds}
),
last_assignment as (
  select experiment_id, max(assigned_at) as data_end from ${refs.assignments} group by experiment_id
),
windows as (
  select a.experiment_id, a.variant, a.unit_id, a.assigned_at,
    coalesce(c.analysis_end, l.data_end) as window_end
  from ${refs.assignments} a
  join last_assignment l on l.experiment_id = a.experiment_id
  left join configured_ends c on c.experiment_id = a.experiment_id
  where not a.is_excluded
),
units as (
  -- pre_start: as long before the assignment as the unit's window lasts after it (CUPED pre-period)
  select w.*,
    ${d.epochSeconds('w.assigned_at')} as assigned_s,
    ${d.epochSeconds('w.window_end')} as end_s,
    2 * ${d.epochSeconds('w.assigned_at')} - ${d.epochSeconds('w.window_end')} as pre_start_s
  from windows w
),
pre_invites as (
  select u.experiment_id, u.unit_id, count(*) as pre_invites
  from units u
  join ${refs.referralEvents} e
    on e.advocate_id = u.unit_id and e.event_type = 'invited'
    and ${d.epochSeconds('e.occurred_at')} >= u.pre_start_s and e.occurred_at < u.assigned_at
  group by u.experiment_id, u.unit_id
),
pre_referred as (
  select u.experiment_id, u.unit_id, count(*) as pre_referrals
  from units u
  join ${refs.referrals} r
    on r.advocate_id = u.unit_id and not r.is_self_referral
    and ${d.epochSeconds('r.signed_up_at')} >= u.pre_start_s and r.signed_up_at < u.assigned_at
  group by u.experiment_id, u.unit_id
),
invites as (
  select u.experiment_id, u.unit_id, count(*) as invites
  from units u
  join ${refs.referralEvents} e
    on e.advocate_id = u.unit_id and e.event_type = 'invited'
    and e.occurred_at >= u.assigned_at and e.occurred_at < u.window_end
  group by u.experiment_id, u.unit_id
),
referred as (
  select u.experiment_id, u.unit_id,
    count(*) as referrals,
    sum(case when r.is_converted then 1 else 0 end) as converted,
    sum(case when r.is_converted and o.is_refunded then 1 else 0 end) as refunded,
    sum(case when r.is_converted and o.is_chargeback then 1 else 0 end) as charged_back
  from units u
  join ${refs.referrals} r
    on r.advocate_id = u.unit_id and not r.is_self_referral
    and r.signed_up_at >= u.assigned_at and r.signed_up_at < u.window_end
  left join ${refs.orders} o on o.order_id = r.first_order_id
  group by u.experiment_id, u.unit_id
),
per_unit as (
  select u.experiment_id, u.variant, u.unit_id,
    coalesce(i.invites, 0) as invites,
    coalesce(r.referrals, 0) as referrals,
    coalesce(r.converted, 0) as converted,
    coalesce(r.refunded, 0) as refunded,
    coalesce(r.charged_back, 0) as charged_back,
    coalesce(pi.pre_invites, 0) as pre_invites,
    coalesce(pr.pre_referrals, 0) as pre_referrals
  from units u
  left join invites i on i.experiment_id = u.experiment_id and i.unit_id = u.unit_id
  left join referred r on r.experiment_id = u.experiment_id and r.unit_id = u.unit_id
  left join pre_invites pi on pi.experiment_id = u.experiment_id and pi.unit_id = u.unit_id
  left join pre_referred pr on pr.experiment_id = u.experiment_id and pr.unit_id = u.unit_id
)
${perMetric}
`;
}
