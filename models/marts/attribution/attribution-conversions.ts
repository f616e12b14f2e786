import { defineModel } from '../../../src/models/define-model.js';
import { attributionConfig, ruleVersion } from './config-schema.js';
import { codeOwnersSql } from './eligibility.js';

/**
 * The conversions of the current rule set. A conversion is an order whose status is in `ruleSet.orderStatuses`;
 * with `conversion: 'first_order'` only each person's first such order (by time, then order id) counts (the
 * acquisition), with 'every_order' every one does. The person is the order's customer's stitched person
 * (stg_customers.person_id), so a person with two customer accounts converts once.
 *
 * Revenue is `net_reporting_minor` (net of discount, tax and refunds, reporting-currency minor units; it can be
 * negative for a refunded order whose refund included tax). `code_advocate_id` is the owner of the redeemed
 * referral code (the lowest customer id holding it, as in stg_customers).
 */
export const attributionConversions = defineModel({
  name: 'attribution_conversions',
  grain: 'one row per conversion (an order) under the current attribution rule set',
  dependsOn: ['stg_orders', 'stg_customers'],
  columns: {
    order_id: 'the converting order',
    person_id: 'stitched person of the ordering customer',
    customer_id: 'ordering customer',
    program_id: 'referral program of the order',
    converted_at: 'order time (UTC)',
    conversion_date: 'date of converted_at',
    revenue_minor: 'net_reporting_minor of the order (reporting-currency minor units)',
    currency: 'reporting currency of revenue_minor',
    referral_code: 'code redeemed at checkout, upper-cased',
    code_advocate_id: 'owner of the redeemed code; NULL when no code or an unknown code',
    person_order_seq: "1 for the person's first qualifying order, 2 for the second, ...",
    rule_version: 'attribution rule version these conversions were defined under',
  },
  build: ({ d, ref, config }) => {
    const { ruleSet } = attributionConfig(config);
    const statuses = ruleSet.orderStatuses.map((s) => d.stringLiteral(s)).join(', ');
    const customers = ref('stg_customers');
    return `
with codes as (${codeOwnersSql(customers)}),
qualifying as (
  select o.*, coalesce(c.person_id, ${d.hashId([`'customer_id|' || o.customer_id`])}) as person_id
  from ${ref('stg_orders')} o
  left join ${customers} c on c.customer_id = o.customer_id
  where o.status in (${statuses})
),
ranked as (
  select q.*, row_number() over (partition by q.person_id order by q.ordered_at, q.order_id) as person_order_seq
  from qualifying q
)
select
  r.order_id, r.person_id, r.customer_id, r.program_id,
  r.ordered_at as converted_at, r.order_date as conversion_date,
  r.net_reporting_minor as revenue_minor, r.reporting_currency as currency,
  r.referral_code, codes.owner_id as code_advocate_id, r.person_order_seq,
  ${d.stringLiteral(ruleVersion(ruleSet))} as rule_version
from ranked r
left join codes on codes.code = r.referral_code
${ruleSet.conversion === 'first_order' ? 'where r.person_order_seq = 1' : ''}
`;
  },
});
