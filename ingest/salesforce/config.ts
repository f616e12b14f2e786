/**
 * Settings of the Salesforce report export source (`sources.salesforce`). A report export heads its columns
 * with field LABELS ("Contact ID", "Mailing Country"), which admins rename and custom fields add to, so every
 * mapped column is configurable. Dates are written in the exporting user's locale and time zone.
 */
import { z } from 'zod';
import type { RefstackConfig } from '../../src/config.js';
import { CRM_CONTACT_COLUMN_DEFAULTS, crmContactColumns } from '../crm-export-columns.js';
import { exportSettings, timeZoneSetting, type ResolvedSettings } from '../export-settings.js';

const label = () => z.string().min(1, { error: 'expected a column label of the report export' });

const COLUMN_DEFAULTS = {
  ...CRM_CONTACT_COLUMN_DEFAULTS,
  contactId: 'Contact ID',
  leadId: 'Lead ID',
  createdDate: 'Created Date',
  mailingCountry: 'Mailing Country',
  country: 'Country',
};

export const salesforceSourceSchema = z
  .object({
    /** Program every record lands in; defaults to the first program of the config. */
    programId: z.string().min(1).optional(),
    /** IANA time zone of the user who exported the report: dates are wall-clock times there. */
    timeZone: timeZoneSetting('America/Los_Angeles'),
    /** Day/month order of the exporting user's locale: MDY for en_US, DMY for en_GB and most of Europe. */
    dateOrder: z.enum(['MDY', 'DMY']).default('MDY'),
    /** Column labels of the export mapped onto `raw.customers`. */
    columns: z
      .object({
        /** Contacts reports: the 18- or 15-character Contact ID (prefix 003). */
        contactId: label().default(COLUMN_DEFAULTS.contactId),
        /** Leads reports: the Lead ID (prefix 00Q). A file needs one of the two id columns. */
        leadId: label().default(COLUMN_DEFAULTS.leadId),
        ...crmContactColumns(label),
        createdDate: label().default(COLUMN_DEFAULTS.createdDate),
        /** Contacts: landed only when it holds a two-letter code (the default picklist is free text). */
        mailingCountry: label().default(COLUMN_DEFAULTS.mailingCountry),
        /** Leads: same rule as mailingCountry. */
        country: label().default(COLUMN_DEFAULTS.country),
      })
      .strict()
      .default(COLUMN_DEFAULTS),
  })
  .strict();

export type SalesforceSettings = ResolvedSettings<typeof salesforceSourceSchema>;

/** The settings of a config (`sources.salesforce`, all defaults when absent), with the program resolved. */
export function salesforceSettings(
  config: RefstackConfig,
  override?: z.input<typeof salesforceSourceSchema>,
): SalesforceSettings {
  return exportSettings(config, 'salesforce', salesforceSourceSchema, override);
}
