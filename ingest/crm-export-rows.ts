/**
 * What the CRM contact exports (HubSpot contacts export, Salesforce contacts or leads report) share once a
 * row is valid: the `raw.customers` row built from its cells. Ids, dates and the footer rules stay with each
 * vendor.
 */
import { LANDING_TABLES } from './landing-schema.js';

/** The cells both CRM exports map by a configured column label, read trimmed ('' = empty). */
export type CrmContactCell = 'email' | 'firstName' | 'lastName' | 'region' | 'referralCode' | 'referredByCode';

/** What each vendor decides itself for a valid contact row: its id, program, creation time and country cell. */
export interface CrmContactKey {
  customerId: string;
  programId: string;
  createdAt: Date;
  /** Landed only when it is a two-letter code (upper-cased); CRM country fields are free text by default. */
  country: string;
}

/**
 * The business values of one `raw.customers` row, in landing order: empty cells land as null, `full_name`
 * is the non-empty name parts joined by a space, `country` only a two-letter code.
 *
 * @example
 * // First Name 'Ada', Last Name '', Email '': full_name 'Ada', email null, country 'GB'
 * crmCustomerRow({ customerId: '51', programId: 'friends', createdAt, country: 'gb' }, get);
 */
export function crmCustomerRow(key: CrmContactKey, get: (cell: CrmContactCell) => string): unknown[] {
  const name = [get('firstName'), get('lastName')].filter((s) => s !== '').join(' ');
  const byName: Record<string, unknown> = {
    customer_id: key.customerId,
    program_id: key.programId,
    email: get('email') || null,
    full_name: name || null,
    created_at: key.createdAt,
    country: /^[A-Za-z]{2}$/.test(key.country) ? key.country.toUpperCase() : null,
    region: get('region') || null,
    referral_code: get('referralCode') || null,
    referred_by_code: get('referredByCode') || null,
  };
  return LANDING_TABLES.customers.map((col) => byName[col.name] ?? null);
}
