import { defineModel } from '../../../src/models/define-model.js';
import { ATTRIBUTION_MODELS, attributionConfig, ruleVersion } from './config-schema.js';

/**
 * Order revenue of the day's conversions against the revenue each attribution model credits for them, under the
 * current rule version. The unattributed part (conversions with no eligible touch) is its own column, and
 * `difference_minor` = order revenue - attributed - unattributed is zero when the model credited every
 * conversion exactly (the largest-remainder split guarantees it); a non-zero difference is a defect to chase.
 * Every model gets a row for every conversion day, so a model missing conversions shows as a difference.
 */
export const attributionReconciliation = defineModel({
  name: 'attribution_reconciliation',
  grain: 'one row per conversion date and attribution model under the current rule version',
  dependsOn: ['attribution_conversions', 'attribution_credit'],
  columns: {
    conversion_date: 'day of the conversions',
    model: 'attribution model',
    conversions: 'conversions that day',
    order_revenue_minor: 'net revenue of those orders (reporting-currency minor units)',
    attributed_revenue_minor: 'revenue credited to a channel',
    unattributed_revenue_minor: "revenue credited 'Unattributed' (no eligible touch)",
    difference_minor: 'order - attributed - unattributed; zero when reconciled',
    credit_sum: 'sum of credits (equals conversions when every conversion sums to 1)',
    currency: 'reporting currency',
    rule_version: 'the current attribution rule version',
  },
  build: ({ d, ref, config }) => {
    const version = d.stringLiteral(ruleVersion(attributionConfig(config).ruleSet));
    const models = ATTRIBUTION_MODELS.map((m) => `select ${d.stringLiteral(m)} as model`).join(' union all ');
    return `
with orders as (
  select conversion_date, currency, count(*) as conversions, sum(revenue_minor) as order_revenue_minor
  from ${ref('attribution_conversions')}
  group by 1, 2
),
credited as (
  select conversion_date, model,
    sum(case when channel <> 'Unattributed' then revenue_credit_minor else 0 end) as attributed_revenue_minor,
    sum(case when channel = 'Unattributed' then revenue_credit_minor else 0 end) as unattributed_revenue_minor,
    sum(credit) as credit_sum
  from ${ref('attribution_credit')}
  where rule_version = ${version}
  group by 1, 2
)
select o.conversion_date, m.model, o.conversions, o.order_revenue_minor,
  coalesce(c.attributed_revenue_minor, 0) as attributed_revenue_minor,
  coalesce(c.unattributed_revenue_minor, 0) as unattributed_revenue_minor,
  o.order_revenue_minor - coalesce(c.attributed_revenue_minor, 0) - coalesce(c.unattributed_revenue_minor, 0)
    as difference_minor,
  coalesce(c.credit_sum, 0) as credit_sum,
  o.currency, ${version} as rule_version
from orders o
cross join (${models}) m
left join credited c on c.conversion_date = o.conversion_date and c.model = m.model
`;
  },
});
