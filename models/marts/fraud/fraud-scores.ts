import { defineModel } from '../../../src/models/define-model.js';
import { fraudConfig, fraudRuleVersion } from './config-schema.js';

/**
 * The combined fraud score of every referral: 1 - prod over fired rules of (1 - weight x score), the chance at
 * least one rule is right if each were an independent detector right with probability weight x score. One
 * certain rule (weight x score = 1) gives 1; rules only add; no rule fired gives 0. `flagged` = score >=
 * fraud.flagThreshold. `is_high_value` marks a first order at or above fraud.highValueThresholdMinor (the review
 * queue holds those whatever the score).
 *
 * The product is computed as exp(sum(ln(1 - w s))) (the ln argument floored at 1e-12, which only matters when a
 * rule is certain and the case gives 1 anyway) and rounded to 9 decimals, so float noise cannot move a score
 * across the threshold (1 - exp(ln(0.5)) is 0.5 exactly after rounding).
 */
export const fraudScores = defineModel({
  name: 'fraud_scores',
  grain: 'one row per referral (stg_referrals), flagged or not',
  dependsOn: ['stg_referrals', 'fraud_flags'],
  columns: {
    referral_id: 'stg_referrals.referral_id',
    program_id: 'referral program',
    advocate_id: 'the referring customer',
    referee_id: 'the referred customer',
    rule_version: 'fraud rule version the score was computed under',
    score: 'combined score 1 - prod(1 - weight x score) over the fired rules, 0-1 (0 when none fired)',
    rules_fired: "fired rules, comma-separated in alphabetical order ('' when none)",
    rule_count: 'number of fired rules',
    flagged: 'score >= fraud.flagThreshold',
    first_order_net_reporting_minor: "the referee's first order net, reporting-currency minor units (NULL if none)",
    reporting_currency: 'currency of the minor units',
    is_high_value: 'first order net >= fraud.highValueThresholdMinor',
    last_evidence_at: 'latest flagged_at of the fired rules: when the score reached its value (NULL when none)',
  },
  build: ({ d, ref, config }) => {
    const cfg = fraudConfig(config);
    const ws = 'f.weight * f.score';
    return `
with combined as (
  select
    f.referral_id,
    case when max(${ws}) >= 1 then 1.0 else round(1 - exp(sum(ln(greatest(1 - ${ws}, 1e-12)))), 9) end as score,
    string_agg(f.rule, ',' order by f.rule) as rules_fired,
    count(*) as rule_count,
    max(f.flagged_at) as last_evidence_at
  from ${ref('fraud_flags')} f
  group by f.referral_id
)
select
  r.referral_id,
  r.program_id,
  r.advocate_id,
  r.referee_id,
  ${d.stringLiteral(fraudRuleVersion(cfg))} as rule_version,
  ${d.cast('coalesce(c.score, 0)', 'float64')} as score,
  coalesce(c.rules_fired, '') as rules_fired,
  coalesce(c.rule_count, 0) as rule_count,
  coalesce(c.score, 0) >= ${cfg.flagThreshold} as flagged,
  r.first_order_net_reporting_minor,
  ${d.stringLiteral(config.reportingCurrency)} as reporting_currency,
  coalesce(r.first_order_net_reporting_minor >= ${cfg.highValueThresholdMinor}, false) as is_high_value,
  c.last_evidence_at
from ${ref('stg_referrals')} r
left join combined c on c.referral_id = r.referral_id
order by r.referral_id
`;
  },
});
