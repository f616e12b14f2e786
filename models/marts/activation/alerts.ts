/**
 * alerts: the alert rules of config `activation.alerts`, evaluated on every run against the data (as of the data's
 * latest referral sign-up or order; no wall clock). Each row is one condition that holds now; its alert_id is a
 * hash of the rule, the subject and the episode (the spike day, the stale source's newest timestamp, the month), so
 * the same condition keeps the same id across runs and `refstack alerts send` posts it once.
 */
import { defineModel } from '../../../src/models/define-model.js';
import type { SqlDialect } from '../../../src/warehouse/dialect.js';
import { activationConfig } from './config-schema.js';

/** Landing tables and their event-time column, checked for staleness. */
const SOURCES: [table: string, column: string][] = [
  ['customers', 'created_at'],
  ['orders', 'ordered_at'],
  ['touches', 'occurred_at'],
  ['referral_events', 'occurred_at'],
  ['survey_responses', 'submitted_at'],
  ['support_interactions', 'occurred_at'],
  ['email_events', 'occurred_at'],
];

const f = (d: SqlDialect, expr: string) => d.cast(expr, 'float64');
const s = (d: SqlDialect, expr: string) => d.cast(expr, 'string');

export const alerts = defineModel({
  name: 'alerts',
  grain: 'one row per alert rule and subject whose condition holds as of the data',
  dependsOn: [
    'stg_referrals',
    'stg_orders',
    'fraud_scores',
    'attribution_reconciliation',
    'reward_ledger',
    'experiment_results',
  ],
  columns: {
    alert_id: 'stable id: hash of rule, subject and episode (the same condition keeps it across runs)',
    rule: 'referral_velocity_spike | fraud_score_surge | reconciliation_drift | stale_source | liability_above_budget | experiment_srm',
    severity: 'warning | critical',
    subject: 'what it is about: a program, an attribution model, a landing table, an experiment',
    message: 'the alert in words, with the numbers behind it',
    first_seen_at:
      "when the condition started in the data (spike day, first drifting day, the stale source's newest row, as_of)",
    value: 'the measured value',
    threshold: 'the threshold it crossed',
  },
  build: ({ d, config, ref, source }) => {
    const cfg = activationConfig(config).alerts;
    const srmAlpha = config.experiments.srmAlpha;
    const day = (e: string) => d.toDate(e);
    const id = (parts: string[]) => d.hashId(parts);
    const sourceTimes = SOURCES.map(
      ([t, c]) => `select 'raw.${t}' as src, max(${c}) as newest from ${source(t as 'orders')}`,
    ).join('\n    union all ');
    const budget =
      cfg.liabilityBudgetMinor === undefined
        ? `select ${s(d, 'null')} as alert_id, ${s(d, 'null')} as rule, ${s(d, 'null')} as severity, ${s(d, 'null')} as subject,
             ${s(d, 'null')} as message, ${d.cast('null', 'timestamp')} as first_seen_at, ${f(d, 'null')} as value,
             ${f(d, 'null')} as threshold from (select 1 as one) z where 1 = 0`
        : `select ${id(["'liability_above_budget'", 'program_id', s(d, d.dateTrunc('month', 'a.as_of'))])} as alert_id,
             'liability_above_budget' as rule, 'critical' as severity, program_id as subject,
             'liability ' || ${s(d, 'owed')} || ' ' || currency || ' minor units (held + approved unpaid) is above the budget ${cfg.liabilityBudgetMinor}' as message,
             a.as_of as first_seen_at, ${f(d, 'owed')} as value, ${f(d, String(cfg.liabilityBudgetMinor))} as threshold
           from (select program_id, currency, sum(held_delta_minor + approved_delta_minor) as owed
                 from ${ref('reward_ledger')} group by program_id, currency) l
           cross join as_of a
           where owed > ${cfg.liabilityBudgetMinor}`;
    return `
with as_of as (
  select max(t) as as_of from (
    select max(signed_up_at) as t from ${ref('stg_referrals')}
    union all select max(ordered_at) as t from ${ref('stg_orders')}
  ) x
),
signups as (
  select r.program_id, ${day('r.signed_up_at')} as day, r.referral_id
  from ${ref('stg_referrals')} r where r.signed_up_at is not null
),
velocity as (
  select s.program_id, ${day('a.as_of')} as day,
    sum(case when s.day = ${day('a.as_of')} then 1 else 0 end) as today,
    sum(case when s.day < ${day('a.as_of')} and s.day >= ${d.dateAdd('day', '-28', day('a.as_of'))} then 1 else 0 end) / 28.0 as baseline
  from signups s cross join as_of a
  group by s.program_id, ${day('a.as_of')}
),
surge as (
  select s.program_id, count(*) as referrals, sum(case when fs.flagged then 1 else 0 end) as flagged
  from signups s
  cross join as_of a
  join ${ref('fraud_scores')} fs on fs.referral_id = s.referral_id
  where s.day > ${d.dateAdd('day', '-7', day('a.as_of'))}
  group by s.program_id
),
drift as (
  select model, count(*) as days, sum(abs(difference_minor)) as total, min(conversion_date) as first_day
  from ${ref('attribution_reconciliation')}
  where abs(difference_minor) > ${cfg.reconciliationToleranceMinor}
  group by model
),
sources as (
  select src, newest, max(newest) over () as latest from (
    ${sourceTimes}
  ) t where newest is not null
)
select ${id(["'referral_velocity_spike'", 'program_id', s(d, 'day')])} as alert_id, 'referral_velocity_spike' as rule,
  'warning' as severity, program_id as subject,
  ${s(d, 'today')} || ' referral sign-ups on ' || ${s(d, 'day')} || ' vs a 28-day mean of ' || ${s(d, 'round(baseline, 2)')} || ' a day' as message,
  ${d.cast('day', 'timestamp')} as first_seen_at, ${f(d, 'today')} as value, ${f(d, `${cfg.velocitySpikeRatio} * baseline`)} as threshold
from velocity
where today >= ${cfg.velocityMinReferrals} and today > ${cfg.velocitySpikeRatio} * baseline
union all
select ${id(["'fraud_score_surge'", 'program_id', s(d, day('a.as_of'))])}, 'fraud_score_surge', 'critical', program_id,
  ${s(d, 'flagged')} || ' of ' || ${s(d, 'referrals')} || ' referrals in the last 7 days are flagged by fraud_scores',
  a.as_of, ${f(d, 'flagged * 1.0 / referrals')}, ${f(d, String(cfg.fraudSurgeShare))}
from surge cross join as_of a
where referrals >= ${cfg.velocityMinReferrals} and flagged * 1.0 / referrals > ${cfg.fraudSurgeShare}
union all
select ${id(["'reconciliation_drift'", 'model', s(d, 'first_day')])}, 'reconciliation_drift', 'warning', model,
  'attribution does not reconcile with order revenue on ' || ${s(d, 'days')} || ' days (total ' || ${s(d, 'total')} || ' minor units) since ' || ${s(d, 'first_day')},
  ${d.cast('first_day', 'timestamp')}, ${f(d, 'total')}, ${f(d, String(cfg.reconciliationToleranceMinor))}
from drift
union all
select ${id(["'stale_source'", 'src', s(d, 'newest')])}, 'stale_source', 'warning', src,
  src || ' has nothing newer than ' || ${s(d, 'newest')} || ', ' || ${s(d, `round(${d.epochSeconds('latest')} / 3600.0 - ${d.epochSeconds('newest')} / 3600.0, 1)`)} || ' hours behind the newest data',
  newest,
  ${f(d, `${d.epochSeconds('latest')} / 3600.0 - ${d.epochSeconds('newest')} / 3600.0`)}, ${f(d, String(cfg.staleSourceHours))}
from sources
where ${d.epochSeconds('latest')} - ${d.epochSeconds('newest')} > ${cfg.staleSourceHours * 3600}
union all
${budget}
union all
select ${id(["'experiment_srm'", 'experiment'])}, 'experiment_srm', 'critical', experiment,
  'experiment ' || experiment || ' has a sample ratio mismatch (chi-square p ' || ${s(d, 'min(srm_p_value)')} || ' < ${srmAlpha}): check assignment before reading results',
  (select as_of from as_of), ${f(d, 'min(srm_p_value)')}, ${f(d, String(srmAlpha))}
from ${ref('experiment_results')}
where srm_p_value < ${srmAlpha}
group by experiment`;
  },
});
