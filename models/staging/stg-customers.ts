import { defineModel } from '../../src/models/define-model.js';
import { latestPerKey } from './latest.js';
import { codeOwnersSql } from './referral-code-owners.js';

/**
 * Customers, cleaned: the latest landed version of each customer, emails and codes normalized, and the
 * advocate who referred them resolved from `referred_by_code`.
 */
export const stgCustomers = defineModel({
  name: 'stg_customers',
  grain: 'one row per customer_id (the most recently landed version)',
  dependsOn: ['stg_identity_map'],
  columns: {
    customer_id: 'source customer id',
    person_id: 'the stitched person (stg_identity_map): customers sharing an email are one person',
    program_id: 'referral program',
    email_normalized: 'lower-cased, trimmed email (PII)',
    created_at: 'sign-up time (UTC)',
    signup_date: 'date of created_at',
    country: 'upper-cased ISO country',
    region: 'sales region',
    referral_code: "the customer's own code, upper-cased",
    referred_by_code: 'code used at sign-up, upper-cased',
    advocate_id: 'customer whose referral_code equals referred_by_code (lowest id if a code is shared)',
    is_referred: 'referred_by_code is set',
    signup_ip: 'PII',
    signup_device_id: 'device fingerprint at sign-up',
  },
  build: ({ d, source, ref }) => `
with latest as (
  select * from ${source('customers')}
  ${latestPerKey(d, 'customer_id')}
),
own_codes as (
  select customer_id, upper(trim(referral_code)) as referral_code
  from latest
  where ${d.normalizeText('referral_code')} is not null
),
codes as (${codeOwnersSql('own_codes')})
select
  c.customer_id,
  coalesce(m.person_id, ${d.hashId([`'customer_id|' || c.customer_id`])}) as person_id,
  c.program_id,
  ${d.normalizeText('c.email')} as email_normalized,
  c.full_name,
  c.created_at,
  ${d.toDate('c.created_at')} as signup_date,
  upper(trim(c.country)) as country,
  nullif(trim(c.region), '') as region,
  upper(${d.normalizeText('c.referral_code')}) as referral_code,
  upper(${d.normalizeText('c.referred_by_code')}) as referred_by_code,
  codes.owner_id as advocate_id,
  ${d.normalizeText('c.referred_by_code')} is not null as is_referred,
  c.signup_ip,
  c.signup_device_id
from latest c
left join codes on codes.code = upper(${d.normalizeText('c.referred_by_code')})
left join ${ref('stg_identity_map')} m on m.identifier_type = 'customer_id' and m.identifier = c.customer_id
`,
});
