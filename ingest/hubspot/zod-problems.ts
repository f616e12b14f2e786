/**
 * Turns the issues zod finds in an API record into quarantine problems: one per issue, naming the field
 * path and the value, with a reason code from the shared list. Shared by the API sources (HubSpot, Stripe).
 */
import type { z } from 'zod';
import type { Problem, ReasonCode } from '../quarantine.js';

/** Picks a reason for an issue on a present value; return undefined to fall back to the default rules. */
export type ReasonFor = (field: string, issue: z.core.$ZodIssue, value: unknown) => ReasonCode | undefined;

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

function describe(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) return String(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

/**
 * One problem per zod issue. A missing or null required field is `missing_value`; an enum mismatch is
 * `invalid_enum`; `reasonFor` may classify the rest (amounts, timestamps); anything else is `malformed_row`
 * (the record does not have the documented shape).
 *
 * @example zodProblems(schema.safeParse(rec).error!, rec) // [{ reason: 'missing_value', text: 'field id: missing' }]
 */
export function zodProblems(error: z.ZodError, record: unknown, reasonFor?: ReasonFor): Problem[] {
  return error.issues.map((issue) => {
    const field = issue.path.map(String).join('.') || '(record)';
    const value = valueAt(record, issue.path);
    if (value === undefined || value === null) {
      return { reason: 'missing_value', text: `field ${field}: ${value === null ? 'null' : 'missing'}` };
    }
    const reason: ReasonCode =
      reasonFor?.(field, issue, value) ?? (issue.code === 'invalid_value' ? 'invalid_enum' : 'malformed_row');
    return { reason, text: `field ${field}: ${describe(value)} ${issue.message}` };
  });
}
