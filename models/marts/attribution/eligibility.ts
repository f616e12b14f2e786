import type { SqlDialect } from '../../../src/warehouse/dialect.js';
import type { RuleSet } from './config-schema.js';

export { codeOwnersSql } from '../../staging/referral-code-owners.js';

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
