/**
 * Who owns a referral code: the lowest customer_id holding it (a code shared by several customers, which the
 * data allows, resolves to one owner deterministically). stg_customers, stg_referral_events, stg_email_events and
 * the attribution marts resolve advocates from codes this one way.
 */

/**
 * SQL select of `code`, `owner_id`: one row per referral code of `customers`, a table whose `referral_code` is
 * already normalized (upper-cased, trimmed, null when empty): stg_customers, or the normalized own codes of the
 * latest raw customers inside stg_customers.
 *
 * @example `with codes as (${codeOwnersSql(ref('stg_customers'))}) select ... left join codes on codes.code = ...`
 */
export function codeOwnersSql(customers: string): string {
  return `select referral_code as code, min(customer_id) as owner_id from ${customers}
  where referral_code is not null group by 1`;
}
