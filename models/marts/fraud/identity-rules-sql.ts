/**
 * The fraud rules that compare who the advocate and the referee are: self_referral, shared_ip, shared_device,
 * disposable_email, referral_ring. Each returns a select over the `refs` CTE (`referralsCte`) with the columns of
 * fraud_flags except rule_version: referral_id, program_id, advocate_id, referee_id, rule, weight, score,
 * evidence, flagged_at. A rule fires at most once per referral.
 */
import type { SqlDialect } from '../../../src/warehouse/dialect.js';
import type { FraudRules } from './config-schema.js';
import { emailDomainSql, jsonObjectSql } from './evidence-sql.js';

export interface RuleRefs {
  referrals: string;
  customers: string;
  orders: string;
  tree: string;
}

/**
 * CTEs `refs` (each referral with the advocate's and the referee's stitched person, email, sign-up IP and device)
 * and `cust_fp` (each customer's payment fingerprints with the first order that used each).
 */
export function referralsCte(d: SqlDialect, t: RuleRefs): string {
  return `refs as (
  select
    r.referral_id, r.program_id, r.advocate_id, r.referee_id, r.signed_up_at, r.first_order_id, r.converted_at,
    a.person_id as adv_person, e.person_id as ref_person,
    a.email_normalized as adv_email, e.email_normalized as ref_email,
    ${d.normalizeText('a.signup_ip')} as adv_ip, ${d.normalizeText('e.signup_ip')} as ref_ip,
    nullif(trim(a.signup_device_id), '') as adv_device, nullif(trim(e.signup_device_id), '') as ref_device,
    e.created_at as ref_created_at
  from ${t.referrals} r
  left join ${t.customers} a on a.customer_id = r.advocate_id
  left join ${t.customers} e on e.customer_id = r.referee_id
),
cust_fp as (
  select customer_id, payment_fingerprint, order_id, ordered_at
  from ${t.orders}
  where nullif(trim(payment_fingerprint), '') is not null
  ${d.qualify('row_number() over (partition by customer_id, payment_fingerprint order by ordered_at, order_id) = 1', true)}
)`;
}

const head = (rule: string, weight: number) =>
  `r.referral_id, r.program_id, r.advocate_id, r.referee_id, '${rule}' as rule, ${weight} as weight`;

/** Same customer, same stitched person, same normalized email, or a payment fingerprint both have paid with. */
export function selfReferralSql(d: SqlDialect, rules: FraudRules): string {
  const sameCustomer = 'r.advocate_id = r.referee_id';
  const samePerson = 'coalesce(r.adv_person = r.ref_person, false)';
  const sameEmail = 'coalesce(r.adv_email = r.ref_email, false)';
  return `
select ${head('self_referral', rules.selfReferral.weight)}, 1.0 as score,
  ${jsonObjectSql(d, {
    same_customer: { bool: sameCustomer },
    same_person: { bool: samePerson },
    person_id: { str: `case when ${samePerson} then r.ref_person end` },
    same_email: { bool: sameEmail },
    shared_payment_fingerprint: { str: 'fp.payment_fingerprint' },
    advocate_order_id: { str: 'fp.adv_order_id' },
    referee_order_id: { str: 'fp.ref_order_id' },
  })} as evidence,
  case when ${sameCustomer} or ${samePerson} or ${sameEmail} then r.signed_up_at
    else greatest(r.signed_up_at, fp.seen_at) end as flagged_at
from refs r
left join (
  select r.referral_id, a.payment_fingerprint, a.order_id as adv_order_id, e.order_id as ref_order_id,
    greatest(a.ordered_at, e.ordered_at) as seen_at
  from refs r
  join cust_fp a on a.customer_id = r.advocate_id
  join cust_fp e on e.customer_id = r.referee_id and e.payment_fingerprint = a.payment_fingerprint
  ${d.qualify('row_number() over (partition by r.referral_id order by greatest(a.ordered_at, e.ordered_at), a.payment_fingerprint) = 1', false)}
) fp on fp.referral_id = r.referral_id
where r.advocate_id is not null
  and (${sameCustomer} or ${samePerson} or ${sameEmail} or fp.referral_id is not null)`;
}

/** Advocate and referee signed up from the same IP (`column` 'ip') or on the same device ('device'). */
export function sharedSignupSql(d: SqlDialect, rules: FraudRules, column: 'ip' | 'device'): string {
  const rule = column === 'ip' ? 'shared_ip' : 'shared_device';
  const weight = column === 'ip' ? rules.sharedIp.weight : rules.sharedDevice.weight;
  return `
select ${head(rule, weight)}, 1.0 as score,
  ${jsonObjectSql(d, { [column]: { str: `r.ref_${column}` } })} as evidence,
  r.signed_up_at as flagged_at
from refs r
where r.advocate_id is not null and r.advocate_id <> r.referee_id and r.adv_${column} = r.ref_${column}`;
}

/** The referee's normalized email domain is on the configured list. */
export function disposableEmailSql(d: SqlDialect, rules: FraudRules): string | undefined {
  const domains = rules.disposableEmail.domains;
  if (domains.length === 0) return undefined;
  const domain = emailDomainSql(d, 'r.ref_email');
  return `
select ${head('disposable_email', rules.disposableEmail.weight)}, 1.0 as score,
  ${jsonObjectSql(d, { domain: { str: domain } })} as evidence,
  r.signed_up_at as flagged_at
from refs r
where ${domain} in (${domains.map((x) => d.stringLiteral(x)).join(', ')})`;
}

/** The edge sits in or below a referral ring (referral_tree.in_cycle); self-referral edges are left to that rule. */
export function referralRingSql(d: SqlDialect, rules: FraudRules, tree: string): string {
  return `
select ${head('referral_ring', rules.referralRing.weight)}, 1.0 as score,
  ${jsonObjectSql(d, {
    in_cycle: { bool: 't.in_cycle' },
    advocate_referred_by: { str: 'up.advocate_id' },
  })} as evidence,
  r.signed_up_at as flagged_at
from refs r
join ${tree} t on t.program_id = r.program_id and t.referee_id = r.referee_id and t.advocate_id = r.advocate_id
left join ${tree} up on up.program_id = r.program_id and up.referee_id = r.advocate_id
where t.in_cycle and r.advocate_id <> r.referee_id`;
}
