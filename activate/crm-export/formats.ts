/**
 * The advocate export's file layouts. hubspot and salesforce use the column headers each vendor's import tool
 * maps automatically to standard contact fields, plus custom fields the CRM admin creates once:
 *
 * - HubSpot contact import (knowledge.hubspot.com "Set up your import files": contacts need First name, Last name
 *   and Email; headers match property labels case-insensitively): Email, First Name, Last Name, Country/Region.
 *   Custom contact properties (label -> internal name, type): Advocate Score -> advocate_score (number),
 *   Advocate Tier -> advocate_tier (single-line text or dropdown), Ready to Invite -> ready_to_invite (single
 *   checkbox, true/false), Referral Code -> referral_code, Referral Link -> referral_link, Referral Program ->
 *   referral_program, Refstack Customer ID -> refstack_customer_id (single-line text).
 * - Salesforce Data Import Wizard, Contacts (help.salesforce.com "Field Mapping for Other Data Sources and
 *   Organization Import": labels First Name, Last Name, Email, Mailing Country). Custom Contact fields by label
 *   (API name): Advocate Score (Advocate_Score__c, Number(5, 2)), Advocate Tier (Advocate_Tier__c, Text),
 *   Ready to Invite (Ready_to_Invite__c, Checkbox: TRUE/FALSE), Referral Code (Referral_Code__c), Referral Link
 *   (Referral_Link__c, URL), Referral Program (Referral_Program__c), Refstack Customer ID (Refstack_Customer_ID__c,
 *   Text, External ID). Last Name is required, so a contact without a name gets "[not provided]".
 * - csv and json: refstack's own column names, every score component included.
 */
import { splitName } from './names.js';

/** One advocate as read from advocate_scores and its joins. */
export interface AdvocateExportRow {
  customer_id: string;
  email: string | null;
  full_name: string | null;
  country: string | null;
  program_id: string;
  score: number;
  tier: string;
  ready_to_invite: boolean;
  nps_points: number;
  repeat_points: number;
  support_points: number;
  engagement_points: number;
  tenure_points: number;
  referral_points: number;
  referral_code: string | null;
  referral_link: string | null;
  scored_at: string;
}

export const EXPORT_FORMATS = ['hubspot', 'salesforce', 'csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

type Cell = string | number | boolean | null;

export interface CsvLayout {
  header: readonly string[];
  cells(row: AdvocateExportRow): Cell[];
}

/** Score as text with at most 2 decimals, no float noise. */
const score = (x: number) => String(Math.round(x * 100) / 100);

export const HUBSPOT_LAYOUT: CsvLayout = {
  header: [
    'Email',
    'First Name',
    'Last Name',
    'Country/Region',
    'Advocate Score',
    'Advocate Tier',
    'Ready to Invite',
    'Referral Code',
    'Referral Link',
    'Referral Program',
    'Refstack Customer ID',
  ],
  cells: (r) => {
    const n = splitName(r.full_name);
    return [
      r.email,
      n.first,
      n.last,
      r.country,
      score(r.score),
      r.tier,
      r.ready_to_invite ? 'true' : 'false',
      r.referral_code,
      r.referral_link,
      r.program_id,
      r.customer_id,
    ];
  },
};

export const SALESFORCE_LAYOUT: CsvLayout = {
  header: [
    'First Name',
    'Last Name',
    'Email',
    'Mailing Country',
    'Advocate Score',
    'Advocate Tier',
    'Ready to Invite',
    'Referral Code',
    'Referral Link',
    'Referral Program',
    'Refstack Customer ID',
  ],
  cells: (r) => {
    const n = splitName(r.full_name);
    return [
      n.first,
      n.last ?? '[not provided]',
      r.email,
      r.country,
      score(r.score),
      r.tier,
      r.ready_to_invite ? 'TRUE' : 'FALSE',
      r.referral_code,
      r.referral_link,
      r.program_id,
      r.customer_id,
    ];
  },
};

const GENERIC_COLUMNS = [
  'customer_id',
  'email',
  'full_name',
  'first_name',
  'last_name',
  'country',
  'program_id',
  'score',
  'tier',
  'ready_to_invite',
  'nps_points',
  'repeat_points',
  'support_points',
  'engagement_points',
  'tenure_points',
  'referral_points',
  'referral_code',
  'referral_link',
  'scored_at',
] as const;

/** refstack's own record, as JSON values (numbers stay numbers). */
export function genericRecord(r: AdvocateExportRow): Record<(typeof GENERIC_COLUMNS)[number], Cell> {
  const n = splitName(r.full_name);
  return {
    customer_id: r.customer_id,
    email: r.email,
    full_name: r.full_name,
    first_name: n.first,
    last_name: n.last,
    country: r.country,
    program_id: r.program_id,
    score: r.score,
    tier: r.tier,
    ready_to_invite: r.ready_to_invite,
    nps_points: r.nps_points,
    repeat_points: r.repeat_points,
    support_points: r.support_points,
    engagement_points: r.engagement_points,
    tenure_points: r.tenure_points,
    referral_points: r.referral_points,
    referral_code: r.referral_code,
    referral_link: r.referral_link,
    scored_at: r.scored_at,
  };
}

export const GENERIC_LAYOUT: CsvLayout = {
  header: GENERIC_COLUMNS,
  cells: (r) => {
    const g = genericRecord(r);
    return GENERIC_COLUMNS.map((c) => g[c]);
  },
};

export const CSV_LAYOUTS: Record<Exclude<ExportFormat, 'json'>, CsvLayout> = {
  hubspot: HUBSPOT_LAYOUT,
  salesforce: SALESFORCE_LAYOUT,
  csv: GENERIC_LAYOUT,
};
