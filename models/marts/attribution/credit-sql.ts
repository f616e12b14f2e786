import type { SqlDialect } from '../../../src/warehouse/dialect.js';
import { RULE_BASED_MODELS, DATA_DRIVEN_MODELS, type RuleSet } from './config-schema.js';

export interface CreditTables {
  conversions: string;
  journeys: string;
  weights: string;
}

const models = (names: readonly string[]) => names.map((m) => `select '${m}' as model`).join(' union all ');

/**
 * SQL: one row per conversion, model and credited touch (`order_id, touch_id, model, credit, reason_code`, plus
 * `channel, campaign, advocate_id` for rows without a touch). Credits of one conversion and model sum to 1.
 *
 * Rule-based models, on a journey of n touches ordered by time (touch_seq 1..n):
 * - first_touch / last_touch: touch 1 / touch n gets 1.
 * - last_non_direct: the last touch whose channel is not Direct gets 1; with only Direct touches, the last touch
 *   ('last_non_direct_fallback_direct').
 * - linear: 1/n each ('linear_share').
 * - position_based (f, m, l): n = 1: 1 ('position_only'); n = 2: f/(f+l) and l/(f+l); n >= 3: f, m/(n-2) each
 *   middle touch, l. Zero shares (e.g. m = 0) make no row.
 * - time_decay: weight 2^(-dt/h), dt the days from touch to conversion and h the half-life; normalized.
 * - A redeemed referral code with `referralCode: 'override'` replaces all of this by one row: Referral Program,
 *   advocate = the code's owner, credit 1, 'referral_code_redeemed' (touch_id NULL: the code is no touch).
 *
 * Data-driven models (journey capped to its last `maxPathLength` touches, earlier touches get no row):
 * - markov: each distinct channel of the journey gets RE_c / sum of RE over the journey's distinct channels
 *   (RE = removal effect from attribution_channel_weights), split equally over that channel's touches. A channel
 *   on a converting path always has RE > 0; were the sum 0, the touches share equally ('markov_fallback_linear').
 * - shapley: each distinct channel gets 1/(number of distinct channels), split equally over its touches. Summed
 *   over conversions this is exactly the simplified Shapley value (unanimity-game decomposition, shapley.ts).
 *   The referral-code rule does not apply to them: they weigh tracked touches only.
 *
 * Every model: a conversion with no eligible touch gets one row, channel 'Unattributed', credit 1,
 * 'no_eligible_touch'.
 */
export function creditRowsSql(d: SqlDialect, ruleSet: RuleSet, t: CreditTables): string {
  const { first: f, middle: m, last: l } = ruleSet.positionBased;
  const override = ruleSet.referralCode === 'override' ? 'c.referral_code is not null' : 'false';
  const halfLifeSeconds = ruleSet.timeDecayHalfLifeDays * 86400;
  const cap = ruleSet.maxPathLength;
  const touchRow = (model: string, credit: string, reason: string) =>
    `select order_id, touch_id, '${model}' as model, ${credit} as credit, ${reason} as reason_code,
    cast(null as ${d.typeName('string')}) as channel, cast(null as ${d.typeName('string')}) as campaign,
    cast(null as ${d.typeName('string')}) as advocate_id`;
  return `
with conv as (
  select c.*, (${override}) as is_override from ${t.conversions} c
),
rb as (
  select j.* from ${t.journeys} j join conv c on c.order_id = j.order_id where not c.is_override
),
lnd as (
  select order_id, max(case when not is_direct then touch_seq end) as last_nd, max(touch_seq) as n
  from rb group by order_id
),
td as (
  select order_id, touch_id, power(2.0, -seconds_before / ${d.cast(String(halfLifeSeconds), 'float64')}) as w from rb
),
dd as (
  select j.*, count(*) over (partition by j.order_id, j.channel) as channel_touches
  from ${t.journeys} j where j.journey_touches - j.touch_seq < ${cap}
),
mk as (
  select dd.*, coalesce(w.weight, 0) / dd.channel_touches as w,
    count(*) over (partition by dd.order_id) as n
  from dd left join ${t.weights} w on w.model = 'markov' and w.channel = dd.channel
),
mk_sum as (
  select mk.*, sum(w) over (partition by order_id) as w_total from mk
),
sh as (
  select dd.*, sum(1.0 / dd.channel_touches) over (partition by dd.order_id) as distinct_channels from dd
),
no_touch as (
  select c.order_id, c.is_override from conv c
  where not exists (select 1 from ${t.journeys} j where j.order_id = c.order_id)
)
${touchRow('first_touch', '1.0', "'first_touch'")} from rb where touch_seq = 1
union all
${touchRow('last_touch', '1.0', "'last_touch'")} from rb where touch_seq = journey_touches
union all
select rb.order_id, rb.touch_id, 'last_non_direct' as model, 1.0 as credit,
  case when lnd.last_nd is null then 'last_non_direct_fallback_direct' else 'last_non_direct' end as reason_code,
  null, null, null
from rb join lnd on lnd.order_id = rb.order_id and rb.touch_seq = coalesce(lnd.last_nd, lnd.n)
union all
${touchRow('linear', '1.0 / journey_touches', "'linear_share'")} from rb
union all
select * from (
  ${touchRow(
    'position_based',
    `case
      when journey_touches = 1 then 1.0
      when journey_touches = 2 then (case when touch_seq = 1 then ${f} else ${l} end) / ${f + l}
      when touch_seq = 1 then ${f}
      when touch_seq = journey_touches then ${l}
      else ${m} / (journey_touches - 2.0)
    end`,
    `case
      when journey_touches = 1 then 'position_only'
      when touch_seq = 1 then 'position_first'
      when touch_seq = journey_touches then 'position_last'
      else 'position_middle'
    end`,
  )} from rb
) pb where credit > 0
union all
${touchRow('time_decay', 'w / sum(w) over (partition by order_id)', "'time_decay_weight'")} from td
union all
${touchRow(
  'markov',
  'case when w_total > 0 then w / w_total else 1.0 / n end',
  "case when w_total > 0 then 'markov_removal_effect' else 'markov_fallback_linear' end",
)} from mk_sum
union all
${touchRow('shapley', '1.0 / (distinct_channels * channel_touches)', "'shapley_value'")} from sh
union all
select c.order_id, cast(null as ${d.typeName('string')}) as touch_id, rbm.model, 1.0 as credit,
  'referral_code_redeemed' as reason_code, 'Referral Program' as channel, cast(null as ${d.typeName('string')}) as campaign,
  c.code_advocate_id as advocate_id
from conv c cross join (${models(RULE_BASED_MODELS)}) rbm
where c.is_override
union all
select nt.order_id, cast(null as ${d.typeName('string')}) as touch_id, am.model, 1.0 as credit,
  'no_eligible_touch' as reason_code, 'Unattributed' as channel, cast(null as ${d.typeName('string')}) as campaign,
  cast(null as ${d.typeName('string')}) as advocate_id
from no_touch nt cross join (${models([...RULE_BASED_MODELS, ...DATA_DRIVEN_MODELS])}) am
where not (nt.is_override and am.model in (${RULE_BASED_MODELS.map((x) => `'${x}'`).join(', ')}))
`;
}

/**
 * SQL: the credit rows with revenue split into integer minor units by largest remainder, so the revenue credits
 * of a conversion and model sum exactly to its revenue. Each row gets floor(credit x |revenue|) (the product
 * rounded to 6 decimals first, so float noise cannot push a floor across an integer and equal shares tie exactly);
 * the units left over go one each to the rows with the largest remainders, ties to the earlier touch, then the
 * lower touch id. A negative revenue is split by its absolute value and the sign put back.
 *
 * Example: 1000 over three linear touches: 333.333 each, floors 333 + 333 + 333 = 999, one unit left, all
 * remainders tie, so the earliest touch gets it: 334 / 333 / 333.
 */
export function revenueSplitSql(d: SqlDialect, credits: string, t: CreditTables): string {
  // The ranking window sorts every credit row: it carries only the columns the split needs, and the
  // conversion's own columns are joined after it (one row per order_id in attribution_conversions).
  return `
with cr as (${credits}),
joined as (
  select cr.model, cr.order_id, cr.touch_id, j.occurred_at as touch_occurred_at,
    coalesce(cr.channel, j.channel) as channel, coalesce(cr.campaign, j.campaign) as campaign,
    coalesce(cr.advocate_id, j.advocate_id) as advocate_id,
    ${d.cast('cr.credit', 'float64')} as credit, cr.reason_code,
    abs(c.revenue_minor) as amount, case when c.revenue_minor < 0 then -1 else 1 end as sign,
    round(cr.credit * abs(c.revenue_minor), 6) as exact
  from cr
  join ${t.conversions} c on c.order_id = cr.order_id
  left join ${t.journeys} j on j.order_id = cr.order_id and j.touch_id = cr.touch_id
),
floored as (
  select joined.*, ${d.cast('floor(exact)', 'int64')} as base, exact - floor(exact) as remainder from joined
),
ranked as (
  select floored.*,
    amount - sum(base) over (partition by order_id, model) as leftover,
    row_number() over (partition by order_id, model order by remainder desc, touch_occurred_at, touch_id) as rk
  from floored
)
select r.model, r.order_id, c.person_id, c.program_id, c.converted_at, c.conversion_date, r.touch_id,
  r.touch_occurred_at, r.channel, r.campaign, r.advocate_id, r.credit,
  r.sign * (r.base + case when r.rk <= r.leftover then 1 else 0 end) as revenue_credit_minor,
  c.currency, r.reason_code
from ranked r
join ${t.conversions} c on c.order_id = r.order_id
`;
}
