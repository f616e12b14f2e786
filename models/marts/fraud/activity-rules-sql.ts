/**
 * The fraud rules about what happened rather than who: velocity (referrals per advocate per day), signup_burst
 * (sign-ups per IP range per window) and purchase_verification (the referee's qualifying order). Same output
 * columns as identity-rules-sql.ts, over the same `refs` CTE.
 */
import type { SqlDialect } from '../../../src/warehouse/dialect.js';
import type { FraudRules } from './config-schema.js';
import { ipRangeSql, jsonObjectSql } from './evidence-sql.js';

const head = (rule: string, weight: number) =>
  `r.referral_id, r.program_id, r.advocate_id, r.referee_id, '${rule}' as rule, ${weight} as weight`;

/** SQL: cells for velocity: one row per program, advocate and UTC day with a referral sign-up. */
export function velocityCellsSql(d: SqlDialect, referrals: string): string {
  return `
select program_id, advocate_id as entity, ${d.cast(d.toDate('signed_up_at'), 'string')} as bucket, count(*) as n
from ${referrals}
where advocate_id is not null
group by 1, 2, 3`;
}

/** SQL: cells for signup_burst: one row per program, IP range and window with a customer sign-up. */
export function burstCellsSql(d: SqlDialect, customers: string, rules: FraudRules): string {
  const seconds = rules.signupBurst.windowHours * 3600;
  return `
select program_id, entity, bucket, count(*) as n
from (
  select program_id, ${ipRangeSql(d, 'signup_ip')} as entity,
    ${d.cast(d.floorDiv(d.epochSeconds('created_at'), String(seconds)), 'string')} as bucket
  from ${customers}
) s
where entity is not null
group by 1, 2, 3`;
}

/** The baseline columns of the evidence, from the threshold row `b`. */
const baselineFields = {
  baseline: { str: "case when b.baseline = 'entity' then 'own' else 'program' end" },
  baseline_buckets: { num: 'b.buckets' },
  median: { num: 'b.median' },
  mad: { num: 'b.mad' },
  threshold: { num: 'b.threshold' },
} as const;

/**
 * The threshold row of a cell `c`: the entity's own baseline when it has one, else the program's. Joins two
 * copies of the thresholds table and keeps columns from whichever matched.
 */
const thresholdJoin = (thresholds: string, entity: string) => `
left join ${thresholds} own on own.program_id = c.program_id and own.entity = ${entity}
join ${thresholds} prog on prog.program_id = c.program_id and prog.entity is null`;
const pick = (col: string) => `coalesce(own.${col}, prog.${col}) as ${col}`;
const pickAll = `${pick('baseline')}, ${pick('buckets')}, ${pick('median')}, ${pick('mad')}, ${pick('threshold')}`;

/** Referrals made on an advocate-day whose count is above the threshold. */
export function velocitySql(d: SqlDialect, rules: FraudRules, cells: string, thresholds: string): string {
  return `
select ${head('velocity', rules.velocity.weight)},
  least(1.0, b.n / (2.0 * b.threshold)) as score,
  ${jsonObjectSql(d, { day: { str: 'b.bucket' }, referrals: { num: 'b.n' }, ...baselineFields })} as evidence,
  r.signed_up_at as flagged_at
from refs r
join (
  select c.program_id, c.entity, c.bucket, c.n, ${pickAll}
  from ${cells} c ${thresholdJoin(thresholds, 'c.entity')}
) b on b.program_id = r.program_id and b.entity = r.advocate_id
  and b.bucket = ${d.cast(d.toDate('r.signed_up_at'), 'string')}
where b.n > b.threshold`;
}

/** Referrals whose referee signed up from an IP range in a window with more sign-ups than its threshold. */
export function signupBurstSql(d: SqlDialect, rules: FraudRules, cells: string, thresholds: string): string {
  const seconds = rules.signupBurst.windowHours * 3600;
  const bucket = d.cast(d.floorDiv(d.epochSeconds('r.ref_created_at'), String(seconds)), 'string');
  return `
select ${head('signup_burst', rules.signupBurst.weight)},
  least(1.0, b.n / (2.0 * b.threshold)) as score,
  ${jsonObjectSql(d, {
    ip_range: { str: 'b.entity' },
    window_start_epoch: { num: `${d.cast('b.bucket', 'int64')} * ${seconds}` },
    window_hours: { num: String(rules.signupBurst.windowHours) },
    signups: { num: 'b.n' },
    ...baselineFields,
  })} as evidence,
  r.signed_up_at as flagged_at
from refs r
join (
  select c.program_id, c.entity, c.bucket, c.n, ${pickAll}
  from ${cells} c ${thresholdJoin(thresholds, 'c.entity')}
) b on b.program_id = r.program_id and b.entity = ${ipRangeSql(d, 'r.ref_ip')} and b.bucket = ${bucket}
where b.n > b.threshold`;
}

/** The referee's first order after sign-up was charged back, refunded, left unpaid or is below the minimum. */
export function purchaseVerificationSql(d: SqlDialect, rules: FraudRules, orders: string): string {
  const p = rules.purchaseVerification;
  // Share of what the customer was charged (gross - discount; stg_orders treats gross as tax-inclusive), capped
  // at 1 because some sources refund tax on top; nothing charged counts as fully refunded.
  const charged = 'greatest(o.gross_minor - o.discount_minor, 0)';
  const refundedShare = `least(1.0, coalesce(${d.safeDivide(d.cast('o.refunded_minor', 'float64'), charged)}, 1.0))`;
  const checks = {
    chargeback: 'o.is_chargeback',
    refunded: 'o.refunded_minor > 0',
    unpaid: "o.status in ('unpaid', 'canceled')",
    below_minimum: p.minOrderMinor > 0 ? `o.net_reporting_minor < ${p.minOrderMinor}` : 'false',
  };
  const score = `greatest(
    case when ${checks.chargeback} then ${p.scores.chargeback} else 0 end,
    case when ${checks.refunded} then ${p.scores.refunded} * ${refundedShare} else 0 end,
    case when ${checks.unpaid} then ${p.scores.unpaid} else 0 end,
    case when ${checks.below_minimum} then ${p.scores.belowMinimum} else 0 end)`;
  const reasons = d.concatWs(
    "','",
    Object.entries(checks).map(([name, cond]) => `case when ${cond} then '${name}' end`),
  );
  return `
select * from (
  select ${head('purchase_verification', p.weight)},
    ${d.cast(score, 'float64')} as score,
    ${jsonObjectSql(d, {
      order_id: { str: 'o.order_id' },
      reasons: { str: reasons },
      status: { str: 'o.status' },
      currency: { str: 'o.currency' },
      gross_minor: { num: 'o.gross_minor' },
      discount_minor: { num: 'o.discount_minor' },
      refunded_minor: { num: 'o.refunded_minor' },
      refunded_share: { num: `round(${refundedShare}, 6)` },
      net_reporting_minor: { num: 'o.net_reporting_minor' },
      min_order_minor: { num: String(p.minOrderMinor) },
    })} as evidence,
    case
      when ${checks.chargeback} then coalesce(o.chargeback_at, o.ordered_at)
      when ${checks.refunded} then coalesce(o.refunded_at, o.ordered_at)
      else o.ordered_at
    end as flagged_at
  from refs r
  join ${orders} o on o.order_id = r.first_order_id
) x
where score > 0`;
}
