/**
 * Settings of the HubSpot contacts export source (`sources.hubspotExport` once the lead plugs
 * `hubspotExportSourceSchema` into `ingest/sources-config.ts`). The export heads columns with property
 * LABELS ("Create Date", "Referral Code"), which portals rename, so every mapped column is configurable.
 */
import { z } from 'zod';
import type { RefstackConfig } from '../../src/config.js';
import { CRM_CONTACT_COLUMN_DEFAULTS, crmContactColumns } from '../crm-export-columns.js';
import { exportSettings, timeZoneSetting, type ResolvedSettings } from '../export-settings.js';

const label = () => z.string().min(1, { error: 'expected a column label of the export' });

const COLUMN_DEFAULTS = {
  ...CRM_CONTACT_COLUMN_DEFAULTS,
  recordId: 'Record ID',
  createDate: 'Create Date',
  country: 'Country/Region',
};

export const hubspotExportSourceSchema = z
  .object({
    /** Program every contact lands in; defaults to the first program of the config. */
    programId: z.string().min(1).optional(),
    /**
     * IANA time zone of the portal (Settings -> Account defaults): the export writes dates without a zone,
     * as wall-clock time there.
     */
    timeZone: timeZoneSetting('Europe/Paris'),
    /** Column labels of the export mapped onto `raw.customers`. */
    columns: z
      .object({
        ...crmContactColumns(label),
        recordId: label().default(COLUMN_DEFAULTS.recordId),
        createDate: label().default(COLUMN_DEFAULTS.createDate),
        /** Landed only when it holds a two-letter code (HubSpot's default Country/Region is free text). */
        country: label().default(COLUMN_DEFAULTS.country),
      })
      .strict()
      .default(COLUMN_DEFAULTS),
  })
  .strict();

export type HubspotExportSettings = ResolvedSettings<typeof hubspotExportSourceSchema>;

/** The settings of a config (`sources.hubspotExport`, all defaults when absent), with the program resolved. */
export function hubspotExportSettings(
  config: RefstackConfig,
  override?: z.input<typeof hubspotExportSourceSchema>,
): HubspotExportSettings {
  return exportSettings(config, 'hubspotExport', hubspotExportSourceSchema, override);
}
