/**
 * The engine every sync target shares: hash each record's payload, keep the records whose hash differs from their
 * last successful push, and either describe them (dry run, the default) or send them in batches through the
 * target's `sendBatch`, recording one `sync_pushes` row per record. The shared HTTP client retries a throttled
 * (429 + Retry-After) or failed (5xx) batch; a batch that still fails is recorded as an error for each of its
 * records and the next batch goes on, so one bad batch never blocks the others and a rerun retries it.
 */
import { randomUUID } from 'node:crypto';
import { stableHash } from '../../src/stable-hash.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { HttpError } from '../../src/http/index.js';
import { ensureSyncPushes, lastSentHashes, SYNC_PUSHES_COLUMNS, SYNC_PUSHES_TABLE } from './pushes-table.js';

export interface SyncRecord<P> {
  objectId: string;
  payload: P;
}

/** A record's outcome in a batch the target answered. */
export interface RecordOutcome {
  objectId: string;
  ok: boolean;
  /** Target's id on success, or the error in one line. */
  summary: string;
  remoteId?: string | null;
}

export interface SyncTarget<P> {
  /** sync_pushes.target */
  name: string;
  batchSize: number;
  /** Sends one batch; resolves with one outcome per record (per-record errors included), or throws. */
  sendBatch(batch: SyncRecord<P>[]): Promise<RecordOutcome[]>;
}

export interface SyncSummary {
  target: string;
  apply: boolean;
  records: number;
  unchanged: number;
  /** Records that would be (dry run) or were sent. */
  toSend: number;
  sent: number;
  failed: number;
  batches: number;
  /** Dry run: the records that would be sent (first 20), for printing. */
  preview: SyncRecord<unknown>[];
  errors: string[];
}

export const payloadHash = (payload: unknown): string => stableHash(payload, 16);

export async function runSync<P>(
  wh: Warehouse,
  schema: string,
  target: SyncTarget<P>,
  records: SyncRecord<P>[],
  options: { apply: boolean; now?: () => Date },
): Promise<SyncSummary> {
  await ensureSyncPushes(wh, schema);
  const last = await lastSentHashes(wh, schema, target.name);
  const hashes = new Map<string, string>();
  const changed = records.filter((r) => {
    const h = payloadHash(r.payload);
    hashes.set(r.objectId, h);
    return last.get(r.objectId) !== h;
  });
  const summary: SyncSummary = {
    target: target.name,
    apply: options.apply,
    records: records.length,
    unchanged: records.length - changed.length,
    toSend: changed.length,
    sent: 0,
    failed: 0,
    batches: 0,
    preview: options.apply ? [] : changed.slice(0, 20),
    errors: [],
  };
  if (!options.apply) return summary;
  const now = options.now ?? (() => new Date());
  const runId = randomUUID();
  for (let i = 0; i < changed.length; i += target.batchSize) {
    const batch = changed.slice(i, i + target.batchSize);
    summary.batches++;
    let outcomes: RecordOutcome[];
    try {
      outcomes = await target.sendBatch(batch);
    } catch (err) {
      const message = err instanceof HttpError ? err.message : `${target.name}: ${String(err)}`;
      summary.errors.push(`batch ${summary.batches}: ${message}`);
      outcomes = batch.map((r) => ({ objectId: r.objectId, ok: false, summary: message }));
    }
    const at = now();
    const rows = outcomes.map((o) => [
      randomUUID(),
      runId,
      target.name,
      o.objectId,
      hashes.get(o.objectId) ?? '',
      o.ok ? 'sent' : 'error',
      o.summary.slice(0, 500),
      o.remoteId ?? null,
      at,
    ]);
    await wh.appendRows(schema, SYNC_PUSHES_TABLE, SYNC_PUSHES_COLUMNS, rows);
    for (const o of outcomes) {
      if (o.ok) summary.sent++;
      else {
        summary.failed++;
        if (summary.errors.length < 20) summary.errors.push(`${o.objectId}: ${o.summary}`);
      }
    }
  }
  return summary;
}
