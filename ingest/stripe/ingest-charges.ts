/**
 * Incremental ingest of Stripe charges (`GET /v1/charges`) into `raw.orders`.
 *
 * Approach. The stored watermark is a `created` time (unix seconds): a run lists the charges created after
 * it (`created[gt]`), newest first, paging with `starting_after`. Because the newest charges come first,
 * the watermark can only move once the whole list has been read; until then each page commits with a cursor
 * holding the old watermark and the id to continue after, so a run that dies on page k resumes at page k.
 * When the list ends, the watermark becomes the newest `created` seen, but never later than the run's start
 * minus `clockSkewSeconds`, so charges created during the run (or in the same second as the newest one seen)
 * are listed again next time.
 *
 * Limits. A charge is landed once, as it was when first listed: a refund or dispute that happens after its
 * creation run is not seen by later runs (`created[gt]` does not look back). Run with `full: true` now and
 * then to re-list every charge (changed ones land as superseding rows; pages identical to a landed batch are
 * skipped), or add Stripe's events API as a later source. Charges without a customer are quarantined.
 */
import { z } from 'zod';
import type { RefstackConfig } from '../../src/config.js';
import { createHttpClient, MissingCredentialError, type HttpClientOptions } from '../../src/http/index.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { batchHasher } from '../batch.js';
import { ensureCursorTable, getCursor, parseStoredCursor, runPagedIngest, type ApiLoadReport } from '../cursors.js';
import { ensureLandingSchema } from '../landing-schema.js';
import { chargesPageSchema, chargeToOrder } from './charge-record.js';
import { stripeSettings, type stripeSourceSchema } from './config.js';

export const STRIPE_CHARGES_SOURCE = 'stripe-api:charges';
export const STRIPE_KEY_ENV = 'STRIPE_API_KEY';
const CHARGES_PATH = '/v1/charges';

/** The stored cursor (JSON in `raw.source_cursors.cursor`). */
const cursorSchema = z
  .object({
    v: z.literal(1),
    /** Every charge created at or before this unix second has been listed; null before the first full run. */
    watermark: z.number().int().nullable(),
    /** An unfinished listing: the id to continue after, the run's start (unix s), the newest `created` seen. */
    scan: z
      .object({ startingAfter: z.string(), startedAt: z.number().int(), maxSeen: z.number().int().nullable() })
      .strict()
      .nullable(),
  })
  .strict();
type StripeCursor = z.infer<typeof cursorSchema>;

export interface IngestStripeOptions {
  config: RefstackConfig;
  /** Overrides `sources.stripe.baseUrl`. */
  baseUrl?: string;
  /** Overrides the `STRIPE_API_KEY` environment variable. */
  apiKey?: string;
  /** Overrides `sources.stripe` of the config (tests). */
  settings?: z.input<typeof stripeSourceSchema>;
  /** Re-list every charge, ignoring the watermark (an unfinished listing is still resumed). */
  full?: boolean;
  /** `_loaded_at` of the run's rows and the run's start; defaults to the current time. */
  now?: Date;
  /** HTTP client options for tests (sleep, random, log, timeoutMs, maxAttempts). */
  http?: Partial<HttpClientOptions>;
  /** Called after each committed page with the running report (for a progress line). */
  onPage?: (report: ApiLoadReport) => void;
}

/**
 * Lands Stripe charges created since the last run into `raw.orders`; see the file comment for the approach
 * and its limits. Throws (after committing every whole page before it) on an HTTP failure that outlasts the
 * retries, or a page that does not have the documented shape; rerun to resume.
 *
 * @example const report = await ingestStripeCharges(wh, { config }); // key from STRIPE_API_KEY
 */
export async function ingestStripeCharges(wh: Warehouse, options: IngestStripeOptions): Promise<ApiLoadReport> {
  const { config } = options;
  const settings = stripeSettings(config, options.settings);
  const programIds = new Set(config.programs.map((p) => p.id));
  const apiKey = options.apiKey ?? process.env[STRIPE_KEY_ENV];
  if (!apiKey)
    throw new MissingCredentialError(
      STRIPE_KEY_ENV,
      'create a restricted Stripe key with read access to charges and export it',
    );
  const rawSchema = config.schemas.raw;
  await ensureLandingSchema(wh, rawSchema);
  await ensureCursorTable(wh, rawSchema);

  const now = options.now ?? new Date();
  const stored = await getCursor(wh, rawSchema, STRIPE_CHARGES_SOURCE);
  const state = parseCursor(stored);
  const watermark = options.full && state.scan === null ? null : state.watermark;
  const scan = state.scan ?? { startingAfter: '', startedAt: Math.floor(now.getTime() / 1000), maxSeen: null };
  let maxSeen = scan.maxSeen;

  const http = createHttpClient({
    baseUrl: options.baseUrl ?? settings.baseUrl,
    headers: { authorization: `Bearer ${apiKey}`, accept: 'application/json' },
    concurrency: 1,
    intervalCap: settings.requestsPerSecond,
    interval: 1000,
    ...options.http,
  });
  return runPagedIngest(wh, {
    source: STRIPE_CHARGES_SOURCE,
    table: 'orders',
    rawSchema,
    loadedAt: now,
    storedCursor: stored,
    firstToken: scan.startingAfter,
    async fetch(startingAfter) {
      const query = {
        limit: settings.pageSize,
        'created[gt]': watermark ?? undefined,
        starting_after: startingAfter || undefined,
      };
      const { data, response } = await http.json({ path: CHARGES_PATH, query });
      const requestLine = `GET ${CHARGES_PATH}${startingAfter ? ` starting_after=${startingAfter}` : ''}`;
      return { data, text: response.text, requestLine };
    },
    pageSchema: chargesPageSchema,
    what: 'a charges list',
    plan(page, fetched) {
      const charges = page.data;
      for (const c of charges) {
        const created = (c as { created?: unknown } | null)?.created;
        if (typeof created === 'number' && Number.isInteger(created) && (maxSeen === null || created > maxSeen))
          maxSeen = created;
      }
      const lastId = (charges[charges.length - 1] as { id?: unknown } | undefined)?.id;
      const next = page.has_more && typeof lastId === 'string' ? lastId : null;
      const cursor: StripeCursor =
        next === null
          ? {
              v: 1,
              watermark: finalWatermark(state.watermark, maxSeen, scan.startedAt, settings.clockSkewSeconds),
              scan: null,
            }
          : { v: 1, watermark, scan: { startingAfter: next, startedAt: scan.startedAt, maxSeen } };
      // Stripe filters on the server, so the response bytes alone determine what lands.
      const batchId = batchHasher('orders').update(`${STRIPE_CHARGES_SOURCE}\0`).update(fetched.text).digest('hex');
      return { records: charges, unchanged: 0, next, cursor: JSON.stringify(cursor), batchId };
    },
    validate: (record, row, pageNumber) =>
      chargeToOrder(record, `stripe charges page ${pageNumber} record ${row}`, settings, programIds),
    repeated: (requestLine) => `${requestLine}: Stripe returned the same page twice; stopping to avoid a loop`,
    onPage: options.onPage,
  });
}

/** The newest `created` seen, capped at the run's start minus the margin, and never earlier than before. */
function finalWatermark(since: number | null, maxSeen: number | null, startedAt: number, skew: number): number | null {
  if (maxSeen === null) return since;
  const capped = Math.min(maxSeen, startedAt - skew);
  return since === null ? capped : Math.max(since, capped);
}

function parseCursor(stored: string | null): StripeCursor {
  if (stored === null) return { v: 1, watermark: null, scan: null };
  return parseStoredCursor(stored, cursorSchema, STRIPE_CHARGES_SOURCE, 're-list from the start');
}
