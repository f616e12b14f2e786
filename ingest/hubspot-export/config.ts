/**
 * Settings of the HubSpot contacts export source (`sources.hubspotExport` once the lead plugs
 * `hubspotExportSourceSchema` into `ingest/sources-config.ts`). The export heads columns with property
 * LABELS ("Create Date", "Referral Code"), which portals rename, so every mapped column is configurable.
 */
import { z } from 'zod';
import type { RefstackConfig } from '../../src/config.js';
import { resolveProgram } from '../file-source.js';
import { isTimeZone } from './wall-clock.js';

const label = () => z.string().min(1, { error: 'expected a column label of the export' });

const COLUMN_DEFAULTS = {
  recordId: 'Record ID',
  email: 'Email',
  firstName: 'First Name',
  lastName: 'Last Name',
  createDate: 'Create Date',
  country: 'Country/Region',
  referralCode: 'Referral Code',
  referredByCode: 'Referred By Code',
};

export const hubspotExportSourceSchema = z
  .object({
    /** Program every contact lands in; defaults to the first program of the config. */
    programId: z.string().min(1).optional(),
    /**
     * IANA time zone of the portal (Settings -> Account defaults): the export writes dates without a zone,
     * as wall-clock time there.
     */
    timeZone: z
      .string()
      .refine(isTimeZone, { error: 'expected an IANA time zone name like "Europe/Paris"' })
      .default('UTC'),
    /** Column labels of the export mapped onto `raw.customers`. */
    columns: z
      .object({
        recordId: label().default(COLUMN_DEFAULTS.recordId),
        email: label().default(COLUMN_DEFAULTS.email),
        firstName: label().default(COLUMN_DEFAULTS.firstName),
        lastName: label().default(COLUMN_DEFAULTS.lastName),
        createDate: label().default(COLUMN_DEFAULTS.createDate),
        /** Landed only when it holds a two-letter code (HubSpot's default Country/Region is free text). */
        country: label().default(COLUMN_DEFAULTS.country),
        region: label().optional(),
        /** The contact's own advocate code (a custom property). */
        referralCode: label().default(COLUMN_DEFAULTS.referralCode),
        /** The code the contact signed up with (a custom property). */
        referredByCode: label().default(COLUMN_DEFAULTS.referredByCode),
      })
      .strict()
      .default(COLUMN_DEFAULTS),
  })
  .strict();

export type HubspotExportSettings = z.output<typeof hubspotExportSourceSchema> & { programId: string };

/** The settings of a config (`sources.hubspotExport`, all defaults when absent), with the program resolved. */
export function hubspotExportSettings(
  config: RefstackConfig,
  override?: z.input<typeof hubspotExportSourceSchema>,
): HubspotExportSettings {
  const raw = override ?? (config as { sources?: { hubspotExport?: unknown } }).sources?.hubspotExport ?? {};
  const settings = hubspotExportSourceSchema.parse(raw);
  return { ...settings, programId: resolveProgram(config, 'sources.hubspotExport', settings.programId) };
}
