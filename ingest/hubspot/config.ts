/**
 * Settings of the HubSpot contacts source, validated with zod. The lead plugs `hubspotSourceSchema` into the
 * main config as `sources.hubspot`; until then (and in tests) `hubspotSettings` reads that key if present.
 * The access token is never part of the config: it comes from `HUBSPOT_ACCESS_TOKEN`.
 */
import { z } from 'zod';
import type { RefstackConfig } from '../../src/config.js';

const propertyName = () =>
  z
    .string({ error: 'expected a HubSpot property name' })
    .regex(/^[a-z0-9_]{1,100}$/, { error: 'expected a HubSpot property internal name (a-z, 0-9, _)' });

const PROPERTY_DEFAULTS = {
  email: 'email',
  firstName: 'firstname',
  lastName: 'lastname',
  createdAt: 'createdate',
  country: 'country',
  referralCode: 'referral_code',
  referredByCode: 'referred_by_code',
};

export const hubspotSourceSchema = z
  .object({
    /** API origin; tests point it at a loopback server. */
    baseUrl: z.url().default('https://api.hubapi.com'),
    /** Program every contact lands in; defaults to the first program of the config. */
    programId: z.string().min(1).optional(),
    /** Internal names of the contact properties mapped to `raw.customers` columns. */
    properties: z
      .object({
        email: propertyName().default(PROPERTY_DEFAULTS.email),
        firstName: propertyName().default(PROPERTY_DEFAULTS.firstName),
        lastName: propertyName().default(PROPERTY_DEFAULTS.lastName),
        /** HubSpot's own creation time property; the record's `createdAt` is used when it is empty. */
        createdAt: propertyName().default(PROPERTY_DEFAULTS.createdAt),
        /** Landed only when it holds a two-letter code (HubSpot's default `country` is free text). */
        country: propertyName().default(PROPERTY_DEFAULTS.country),
        region: propertyName().optional(),
        /** Custom property holding the contact's own advocate code. */
        referralCode: propertyName().default(PROPERTY_DEFAULTS.referralCode),
        /** Custom property holding the code the contact signed up with. */
        referredByCode: propertyName().default(PROPERTY_DEFAULTS.referredByCode),
      })
      .strict()
      .default(PROPERTY_DEFAULTS),
    /** Records per page (HubSpot's maximum for the list endpoint is 100). */
    pageSize: z.number().int().min(1).max(100).default(100),
    /**
     * Requests per second. HubSpot private apps get 100 to 190 requests per 10 s depending on the plan; the
     * default leaves room for other integrations on the same portal.
     */
    requestsPerSecond: z.number().int().positive().default(5),
    /**
     * How far the next run looks back behind this run's start, to cover clock skew between this machine and
     * HubSpot. Contacts updated in that margin are landed again (a superseding copy) on the next run.
     */
    clockSkewMs: z.number().int().min(0).default(300_000),
  })
  .strict();

export type HubspotSettings = z.output<typeof hubspotSourceSchema>;

/** The HubSpot settings of a config (`sources.hubspot`, all defaults when absent), with the program resolved. */
export function hubspotSettings(
  config: RefstackConfig,
  override?: z.input<typeof hubspotSourceSchema>,
): HubspotSettings & { programId: string } {
  const raw = override ?? (config as { sources?: { hubspot?: unknown } }).sources?.hubspot ?? {};
  const settings = hubspotSourceSchema.parse(raw);
  const programId = settings.programId ?? config.programs[0]!.id;
  if (!config.programs.some((p) => p.id === programId))
    throw new Error(
      `sources.hubspot.programId: "${programId}" is not a program in the config (known: ${config.programs.map((p) => p.id).join(', ')})`,
    );
  return { ...settings, programId };
}
