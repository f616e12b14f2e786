import type { SqlDialect } from '../../../src/warehouse/dialect.js';
import type { RuleSet } from './config-schema.js';

/**
 * SQL predicate: touch `t` is inside its type's lookback window ending at `end` (`t.occurred_at >= end - days`).
 * Whether the touch must be strictly before `end` is the caller's choice. A type with 0 days, and any type not
 * in the rule set, is never eligible.
 */
export function lookbackSql(d: SqlDialect, ruleSet: RuleSet, touch: string, end: string): string {
  const parts = (Object.entries(ruleSet.lookbackDays) as [string, number][])
    .filter(([, n]) => n > 0)
    .map(
      ([type, n]) =>
        `(${touch}.touch_type = ${d.stringLiteral(type)} and ${touch}.occurred_at >= ${d.dateAdd('day', String(-n), end)})`,
    );
  return parts.length > 0 ? `(${parts.join(' or ')})` : 'false';
}

/** SQL: the owner of each referral code (lowest customer id holding it), as `code`, `owner_id`. */
export function codeOwnersSql(customers: string): string {
  return `select referral_code as code, min(customer_id) as owner_id from ${customers}
  where referral_code is not null group by 1`;
}
