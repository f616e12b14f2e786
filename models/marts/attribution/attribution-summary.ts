import { defineModel } from '../../../src/models/define-model.js';
import { attributionConfig, ruleVersion } from './config-schema.js';

/**
 * Attribution by model, channel and month under the current rule version only (older versions stay in
 * attribution_credit). `conversions` are fractional credited conversions, `revenue_minor` the summed integer
 * revenue credits; `assisted_conversions` counts conversions the channel shared with another channel under
 * this model (0 < its credit in the conversion < 1), so last-touch models have none.
 */
export const attributionSummary = defineModel({
  name: 'attribution_summary',
  grain: 'one row per program, attribution model, channel and conversion month under the current rule version',
  dependsOn: ['attribution_credit'],
  columns: {
    program_id: 'referral program of the orders',
    model: 'attribution model',
    channel: "channel group ('Unattributed' for conversions with no eligible touch)",
    month: 'first day of the conversion month',
    conversions: 'credited conversions (sum of credit)',
    revenue_minor: 'credited revenue (sum of revenue_credit_minor, reporting-currency minor units)',
    currency: 'reporting currency',
    assisted_conversions: 'conversions in which the channel got part, not all, of the credit',
    rule_version: 'the current attribution rule version',
  },
  build: ({ d, ref, config }) => {
    const version = ruleVersion(attributionConfig(config).ruleSet);
    return `
with per_conversion as (
  select program_id, model, channel, ${d.dateTrunc('month', 'conversion_date')} as month, order_id, currency,
    sum(credit) as credit, sum(revenue_credit_minor) as revenue_minor
  from ${ref('attribution_credit')}
  where rule_version = ${d.stringLiteral(version)}
  group by 1, 2, 3, 4, 5, 6
)
select program_id, model, channel, month,
  sum(credit) as conversions, sum(revenue_minor) as revenue_minor, currency,
  sum(case when credit > 0 and credit < 1 - 1e-9 then 1 else 0 end) as assisted_conversions,
  ${d.stringLiteral(version)} as rule_version
from per_conversion
group by program_id, model, channel, month, currency
`;
  },
});
