/**
 * The operational table payout_exports: one row per payout batch written as a payable file by `refstack payouts
 * export`. It is what makes an export idempotent: a batch with a row here is never written (paid) again. Like the
 * tables in src/operational-tables.ts it lives in the analytics schema, is append-only and is never rebuilt by a
 * run; payout_batches reads it for each batch's status.
 */
import { ensureTable } from '../../src/operational-tables.js';
import type { ColumnDef } from '../../src/warehouse/dialect.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';

export const PAYOUT_EXPORTS_TABLE = 'payout_exports';

const c = (name: string, type: ColumnDef['type'], description: string): ColumnDef => ({
  name,
  type,
  required: true,
  description,
});

export const PAYOUT_EXPORTS_COLUMNS: ColumnDef[] = [
  c('payout_batch_id', 'string', 'reward_ledger.payout_batch_id'),
  c('program_id', 'string', 'referral program'),
  c('payout_date', 'date', 'the scheduled payout date'),
  c('currency', 'string', 'currency of the amounts'),
  c('advocates', 'int64', 'lines (beneficiaries) in the file'),
  c('amount_minor', 'int64', 'total of the file, minor units'),
  c('content_hash', 'string', 'sha256 of the file content'),
  c('file_name', 'string', 'the file name written (in the --out directory given)'),
  c('exported_by', 'string', 'who ran the export'),
  c('exported_at', 'timestamp', 'when (UTC)'),
  c('audit_id', 'string', 'the refstack_audit_log entry'),
];

/** Creates the analytics schema and payout_exports if absent. Idempotent; never drops or alters. */
export async function ensurePayoutExports(wh: Warehouse, analyticsSchema: string): Promise<void> {
  await ensureTable(wh, analyticsSchema, PAYOUT_EXPORTS_TABLE, PAYOUT_EXPORTS_COLUMNS);
}
