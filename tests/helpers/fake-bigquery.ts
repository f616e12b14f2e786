/**
 * A loopback fake of the BigQuery REST API v2 (no emulator exists for us), enough for the driver: jobs.insert
 * (query and multipart-upload load jobs), jobs.get, jobs.getQueryResults (with polling and page tokens) and
 * tables.get. It records every request and answers in the documented shapes
 * (https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs). What a query returns is scripted by the
 * test through `onQuery`; values travel as the REST API sends them: `{ f: [{ v: 'text' }] }` rows, INT64 as
 * strings, TIMESTAMP as epoch microseconds text (the client asks for `formatOptions.useInt64Timestamp`).
 */
import { startFakeServer, type FakeServer, type RecordedRequest, type ScriptedResponse } from './fake-server.js';

export interface FakeField {
  name: string;
  type:
    | 'STRING'
    | 'INT64'
    | 'INTEGER'
    | 'FLOAT'
    | 'FLOAT64'
    | 'BOOL'
    | 'BOOLEAN'
    | 'TIMESTAMP'
    | 'DATE'
    | 'NUMERIC'
    | 'JSON';
}

/** What one query job does. */
export interface FakeQueryResult {
  fields?: FakeField[];
  /** Cell texts (or null) per row, in `fields` order. */
  rows?: (string | null)[][];
  /** Rows per page of getQueryResults (default: all in one). */
  pageSize?: number;
  /** getQueryResults answers `jobComplete: false` this many times before the rows. */
  pendingPolls?: number;
  /** The job fails with this error (status.errorResult), e.g. { reason: 'invalidQuery', message: '...' }. */
  error?: { reason: string; message: string; location?: string };
  dmlAffectedRows?: number;
  totalBytesProcessed?: number;
  sessionId?: string;
}

export interface FakeJob {
  jobId: string;
  kind: 'query' | 'load';
  /** The job configuration as sent. */
  configuration: Record<string, unknown>;
  result: FakeQueryResult;
  polls: number;
  /** Load jobs: the uploaded file's text. */
  upload?: string;
}

export interface FakeBigQuery {
  url: string;
  server: FakeServer;
  jobs: FakeJob[];
  /** Tables that exist, as "dataset.table". */
  tables: Set<string>;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

function restRows(result: FakeQueryResult, start: number, end: number) {
  return (result.rows ?? []).slice(start, end).map((r) => ({ f: r.map((v) => ({ v })) }));
}

/** Splits a multipart/related body into its parts' bodies. */
function multipartParts(body: string, contentType: string | undefined): string[] {
  const boundary = /boundary="?([^";]+)"?/.exec(contentType ?? '')?.[1];
  if (!boundary) return [];
  return body
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => {
      const at = part.indexOf('\r\n\r\n');
      return part.slice(at + 4).replace(/\r\n$/, '');
    });
}

export async function startFakeBigQuery(
  onQuery: (sql: string, config: Record<string, unknown>) => FakeQueryResult,
  options: { maxRequests?: number; project?: string } = {},
): Promise<FakeBigQuery> {
  const project = options.project ?? 'refstack-test';
  const jobs: FakeJob[] = [];
  const tables = new Set<string>();
  let nextId = 1;

  const jobResource = (job: FakeJob) => {
    const done = job.kind === 'load' || job.polls >= (job.result.pendingPolls ?? 0);
    const statistics: Record<string, unknown> = {
      creationTime: '1700000000000',
      totalBytesProcessed: String(job.result.totalBytesProcessed ?? 0),
    };
    if (job.kind === 'query')
      statistics['query'] = {
        totalBytesProcessed: String(job.result.totalBytesProcessed ?? 0),
        ...(job.result.dmlAffectedRows !== undefined ? { numDmlAffectedRows: String(job.result.dmlAffectedRows) } : {}),
      };
    if (job.kind === 'load')
      statistics['load'] = { outputRows: String(job.upload?.split('\n').filter((l) => l.trim()).length ?? 0) };
    if (job.result.sessionId) statistics['sessionInfo'] = { sessionId: job.result.sessionId };
    return {
      kind: 'bigquery#job',
      id: `${project}:US.${job.jobId}`,
      jobReference: { projectId: project, jobId: job.jobId, location: 'US' },
      configuration: job.configuration,
      statistics,
      status: job.result.error
        ? { state: 'DONE', errorResult: job.result.error, errors: [job.result.error] }
        : { state: done ? 'DONE' : 'RUNNING' },
    };
  };

  const handler = (req: RecordedRequest): ScriptedResponse => {
    const p = req.path;
    let m: RegExpExecArray | null;
    if (req.method === 'POST' && (m = /^\/bigquery\/v2\/projects\/([^/]+)\/jobs$/.exec(p))) {
      const body = JSON.parse(req.body) as {
        jobReference?: { jobId?: string };
        configuration: Record<string, unknown>;
      };
      const query = (body.configuration['query'] ?? {}) as { query?: string };
      const job: FakeJob = {
        jobId: body.jobReference?.jobId ?? `job_${nextId++}`,
        kind: 'query',
        configuration: body.configuration,
        result: onQuery(query.query ?? '', body.configuration),
        polls: 0,
      };
      jobs.push(job);
      if (body.configuration['dryRun']) job.result = { ...job.result, pendingPolls: 0 };
      return { body: jobResource(job) };
    }
    if (req.method === 'POST' && /^\/upload\/bigquery\/v2\/projects\/([^/]+)\/jobs$/.test(p)) {
      const [meta, data] = multipartParts(req.body, req.headers['content-type']);
      const body = JSON.parse(meta ?? '{}') as {
        jobReference?: { jobId?: string };
        configuration: Record<string, unknown>;
      };
      const job: FakeJob = {
        jobId: body.jobReference?.jobId ?? `load_${nextId++}`,
        kind: 'load',
        configuration: body.configuration,
        result: {},
        polls: 0,
        upload: data ?? '',
      };
      jobs.push(job);
      return { body: jobResource(job) };
    }
    if (req.method === 'GET' && (m = /^\/bigquery\/v2\/projects\/([^/]+)\/jobs\/([^/]+)$/.exec(p))) {
      const job = jobs.find((j) => j.jobId === m![2]);
      if (!job) return { status: 404, body: { error: { code: 404, message: `Not found: Job ${m[2]}` } } };
      return { body: jobResource(job) };
    }
    if (req.method === 'GET' && (m = /^\/bigquery\/v2\/projects\/([^/]+)\/queries\/([^/]+)$/.exec(p))) {
      const job = jobs.find((j) => j.jobId === m![2]);
      if (!job) return { status: 404, body: { error: { code: 404, message: `Not found: Job ${m[2]}` } } };
      if (job.result.error)
        return {
          status: 400,
          body: {
            error: {
              code: 400,
              message: job.result.error.message,
              errors: [job.result.error],
              status: 'INVALID_ARGUMENT',
            },
          },
        };
      if (job.polls < (job.result.pendingPolls ?? 0)) {
        job.polls++;
        return {
          body: {
            kind: 'bigquery#getQueryResultsResponse',
            jobReference: jobResource(job).jobReference,
            jobComplete: false,
          },
        };
      }
      const total = job.result.rows?.length ?? 0;
      const start = Number(req.query['pageToken'] ?? 0);
      const max = req.query['maxResults'] !== undefined ? Number(req.query['maxResults']) : Infinity;
      const size = Math.min(max, job.result.pageSize ?? Infinity);
      const end = Math.min(total, start + size);
      return {
        body: {
          kind: 'bigquery#getQueryResultsResponse',
          jobReference: jobResource(job).jobReference,
          jobComplete: true,
          schema: { fields: (job.result.fields ?? []).map((f) => ({ ...f, mode: 'NULLABLE' })) },
          totalRows: String(total),
          rows: restRows(job.result, start, end),
          ...(end < total && size > 0 ? { pageToken: String(end) } : {}),
          ...(job.result.dmlAffectedRows !== undefined
            ? { numDmlAffectedRows: String(job.result.dmlAffectedRows) }
            : {}),
        },
      };
    }
    if (
      req.method === 'GET' &&
      (m = /^\/bigquery\/v2\/projects\/([^/]+)\/datasets\/([^/]+)\/tables\/([^/]+)$/.exec(p))
    ) {
      const key = `${m[2]}.${m[3]}`;
      return tables.has(key)
        ? {
            body: {
              kind: 'bigquery#table',
              id: `${project}:${key}`,
              tableReference: { projectId: project, datasetId: m[2], tableId: m[3] },
            },
          }
        : {
            status: 404,
            body: { error: { code: 404, message: `Not found: Table ${project}:${key}`, status: 'NOT_FOUND' } },
          };
    }
    return { status: 404, body: { error: { code: 404, message: `fake BigQuery: no route for ${req.method} ${p}` } } };
  };

  const server = await startFakeServer(handler, options.maxRequests ?? 200);
  return { url: server.url, server, jobs, tables, requests: server.requests, close: () => server.close() };
}
