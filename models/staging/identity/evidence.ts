/**
 * The evidence identity stitching reads, as SQL over staging and landing tables. Node keys sort customers first:
 * `0|customer_id|<id>` for customers, `1|<type>|<value>` for everything else, so the smallest key in a component
 * is its smallest customer id when it has one. `person_id` is the hash of the smallest key without its sort prefix.
 */
import type { SqlDialect } from '../../../src/warehouse/dialect.js';
import { latestPerKey, latestRowsSql } from '../latest.js';

/** SQL: the node key of an identifier, from SQL expressions for its type and value. */
export function nodeKeySql(d: SqlDialect, typeExpr: string, valueExpr: string): string {
  return d.concatWs("'|'", [`case when ${typeExpr} = 'customer_id' then '0' else '1' end`, typeExpr, valueExpr]);
}

/** SQL: person_id from a node key (`0|customer_id|C1` -> hash of `customer_id|C1`). */
export const personIdSql = (d: SqlDialect, key: string): string => d.hashId([`substr(${key}, 3)`]);

const trimmed = (expr: string) => `nullif(trim(${expr}), '')`;

/** SQL: the latest version of each touch, with ids trimmed (the columns identity stitching needs). */
export function identityTouchesSql(d: SqlDialect, touches: string): string {
  return `select touch_id, ${trimmed('anonymous_id')} as anonymous_id, ${trimmed('customer_id')} as customer_id,
  ${trimmed('device_id')} as device_id, occurred_at
from (${latestRowsSql(d, touches, 'touch_id')}) t`;
}

/**
 * SQL: phase-1 edges among customer-level identifiers, one row per piece of evidence:
 * (a_type, a, b_type, b, reason, seen_at, priority). Self edges introduce customer ids; email edges join a normalized
 * email to the customer whose record carries it, so customers sharing an email (CRM duplicates) become one
 * component. Priority orders the reasons of a customer id: its record, then a referral event, then a touch.
 * Touches give one edge per customer id, its earliest touch (then the smallest touch id): the only touch edge that
 * can be a customer id's reason, and the same nodes and components as an edge per touch, at a fraction of the rows.
 */
export function customerEdgesSql(d: SqlDialect, refs: { customers: string; referralEvents: string; touches: string }) {
  const str = (e: string) => d.cast(e, 'string');
  return `select 'customer_id' as a_type, customer_id as a, 'customer_id' as b_type, customer_id as b,
  'customer record' as reason, created_at as seen_at, 1 as priority
from ${refs.customers}
union all
select 'email', email_normalized, 'customer_id', customer_id,
  'same normalized email as customer ' || customer_id, created_at, 1
from ${refs.customers} where email_normalized is not null
union all
select 'customer_id', referee_id, 'customer_id', referee_id,
  'referee of referral event ' || event_id || ' (' || ${d.normalizeText('event_type')} || ') at ' || ${str('occurred_at')},
  occurred_at, 2
from (
  select event_id, event_type, occurred_at, ${trimmed('referee_id')} as referee_id from ${refs.referralEvents}
  ${latestPerKey(d, 'event_id')}
) e where referee_id is not null
union all
select 'customer_id', customer_id, 'customer_id', customer_id,
  'customer id on touch ' || touch_id || ' at ' || ${str('occurred_at')}, occurred_at, 3
from (
  select customer_id, touch_id, occurred_at from ${refs.touches} where customer_id is not null
  ${d.qualify('row_number() over (partition by customer_id order by occurred_at, touch_id) = 1', true)}
) t`;
}

/**
 * SQL: phase-2 evidence, one row per (identifier, customer) sighting: anonymous ids on identified touches (login or
 * identify: anonymous_id and customer_id on one touch), device ids on identified touches and at sign-up. Columns:
 * (identifier_type, identifier, customer_id, via, seen_at). IPs are never evidence.
 */
export function sightingsSql(d: SqlDialect, refs: { customers: string; touches: string }) {
  const str = (e: string) => d.cast(e, 'string');
  return `select 'anonymous_id' as identifier_type, anonymous_id as identifier, customer_id,
  'touch ' || touch_id || ' at ' || ${str('occurred_at')} as via, occurred_at as seen_at
from ${refs.touches} where anonymous_id is not null and customer_id is not null
union all
select 'device_id', device_id, customer_id, 'touch ' || touch_id || ' at ' || ${str('occurred_at')}, occurred_at
from ${refs.touches} where device_id is not null and customer_id is not null
union all
select 'device_id', ${trimmed('signup_device_id')}, customer_id, 'sign-up at ' || ${str('created_at')}, created_at
from ${refs.customers} where ${trimmed('signup_device_id')} is not null`;
}

/** SQL: every anonymous and device id seen on a touch or at a sign-up, with when it was first seen. */
export function seenSql(d: SqlDialect, refs: { customers: string; touches: string }) {
  return `select identifier_type, identifier, min(first_seen) as first_seen from (
  select 'anonymous_id' as identifier_type, anonymous_id as identifier, occurred_at as first_seen
  from ${refs.touches} where anonymous_id is not null
  union all
  select 'device_id', device_id, occurred_at from ${refs.touches} where device_id is not null
  union all
  select 'device_id', ${trimmed('signup_device_id')}, created_at
  from ${refs.customers} where ${trimmed('signup_device_id')} is not null
) s group by 1, 2`;
}
