/**
 * `sync_pushes`: one row per record refstack tried to deliver to an outside system (append-only). A rerun sends a
 * record only when its payload hash differs from the hash of its latest `sent` row for the target, so unchanged
 * records are never sent twice and failed ones are retried. Dry runs record nothing.
 */
import { ensureTable } from '../../src/operational-tables.js';
import type { ColumnDef } from '../../src/warehouse/dialect.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';

export const SYNC_PUSHES_TABLE = 'sync_pushes';

const c = (name: string, type: ColumnDef['type'], description: string, required = true): ColumnDef => ({
  name,
  type,
  required,
  description,
});

export const SYNC_PUSHES_COLUMNS: ColumnDef[] = [
  c('push_id', 'string', 'unique id (uuid)'),
  c('run_id', 'string', 'the sync run (one command) it belongs to'),
  c('target', 'string', 'hubspot_contacts | salesforce_contacts | stripe_balance'),
  c('object_id', 'string', 'the record: contact email, Refstack_Id__c value, or ledger entry id'),
  c('payload_hash', 'string', 'sha256 (16 hex) of the canonical payload sent'),
  c('status', 'string', 'sent | error'),
  c('response_summary', 'string', 'what the target answered: its record id, or the error in one line', false),
  c('remote_id', 'string', "the target's id of the record (HubSpot/Salesforce id, Stripe cbtx_ id)", false),
  c('pushed_at', 'timestamp', 'when the answer arrived (UTC)'),
];

export async function ensureSyncPushes(wh: Warehouse, schema: string): Promise<void> {
  await ensureTable(wh, schema, SYNC_PUSHES_TABLE, SYNC_PUSHES_COLUMNS);
}

/** object_id -> payload hash of its latest successful push to `target`. */
export async function lastSentHashes(wh: Warehouse, schema: string, target: string): Promise<Map<string, string>> {
  const d = wh.dialect;
  const out = new Map<string, string>();
  for await (const chunk of wh.stream<{ object_id: string; payload_hash: string }>(
    `select object_id, payload_hash from ${d.tableRef(schema, SYNC_PUSHES_TABLE)}
     where target = ${d.param('target')} and status = 'sent'
     ${d.qualify('row_number() over (partition by object_id order by pushed_at desc, push_id desc) = 1', true)}`,
    { target },
  ))
    for (const r of chunk) out.set(r.object_id, r.payload_hash);
  return out;
}
