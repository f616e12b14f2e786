/**
 * The edge of the HubSpot source: the documented shapes of a contacts list page and of one contact (CRM v3,
 * `CollectionResponseSimplePublicObjectWithAssociationsForwardPaging`), and the mapping of a contact to a
 * `raw.customers` row. A page that does not have the documented shape is an error (nothing to land); a
 * contact that does not is quarantined with the field and value named.
 */
import { z } from 'zod';
import { LANDING_TABLES } from '../landing-schema.js';
import { parseTimestamp } from '../parse-values.js';
import type { Problem } from '../quarantine.js';
import type { RecordOutcome } from '../cursors.js';
import { zodProblems } from './zod-problems.js';
import type { HubspotSettings } from './config.js';

/** A list page: `{ results: [...], paging: { next: { after, link } } }`; `paging` is absent on the last page. */
export const contactsPageSchema = z.object({
  results: z.array(z.unknown()),
  paging: z.object({ next: z.object({ after: z.string().min(1), link: z.string().optional() }).optional() }).optional(),
});

/** One contact as the list endpoint returns it; extra fields (associations, archivedAt) are ignored. */
export const contactSchema = z.object({
  id: z.string().regex(/^\d+$/, { error: 'expected a numeric id' }),
  properties: z.record(z.string(), z.string().nullable()),
  createdAt: z.string(),
  updatedAt: z.string(),
  archived: z.boolean().optional(),
});

/** The `properties=` list to request: every property the mapping reads. */
export function requestedProperties(settings: HubspotSettings): string[] {
  const p = settings.properties;
  const names = [p.email, p.firstName, p.lastName, p.createdAt, p.country, p.region, p.referralCode, p.referredByCode];
  return [...new Set(names.filter((n): n is string => n !== undefined))];
}

/** Milliseconds of a record's `updatedAt`, or null when it has none that parses (it is then validated and quarantined). */
export function updatedAtMs(record: unknown): number | null {
  const value = (record as { updatedAt?: unknown } | null)?.updatedAt;
  if (typeof value !== 'string') return null;
  const r = parseTimestamp(value);
  return r.ok ? r.value.getTime() : null;
}

const blankToNull = (v: string | null | undefined): string | null => {
  const t = v?.trim();
  return t ? t : null;
};

/**
 * Maps one contact to `raw.customers` values (business columns in `LANDING_TABLES.customers` order), or
 * the problems that quarantine it. `where` names the page and record, e.g. `hubspot contacts page 2 record 7`.
 */
export function contactToCustomer(
  record: unknown,
  where: string,
  settings: HubspotSettings & { programId: string },
): RecordOutcome {
  const parsed = contactSchema.safeParse(record);
  const id = (record as { id?: unknown } | null)?.id;
  const at = typeof id === 'string' || typeof id === 'number' ? `${where} (id ${id})` : where;
  if (!parsed.success) return { ok: false, problems: zodProblems(parsed.error, record), where: at, record };
  const c = parsed.data;
  const p = settings.properties;
  const prop = (name: string | undefined) => (name === undefined ? null : blankToNull(c.properties[name]));
  const problems: Problem[] = [];

  const updated = parseTimestamp(c.updatedAt);
  if (!updated.ok)
    problems.push({
      reason: updated.reason,
      text: `field updatedAt: ${JSON.stringify(c.updatedAt)} ${updated.problem}`,
    });
  const createdText = prop(p.createdAt);
  const created = parseTimestamp(createdText ?? c.createdAt);
  if (!created.ok) {
    const field = createdText !== null ? `property ${p.createdAt}` : 'field createdAt';
    problems.push({
      reason: created.reason,
      text: `${field}: ${JSON.stringify(createdText ?? c.createdAt)} ${created.problem}`,
    });
  }
  if (problems.length > 0 || !created.ok) return { ok: false, problems, where: at, record };

  const country = prop(p.country);
  const name = [prop(p.firstName), prop(p.lastName)].filter((s) => s !== null).join(' ');
  const byName: Record<string, unknown> = {
    customer_id: c.id,
    program_id: settings.programId,
    email: prop(p.email),
    full_name: name === '' ? null : name,
    created_at: created.value,
    country: country !== null && /^[A-Za-z]{2}$/.test(country) ? country.toUpperCase() : null,
    region: prop(p.region),
    referral_code: prop(p.referralCode),
    referred_by_code: prop(p.referredByCode),
  };
  return { ok: true, values: LANDING_TABLES.customers.map((col) => byName[col.name] ?? null) };
}
