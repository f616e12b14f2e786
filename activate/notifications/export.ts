/**
 * `exportNotifications`: the outbox rows created at or after `since`, as CSV (RFC 4180, header row, variables as
 * JSON text) or NDJSON (variables as an object), oldest first. Rows exported for the first time get `exported_at`;
 * re-exporting an earlier range is allowed (the dedupe key lets the receiving system drop repeats).
 */
import { writeFileSync } from 'node:fs';
import type { RefstackConfig } from '../../src/config.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { ensureNotifications, NOTIFICATIONS_TABLE } from '../../models/marts/activation/operational-tables.js';

export type ExportFormat = 'csv' | 'ndjson';

const FIELDS = [
  'notification_id',
  'dedupe_key',
  'recipient_id',
  'recipient_email',
  'program_id',
  'audience',
  'template_key',
  'variables',
  'triggered_at',
  'created_at',
] as const;

/** One CSV field: quoted when it holds a comma, quote, CR or LF; quotes doubled. */
export function csvField(value: unknown): string {
  const s = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export interface ExportResult {
  rows: number;
  firstTimeExported: number;
  file: string;
}

export async function exportNotifications(
  wh: Warehouse,
  config: RefstackConfig,
  options: { since: Date; format: ExportFormat; out: string; now?: Date },
): Promise<ExportResult> {
  const d = wh.dialect;
  const schema = config.schemas.analytics;
  await ensureNotifications(wh, schema);
  const outbox = d.tableRef(schema, NOTIFICATIONS_TABLE);
  const rows = await wh.query<Record<(typeof FIELDS)[number], unknown>>(
    `select ${FIELDS.join(', ')} from ${outbox} where created_at >= ${d.param('since')}
     order by created_at, triggered_at, dedupe_key`,
    { since: options.since },
  );
  const body =
    options.format === 'csv'
      ? [FIELDS.join(','), ...rows.map((r) => FIELDS.map((f) => csvField(r[f])).join(','))].join('\r\n') + '\r\n'
      : rows
          .map((r) =>
            JSON.stringify({
              ...r,
              variables: JSON.parse(String(r.variables)) as unknown,
              triggered_at: (r.triggered_at as Date).toISOString(),
              created_at: (r.created_at as Date).toISOString(),
            }),
          )
          .map((line) => `${line}\n`)
          .join('');
  writeFileSync(options.out, body);
  const firstTimeExported = await wh.execute(
    `update ${outbox} set exported_at = ${d.param('now')}
     where created_at >= ${d.param('since')} and exported_at is null`,
    { since: options.since, now: options.now ?? new Date() },
  );
  return { rows: rows.length, firstTimeExported, file: options.out };
}
