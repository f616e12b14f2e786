import { defineModel } from '../../../src/models/define-model.js';
import { roiConfig } from './config-schema.js';
import { advocateCostSql, currentRuleVersionSql } from './roi-sql.js';

/**
 * The per-advocate and per-partner report: what each advocate's referrals brought and cost. A partner or
 * affiliate is an advocate in a program of that kind (config programs[].kind), so the per-partner report is
 * this table filtered on program_kind.
 *
 * - referrals / converted_referrals: stg_referrals with this advocate (self-referrals left out).
 * - referral_revenue_minor: revenue credited to the referral channel with this advocate (attribution_credit,
 *   `roi.attributionModel`, current rule version), over all time.
 * - reward cost: every reward_ledger amount (accrued, capped, voided, clawed_back) on this advocate's referrals,
 *   the referee's side of double-sided rewards and milestones included: what the advocate's referrals cost.
 * - roi = (referral_revenue_minor - reward_cost_minor) / reward_cost_minor, NULL unless the cost is positive.
 */
export const advocateRoi = defineModel({
  name: 'advocate_roi',
  grain: 'one row per program and advocate with a referral, a referral credit or a reward',
  dependsOn: ['stg_referrals', 'attribution_credit', 'reward_ledger'],
  columns: {
    program_id: 'referral program',
    program_kind: 'customer_referral | partner | affiliate | pilot (config programs[].kind; NULL if not configured)',
    advocate_id: 'the referring customer or partner',
    referrals: 'referred sign-ups (self-referrals left out)',
    converted_referrals: 'of them, referees who placed a first order',
    first_referral_at: 'earliest referred sign-up',
    last_referral_at: 'latest referred sign-up',
    referral_revenue_minor: 'revenue credited to the referral channel with this advocate (roi.attributionModel)',
    reward_cost_cash_minor: "cash reward cost of the advocate's referrals (both sides, milestones included)",
    reward_cost_non_cash_minor: 'non-cash reward cost, at cash equivalent',
    reward_cost_minor: 'cash + non-cash',
    roi: '(referral_revenue_minor - reward_cost_minor) / reward_cost_minor; NULL unless the cost is positive',
    currency: 'reporting currency of the *_minor columns',
    attribution_model: 'roi.attributionModel used for referral_revenue_minor',
  },
  build(ctx) {
    const { d, ref, config } = ctx;
    const cfg = roiConfig(config);
    const lit = d.stringLiteral;
    // config.programs holds at least one program (zod min 1), so the case has a branch.
    const kinds = config.programs.map((p) => `when ${lit(p.id)} then ${lit(p.kind)}`).join(' ');
    return `
with refs as (
  select program_id, advocate_id, count(*) as referrals,
    cast(sum(case when is_converted then 1 else 0 end) as bigint) as converted_referrals,
    min(signed_up_at) as first_referral_at, max(signed_up_at) as last_referral_at
  from ${ref('stg_referrals')}
  where advocate_id is not null and not coalesce(is_self_referral, false)
  group by 1, 2
),
revenue as (
  select program_id, advocate_id, cast(sum(revenue_credit_minor) as bigint) as referral_revenue_minor
  from ${ref('attribution_credit')}
  where rule_version = ${currentRuleVersionSql(ctx)} and model = ${lit(cfg.attributionModel)}
    and channel = ${lit(cfg.referralChannel)} and advocate_id is not null
  group by 1, 2
),
reward_cost as (${advocateCostSql(ctx)}),
keys as (
  select program_id, advocate_id from refs union distinct select program_id, advocate_id from revenue
  union distinct select program_id, advocate_id from reward_cost
),
joined as (
  select k.program_id, k.advocate_id,
    coalesce(r.referrals, 0) as referrals, coalesce(r.converted_referrals, 0) as converted_referrals,
    r.first_referral_at, r.last_referral_at,
    coalesce(v.referral_revenue_minor, 0) as referral_revenue_minor,
    coalesce(c.cost_cash_minor, 0) as reward_cost_cash_minor,
    coalesce(c.cost_non_cash_minor, 0) as reward_cost_non_cash_minor,
    coalesce(c.cost_cash_minor, 0) + coalesce(c.cost_non_cash_minor, 0) as reward_cost_minor
  from keys k
  left join refs r on r.program_id = k.program_id and r.advocate_id = k.advocate_id
  left join revenue v on v.program_id = k.program_id and v.advocate_id = k.advocate_id
  left join reward_cost c on c.program_id = k.program_id and c.advocate_id = k.advocate_id
)
select program_id, case program_id ${kinds} end as program_kind, advocate_id,
  referrals, converted_referrals, first_referral_at, last_referral_at, referral_revenue_minor,
  reward_cost_cash_minor, reward_cost_non_cash_minor, reward_cost_minor,
  case when reward_cost_minor > 0 then ${d.cast('referral_revenue_minor - reward_cost_minor', 'float64')} / reward_cost_minor end
    as roi,
  ${lit(config.reportingCurrency)} as currency, ${lit(cfg.attributionModel)} as attribution_model
from joined
`;
  },
});
