/**
 * `syncTo`: one sync run against one target. Dry run by default (nothing is sent, nothing recorded, no credential
 * needed); with `apply`, credentials come from the environment (HUBSPOT_ACCESS_TOKEN; SALESFORCE_INSTANCE_URL and
 * SALESFORCE_ACCESS_TOKEN; STRIPE_API_KEY) and go only into the HTTP client's Authorization header, which the
 * client redacts from every error and log line.
 */
import type { RefstackConfig } from '../../src/config.js';
import { createHttpClient, MissingCredentialError, type HttpClientOptions } from '../../src/http/index.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { activationConfig } from '../../models/marts/activation/config-schema.js';
import { readCrmPeople } from './crm-records.js';
import { hubspotRecords, hubspotTarget } from './hubspot.js';
import { runSync, type SyncRecord, type SyncSummary, type SyncTarget } from './run-sync.js';
import { salesforceRecords, salesforceTarget } from './salesforce.js';
import { stripeCredits, stripeTarget } from './stripe.js';

export const SYNC_TARGETS = ['hubspot', 'salesforce', 'stripe'] as const;
export type SyncTargetName = (typeof SYNC_TARGETS)[number];

export interface SyncOptions {
  apply: boolean;
  env?: NodeJS.ProcessEnv;
  /** Overrides for the HTTP client (tests: a loopback baseUrl, an instant sleep). */
  client?: Partial<HttpClientOptions>;
  now?: () => Date;
}

function need(env: NodeJS.ProcessEnv, name: string, howTo: string): string {
  const value = env[name]?.trim();
  if (!value) throw new MissingCredentialError(name, howTo);
  return value;
}

export async function syncTo(
  wh: Warehouse,
  config: RefstackConfig,
  name: SyncTargetName,
  options: SyncOptions,
): Promise<SyncSummary & { skipped: number }> {
  const cfg = activationConfig(config).sync;
  const env = options.env ?? process.env;
  const client = (baseUrl: string, token: string, extra: Partial<HttpClientOptions> = {}) =>
    createHttpClient({ baseUrl, headers: { authorization: `Bearer ${token}` }, ...extra, ...options.client });
  // Dry runs build no client: a target that is never called needs no credential.
  const lazy = <P>(make: () => SyncTarget<P>, fallback: { name: string; batchSize: number }): SyncTarget<P> =>
    options.apply ? make() : { ...fallback, sendBatch: () => Promise.reject(new Error('dry run')) };
  let records: SyncRecord<unknown>[];
  let target: SyncTarget<unknown>;
  let skipped = 0;
  if (name === 'stripe') {
    const credits = await stripeCredits(wh, config, cfg.stripe.customerIdPattern, cfg.stripe.basis);
    records = credits.records;
    skipped = credits.skipped;
    target = lazy(
      () =>
        stripeTarget(
          client(cfg.stripe.baseUrl, need(env, 'STRIPE_API_KEY', 'set a Stripe secret key with write access'), {
            intervalCap: 25,
            interval: 1000,
          }),
        ),
      { name: 'stripe_balance', batchSize: 1 },
    ) as SyncTarget<unknown>;
  } else {
    const people = await readCrmPeople(wh, config);
    if (name === 'hubspot') {
      records = hubspotRecords(people);
      skipped = people.length - records.length;
      target = lazy(
        () =>
          hubspotTarget(
            client(
              cfg.hubspot.baseUrl,
              need(env, 'HUBSPOT_ACCESS_TOKEN', 'set a HubSpot private app token with crm.objects.contacts.write'),
              { intervalCap: 9, interval: 1000 },
            ),
            cfg.hubspot.batchSize,
          ),
        { name: 'hubspot_contacts', batchSize: cfg.hubspot.batchSize },
      ) as SyncTarget<unknown>;
    } else {
      records = salesforceRecords(people);
      target = lazy(
        () =>
          salesforceTarget(
            client(
              need(env, 'SALESFORCE_INSTANCE_URL', 'set the org URL, e.g. https://acme.my.salesforce.com'),
              need(env, 'SALESFORCE_ACCESS_TOKEN', 'set an OAuth access token of the integration user'),
            ),
            cfg.salesforce,
          ),
        { name: 'salesforce_contacts', batchSize: cfg.salesforce.batchSize },
      ) as SyncTarget<unknown>;
    }
  }
  const summary = await runSync(wh, config.schemas.analytics, target, records, {
    apply: options.apply,
    ...(options.now ? { now: options.now } : {}),
  });
  return { ...summary, skipped };
}
