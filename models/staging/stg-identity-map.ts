import { latestPerKey } from './latest.js';
import { defineModel } from '../../src/models/define-model.js';
import type { SqlDialect } from '../../src/warehouse/dialect.js';
import { connectedComponents } from './identity/components.js';
import { stagingOptions } from './identity/config.js';
import {
  customerEdgesSql,
  identityTouchesSql,
  nodeKeySql,
  personIdSql,
  seenSql,
  sightingsSql,
} from './identity/evidence.js';

/** SQL: "C1 and C2" for two ids, "C1 .. C9 (3 in all)" for more. */
const idList = (d: SqlDialect, n: string, lo: string, hi: string) =>
  `(case when ${n} = 2 then ${lo} || ' and ' || ${hi} else ${lo} || ' .. ' || ${hi} || ' (' || ${d.cast(n, 'string')} || ' in all)' end)`;

/**
 * Identity stitching: every identifier we hold (customer ids, normalized emails, anonymous ids, device ids) mapped
 * to one `person_id`, with the reason for the link.
 *
 * Two phases, so a shared device or browser can never merge different people:
 * 1. Customer-level graph: customer ids (customer records, referral-event referee ids, customer ids on touches) and
 *    normalized emails (lower-cased and trimmed; gmail dots and +tags are NOT stripped, as `a.b@gmail.com` and
 *    `ab@gmail.com` may be different mailboxes elsewhere). Connected components by label propagation
 *    (`identity.maxIterations` rounds at most, default 50; the model fails naming the cap if not converged).
 *    Several customer ids in one component (duplicate CRM records sharing an email) merge into one person;
 *    `customer_id` is then NULL, `customer_count` says how many, and the link reasons name them.
 * 2. Anonymous ids and device ids attach to the phase-1 person of the customer(s) they were seen with: an anonymous
 *    id on an identified touch (anonymous_id and customer_id on one touch: a login / identify event); a device id on
 *    an identified touch or at a customer's sign-up. One seen with two or more different people is ambiguous and
 *    links to neither (its own person, `is_ambiguous`). Nothing else links: IPs never; an anonymous id is not
 *    linked through a device, nor a device through an anonymous id.
 *
 * person_id = md5 of `<type>|<value>` of the component's smallest identifier, customer ids first: for any person
 * with a customer, md5('customer_id|' || smallest customer_id); stable across runs while that customer exists.
 */
export const stgIdentityMap = defineModel({
  name: 'stg_identity_map',
  grain: 'one row per identifier (identifier_type, identifier)',
  // Reads landing customers directly (not stg_customers) so that stg_customers can take its person_id from here.
  dependsOn: [],
  columns: {
    identifier_type: 'customer_id | email | anonymous_id | device_id',
    identifier: 'the identifier (emails lower-cased and trimmed; PII)',
    person_id: "md5 of 'customer_id|' || the person's smallest customer id (else of its own type|value)",
    customer_id: 'the customer of this person when it has exactly one, else NULL',
    customer_count: 'customer ids merged into this person (0 for anonymous people)',
    is_ambiguous: 'an anonymous or device id seen with several different people, therefore linked to none',
    link_reason:
      "why the identifier belongs to the person, e.g. 'anonymous id identified as customer C1 by touch T9 at ...'",
    linked_at: 'when the linking evidence happened (for an identifier linked to nothing: when first seen)',
  },
  async build({ wh, d, source, self, config }) {
    const { identity } = stagingOptions(config);
    const tmp = (name: string) => d.scratchTableRef(config.schemas.analytics, name);
    const touches = tmp('_idm_touches');
    const edges = tmp('_idm_edges');
    const customers = tmp('_idm_customers');
    const refs = { customers, referralEvents: source('referral_events'), touches };
    try {
      // The latest landed version of each customer: the same rule and email normalization as stg_customers.
      await wh.exec(
        d.createScratchTableAs(
          customers,
          `select customer_id, ${d.normalizeText('email')} as email_normalized, created_at, signup_device_id
        from ${source('customers')}
        ${latestPerKey(d, 'customer_id')}`,
        ),
      );
      await wh.exec(d.createScratchTableAs(touches, identityTouchesSql(d, source('touches'))));
      await wh.exec(d.createScratchTableAs(edges, customerEdgesSql(d, refs)));
      await connectedComponents(wh, {
        // Distinct pairs first: the evidence repeats pairs (a customer id per record, event and touch).
        edgesSql: `select ${nodeKeySql(d, 'a_type', 'a')} as a, ${nodeKeySql(d, 'b_type', 'b')} as b
from (select distinct a_type, a, b_type, b from ${edges}) e`,
        out: '_idm_cc',
        schema: config.schemas.analytics,
        maxIterations: identity.maxIterations,
      });
      await wh.exec(d.createTableAs(self, mapSql(d, refs, edges, tmp('_idm_cc'))));
    } finally {
      for (const t of ['_idm_customers', '_idm_touches', '_idm_edges', '_idm_cc'])
        await wh.exec(`drop table if exists ${tmp(t)}`);
    }
  },
});

function mapSql(d: SqlDialect, refs: { customers: string; touches: string }, edges: string, cc: string): string {
  const key = (t: string, v: string) => nodeKeySql(d, t, v);
  const str = (e: string) => d.cast(e, 'string');
  return `
with ev as (
  select e.*, ${key('e.a_type', 'e.a')} as node from ${edges} e
),
comp as (
  select cc.label, count(distinct ev.a) as customer_count, min(ev.a) as min_customer, max(ev.a) as max_customer
  from ${cc} cc join ev on ev.node = cc.node and ev.a_type = 'customer_id'
  group by cc.label
),
emails as (
  select a_type as identifier_type, a as email, count(distinct b) as n, min(b) as lo, max(b) as hi,
    min(seen_at) as first_at
  from ev where a_type = 'email' group by a_type, a
),
best as (
  select ev.a_type as identifier_type, ev.a as identifier, cc.label, ev.reason, ev.seen_at
  from ev join ${cc} cc on cc.node = ev.node
  ${d.qualify('row_number() over (partition by ev.a_type, ev.a order by ev.priority, ev.seen_at, ev.b) = 1', false)}
),
phase1 as (
  select b.identifier_type, b.identifier, b.label, false as is_ambiguous,
    case
      when b.identifier_type = 'email' and em.n > 1 then 'same normalized email as customers '
        || ${idList(d, 'em.n', 'em.lo', 'em.hi')} || ' (duplicate customer records, merged into one person)'
      when b.identifier_type = 'customer_id' and c.customer_count > 1 then b.reason || '; one person with customers '
        || ${idList(d, 'c.customer_count', 'c.min_customer', 'c.max_customer')} || ', linked by shared normalized emails'
      else b.reason
    end as link_reason,
    case when b.identifier_type = 'email' then em.first_at else b.seen_at end as linked_at
  from best b
  -- Equality on both columns (not a constant predicate) so the engine can hash-join: a constant in the
  -- ON clause of a left join made DuckDB fall back to a nested-loop join (185 s at 200,000 customers).
  left join emails em on em.identifier_type = b.identifier_type and em.email = b.identifier
  left join comp c on c.label = b.label
),
sight as (
  select s.*, cc.label from (${sightingsSql(d, refs)}) s
  join ${cc} cc on cc.node = ${key("'customer_id'", 's.customer_id')}
  where s.identifier is not null
),
-- Sightings repeat the same (identifier, customer) pair once per touch: the statistics below are taken over the
-- distinct pairs, and the first sighting is searched among the sightings at the identifier's first time only.
sight_pairs as (
  select identifier_type, identifier, customer_id, label, min(seen_at) as first_at
  from sight group by 1, 2, 3, 4
),
sight_stats as (
  select identifier_type, identifier, count(distinct label) as n_people, min(label) as label,
    count(distinct customer_id) as n_customers, min(customer_id) as lo, max(customer_id) as hi, min(first_at) as first_at
  from sight_pairs group by 1, 2
),
sight_first as (
  select s.* from sight s
  join sight_stats st on st.identifier_type = s.identifier_type and st.identifier = s.identifier
    and (s.seen_at = st.first_at or st.first_at is null)
  ${d.qualify('row_number() over (partition by s.identifier_type, s.identifier order by s.seen_at, s.via, s.customer_id) = 1', false)}
),
phase2 as (
  select s.identifier_type, s.identifier,
    case when st.n_people = 1 then st.label else ${key('s.identifier_type', 's.identifier')} end as label,
    coalesce(st.n_people > 1, false) as is_ambiguous,
    case
      when st.n_people is null and s.identifier_type = 'anonymous_id' then 'anonymous id never identified as a customer'
      when st.n_people is null then 'device never seen with a customer'
      when st.n_people = 1 and s.identifier_type = 'anonymous_id' then 'anonymous id identified as customer '
        || f.customer_id || ' by ' || f.via
      when st.n_people = 1 then 'device seen with customer ' || f.customer_id || ' (' || f.via || ')'
      else 'ambiguous: ' || (case when s.identifier_type = 'anonymous_id' then 'anonymous id identified as' else 'device seen with' end)
        || ' customers ' || ${idList(d, 'st.n_customers', 'st.lo', 'st.hi')} || ', who are ' || ${str('st.n_people')}
        || ' different people; linked to none'
    end as link_reason,
    case when st.n_people = 1 then f.seen_at else s.first_seen end as linked_at
  from (${seenSql(d, refs)}) s
  left join sight_stats st on st.identifier_type = s.identifier_type and st.identifier = s.identifier
  left join sight_first f on f.identifier_type = s.identifier_type and f.identifier = s.identifier
),
rows_ as (
  select * from phase1
  union all
  select * from phase2
)
select
  r.identifier_type,
  r.identifier,
  ${personIdSql(d, 'r.label')} as person_id,
  case when c.customer_count = 1 then c.min_customer end as customer_id,
  coalesce(c.customer_count, 0) as customer_count,
  r.is_ambiguous,
  r.link_reason,
  r.linked_at
from rows_ r
left join comp c on c.label = r.label
`;
}
