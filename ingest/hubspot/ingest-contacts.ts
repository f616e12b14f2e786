/**
 * Incremental ingest of HubSpot contacts (CRM v3 list endpoint) into `raw.customers`.
 *
 * Approach. The list endpoint (`GET /crm/v3/objects/contacts?limit&after&properties`) pages through every
 * contact in id order and cannot filter by modification time, so each run scans all pages and lands only
 * the contacts whose `updatedAt` is after the stored watermark. Each page commits in one transaction with
 * the cursor, which holds the watermark and, mid-scan, the `after` token of the next page: a run that dies
 * on page k resumes at page k with the same watermark. When the scan ends, the watermark becomes the
 * largest `updatedAt` seen, but never later than the scan's start minus `clockSkewMs`, so a contact edited
 * while the scan was past its page is landed on the next run.
 *
 * Limits. Every run reads every contact (one request per 100); a contact edited in the `clockSkewMs` margin
 * before a scan is landed again on the next one (a superseding copy with the same values); archived
 * contacts are not fetched; a deletion is not seen. HubSpot's search endpoint could filter on
 * `lastmodifieddate`, but it caps a query at 10,000 results, is eventually consistent (an update can be
 * indexed after a later one, and be skipped by a watermark) and has a lower rate limit.
 */
import { z } from 'zod';
import type { RefstackConfig } from '../../src/config.js';
import { createHttpClient, MissingCredentialError, type HttpClientOptions } from '../../src/http/index.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { batchHasher } from '../batch.js';
import { ensureCursorTable, getCursor, parseStoredCursor, runPagedIngest, type ApiLoadReport } from '../cursors.js';
import { ensureLandingSchema } from '../landing-schema.js';
import { hubspotSettings, type hubspotSourceSchema } from './config.js';
import { contactsPageSchema, contactToCustomer, requestedProperties, updatedAtMs } from './contact-record.js';

export const HUBSPOT_CONTACTS_SOURCE = 'hubspot-api:contacts';
export const HUBSPOT_TOKEN_ENV = 'HUBSPOT_ACCESS_TOKEN';
const CONTACTS_PATH = '/crm/v3/objects/contacts';

/** The stored cursor (JSON in `raw.source_cursors.cursor`). */
const cursorSchema = z
  .object({
    v: z.literal(1),
    /** Every contact updated at or before this instant (ISO) has been landed; null before the first full scan. */
    watermark: z.string().nullable(),
    /** An unfinished scan: the next page's `after` token, when the scan started, the largest `updatedAt` seen. */
    scan: z.object({ after: z.string(), startedAt: z.string(), maxSeen: z.string().nullable() }).strict().nullable(),
  })
  .strict();
type HubspotCursor = z.infer<typeof cursorSchema>;

export interface IngestHubspotOptions {
  config: RefstackConfig;
  /** Overrides `sources.hubspot.baseUrl`. */
  baseUrl?: string;
  /** Overrides the `HUBSPOT_ACCESS_TOKEN` environment variable. */
  token?: string;
  /** Overrides `sources.hubspot` of the config (tests). */
  settings?: z.input<typeof hubspotSourceSchema>;
  /** `_loaded_at` of the run's rows and the scan's start; defaults to the current time. */
  now?: Date;
  /** HTTP client options for tests (sleep, random, log, timeoutMs, maxAttempts). */
  http?: Partial<HttpClientOptions>;
  /** Called after each committed page with the running report (for a progress line). */
  onPage?: (report: ApiLoadReport) => void;
}

/**
 * Lands HubSpot contacts changed since the last run into `raw.customers`; see the file comment for the
 * approach and its limits. Throws (after committing every whole page before it) on an HTTP failure that
 * outlasts the retries, or a page that does not have the documented shape; rerun to resume.
 *
 * @example const report = await ingestHubspotContacts(wh, { config }); // token from HUBSPOT_ACCESS_TOKEN
 */
export async function ingestHubspotContacts(wh: Warehouse, options: IngestHubspotOptions): Promise<ApiLoadReport> {
  const { config } = options;
  const settings = hubspotSettings(config, options.settings);
  const token = options.token ?? process.env[HUBSPOT_TOKEN_ENV];
  if (!token)
    throw new MissingCredentialError(
      HUBSPOT_TOKEN_ENV,
      'create a HubSpot private app with the crm.objects.contacts.read scope and export its access token',
    );
  const rawSchema = config.schemas.raw;
  await ensureLandingSchema(wh, rawSchema);
  await ensureCursorTable(wh, rawSchema);

  const now = options.now ?? new Date();
  const stored = await getCursor(wh, rawSchema, HUBSPOT_CONTACTS_SOURCE);
  const state = parseCursor(stored);
  const since = state.watermark === null ? null : Date.parse(state.watermark);
  const scan = state.scan ?? { after: '', startedAt: now.toISOString(), maxSeen: null };
  let maxSeen = scan.maxSeen === null ? null : Date.parse(scan.maxSeen);

  const http = createHttpClient({
    baseUrl: options.baseUrl ?? settings.baseUrl,
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    concurrency: 1,
    intervalCap: settings.requestsPerSecond,
    interval: 1000,
    ...options.http,
  });
  const properties = requestedProperties(settings).join(',');
  return runPagedIngest(wh, {
    source: HUBSPOT_CONTACTS_SOURCE,
    table: 'customers',
    rawSchema,
    loadedAt: now,
    storedCursor: stored,
    firstToken: scan.after,
    async fetch(after) {
      const query = { limit: settings.pageSize, after: after || undefined, properties, archived: 'false' };
      const { data, response } = await http.json({ path: CONTACTS_PATH, query });
      return { data, text: response.text, requestLine: `GET ${CONTACTS_PATH}${after ? ` after=${after}` : ''}` };
    },
    pageSchema: contactsPageSchema,
    what: 'a contacts page',
    plan(page, fetched) {
      const changed = page.results.filter((r) => {
        const ms = updatedAtMs(r);
        return ms === null || since === null || ms > since;
      });
      for (const r of page.results) {
        const ms = updatedAtMs(r);
        if (ms !== null && (maxSeen === null || ms > maxSeen)) maxSeen = ms;
      }
      const next = page.paging?.next?.after ?? null;
      const cursor: HubspotCursor =
        next === null
          ? { v: 1, watermark: finalWatermark(since, maxSeen, scan.startedAt, settings.clockSkewMs), scan: null }
          : {
              v: 1,
              watermark: state.watermark,
              scan: {
                after: next,
                startedAt: scan.startedAt,
                maxSeen: maxSeen === null ? null : new Date(maxSeen).toISOString(),
              },
            };
      // The same bytes under the same watermark select the same records: the batch id covers both.
      const batchId = batchHasher('customers')
        .update(`${HUBSPOT_CONTACTS_SOURCE}\0${state.watermark ?? ''}\0`)
        .update(fetched.text)
        .digest('hex');
      return {
        records: changed,
        unchanged: page.results.length - changed.length,
        next,
        cursor: JSON.stringify(cursor),
        batchId,
      };
    },
    validate: (record, row, pageNumber) =>
      contactToCustomer(record, `hubspot contacts page ${pageNumber} record ${row}`, settings),
    repeated: (requestLine, token) =>
      `${requestLine}: HubSpot returned the paging token "${token}" twice; stopping to avoid a loop`,
    onPage: options.onPage,
  });
}

/**
 * The watermark after a finished scan: the largest `updatedAt` seen, capped at the scan's start minus the
 * skew margin (so edits made during the scan are picked up next time), and never earlier than before.
 */
function finalWatermark(
  since: number | null,
  maxSeen: number | null,
  startedAt: string,
  skewMs: number,
): string | null {
  if (maxSeen === null) return since === null ? null : new Date(since).toISOString();
  const capped = Math.min(maxSeen, Date.parse(startedAt) - skewMs);
  const watermark = since === null ? capped : Math.max(since, capped);
  return new Date(watermark).toISOString();
}

function parseCursor(stored: string | null): HubspotCursor {
  if (stored === null) return { v: 1, watermark: null, scan: null };
  return parseStoredCursor(stored, cursorSchema, HUBSPOT_CONTACTS_SOURCE, 'rescan from the start');
}
