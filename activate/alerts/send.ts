/**
 * `sendAlerts`: posts each alert of the `alerts` mart that was never sent to a Slack-compatible incoming webhook
 * (`{ text, blocks }`), through the shared HTTP client (retries on 429/5xx, Retry-After). A delivered alert is
 * recorded in the operational table `sent_alerts` and never posted again; a failed one is recorded as failed and
 * retried by the next send. The webhook URL is a secret (it carries the token in its path): it is never printed.
 */
import { randomUUID } from 'node:crypto';
import type { RefstackConfig } from '../../src/config.js';
import { createHttpClient, HttpError, type HttpClientOptions } from '../../src/http/index.js';
import { ensureTable } from '../../src/operational-tables.js';
import type { ColumnDef } from '../../src/warehouse/dialect.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';

export const SENT_ALERTS_TABLE = 'sent_alerts';
export const SENT_ALERTS_COLUMNS: ColumnDef[] = [
  { name: 'send_id', type: 'string', required: true, description: 'unique id (uuid)' },
  { name: 'alert_id', type: 'string', required: true, description: 'alerts.alert_id' },
  { name: 'rule', type: 'string', required: true, description: 'alerts.rule' },
  { name: 'status', type: 'string', required: true, description: 'sent | failed' },
  { name: 'detail', type: 'string', required: false, description: 'the error in one line when failed' },
  { name: 'sent_at', type: 'timestamp', required: true, description: 'when (UTC)' },
];

export async function ensureSentAlerts(wh: Warehouse, schema: string): Promise<void> {
  await ensureTable(wh, schema, SENT_ALERTS_TABLE, SENT_ALERTS_COLUMNS);
}

interface AlertRow {
  alert_id: string;
  rule: string;
  severity: string;
  subject: string;
  message: string;
  first_seen_at: Date;
}

/** The Slack message of one alert: plain `text` (notifications, fallbacks) and a section block. */
export function slackMessage(a: AlertRow, project: string): { text: string; blocks: unknown[] } {
  const icon = a.severity === 'critical' ? ':rotating_light:' : ':warning:';
  const text = `${icon} [${project}] ${a.rule} (${a.severity}) ${a.subject}: ${a.message}`;
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `${icon} *${a.rule}* (${a.severity}) - ${a.subject}` } },
      { type: 'section', text: { type: 'mrkdwn', text: a.message } },
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: `${project} - since ${a.first_seen_at.toISOString()} - alert ${a.alert_id}` },
        ],
      },
    ],
  };
}

export interface SendResult {
  alerts: number;
  alreadySent: number;
  sent: number;
  failed: number;
  /** Without a webhook URL: the messages that would be posted. */
  dryRun: boolean;
  messages: string[];
  /** The last failure in one line (redacted), when any post failed. */
  lastError?: string;
}

export async function sendAlerts(
  wh: Warehouse,
  config: RefstackConfig,
  options: { webhookUrl?: string; client?: Partial<HttpClientOptions>; now?: () => Date } = {},
): Promise<SendResult> {
  const d = wh.dialect;
  const schema = config.schemas.analytics;
  if (!(await wh.tableExists(schema, 'alerts')))
    throw new Error(`alerts send needs ${schema}.alerts: run \`refstack run\` first`);
  await ensureSentAlerts(wh, schema);
  const [{ n } = { n: 0 }] = await wh.query<{ n: number }>(`select count(*) as n from ${d.tableRef(schema, 'alerts')}`);
  const pending = await wh.query<AlertRow>(`
    select a.alert_id, a.rule, a.severity, a.subject, a.message, a.first_seen_at from ${d.tableRef(schema, 'alerts')} a
    where not exists (select 1 from ${d.tableRef(schema, SENT_ALERTS_TABLE)} s where s.alert_id = a.alert_id and s.status = 'sent')
    order by a.first_seen_at, a.rule, a.subject`);
  const result: SendResult = {
    alerts: n,
    alreadySent: n - pending.length,
    sent: 0,
    failed: 0,
    dryRun: !options.webhookUrl,
    messages: [],
  };
  const messages = pending.map((a) => slackMessage(a, config.project.name));
  result.messages = messages.map((m) => m.text);
  if (!options.webhookUrl) return result;
  let url: URL;
  try {
    url = new URL(options.webhookUrl);
  } catch {
    url = new URL('invalid:');
  }
  // The value is a secret, so the message names the variable, never the value.
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new Error('REFSTACK_ALERT_WEBHOOK_URL is not an http(s) URL (value not shown: it is a secret)');
  // The whole URL is the credential (Slack puts the token in the path): redact every part of it.
  const http = createHttpClient({
    baseUrl: url.origin,
    secrets: [options.webhookUrl, url.pathname, ...url.pathname.split('/').filter((p) => p.length >= 8)],
    concurrency: 1,
    ...options.client,
  });
  const now = options.now ?? (() => new Date());
  // After a post that got no response at all (every attempt), the webhook is down: the rest are recorded as failed
  // without waiting through their retries, and the next send tries them all again.
  let unreachable: string | null = null;
  for (const [i, a] of pending.entries()) {
    let status = 'sent';
    let detail: string | null = null;
    try {
      if (unreachable) throw new Error(unreachable);
      await http.request({
        method: 'POST',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        json: messages[i],
      });
      result.sent++;
    } catch (err) {
      if (!(err instanceof HttpError) && !unreachable) throw err;
      status = 'failed';
      detail = err instanceof HttpError ? err.message : `not attempted: ${unreachable}`;
      if (err instanceof HttpError && err.status === null)
        unreachable = `an earlier post got no response (${err.message})`;
      result.lastError = detail;
      result.failed++;
    }
    await wh.appendRows(schema, SENT_ALERTS_TABLE, SENT_ALERTS_COLUMNS, [
      [randomUUID(), a.alert_id, a.rule, status, detail, now()],
    ]);
  }
  return result;
}
