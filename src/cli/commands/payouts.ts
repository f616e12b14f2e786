/**
 * `refstack payouts export [--batch ID | --as-of DATE] --out DIR`: writes one payable CSV per payout batch of the
 * payout_batches mart (advocate, amount in major units, currency, reference = batch id + advocate) for the billing
 * or payment system. Idempotent: each written batch is recorded in the operational table payout_exports (with the
 * file's sha256) and an audit log entry; a batch already recorded is never written again ("already exported"),
 * so rerunning an export pays nobody twice.
 */
import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import type { RefstackConfig } from '../../config.js';
import { appendAudit, defaultActor } from '../../operational-tables.js';
import { openWarehouse } from '../../warehouse/open.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { currencyExponent, formatMinorUnits } from '../../../ingest/currency.js';
import {
  PAYOUT_EXPORTS_COLUMNS,
  PAYOUT_EXPORTS_TABLE,
  ensurePayoutExports,
} from '../../../models/rewards/payout-exports.js';
import { CliError } from '../errors.js';
import { configFrom, configOption, jsonOption, printJson, warehouseOption } from '../shared.js';

export interface PayoutExportResult {
  payoutBatchId: string;
  payoutDate: string;
  programId: string;
  currency: string;
  advocates: number;
  amountMinor: number;
  /** 'exported' now, or 'already_exported' earlier (nothing written). */
  outcome: 'exported' | 'already_exported';
  file: string;
  contentHash: string;
  /** For already_exported: when, and whether the ledger would now give a different file. */
  exportedAt?: string;
  changedSinceExport?: boolean;
}

export interface PayoutExportOptions {
  outDir: string;
  batch?: string;
  /** YYYY-MM-DD: every batch with a payout date on or before it. */
  asOf?: string;
  by?: string;
  now?: Date;
}

const advocates = (n: number) => `${n} advocate${n === 1 ? '' : 's'}`;
const csvField = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

function major(minor: number, currency: string): string {
  const e = currencyExponent(currency);
  if (e === undefined) throw new CliError(`currency "${currency}" of a payout batch is not an ISO 4217 code`);
  return formatMinorUnits(BigInt(minor), e);
}

interface BatchRow {
  payout_batch_id: string;
  payout_date: string;
  program_id: string;
  currency: string;
}

/** The payable file of one batch: one line per beneficiary, sorted by id, amounts summed in SQL. */
async function payableCsv(wh: Warehouse, config: RefstackConfig, b: BatchRow) {
  const d = wh.dialect;
  const lines = await wh.query<{ beneficiary_id: string; amount_minor: number | bigint }>(
    `select beneficiary_id, ${d.cast('sum(amount_minor)', 'int64')} as amount_minor
     from ${d.tableRef(config.schemas.analytics, 'reward_ledger')}
     where entry_type = 'payout' and payout_batch_id = ${d.param('batch')}
     group by beneficiary_id order by beneficiary_id`,
    { batch: b.payout_batch_id },
  );
  const body = lines.map((l) =>
    [
      l.beneficiary_id,
      major(Number(l.amount_minor), b.currency),
      b.currency,
      `${b.payout_batch_id}:${l.beneficiary_id}`,
    ]
      .map(csvField)
      .join(','),
  );
  const content = ['advocate_id,amount,currency,reference', ...body].join('\n') + '\n';
  const amountMinor = lines.reduce((s, l) => s + Number(l.amount_minor), 0);
  return { content, amountMinor, advocates: lines.length, hash: createHash('sha256').update(content).digest('hex') };
}

/** Exports the selected batches (see the module doc). Throws a one-line error for an unknown batch or no marts. */
export async function exportPayouts(
  wh: Warehouse,
  config: RefstackConfig,
  options: PayoutExportOptions,
): Promise<PayoutExportResult[]> {
  const d = wh.dialect;
  const schema = config.schemas.analytics;
  if (options.batch && options.asOf) throw new CliError('give --batch or --as-of, not both', 2);
  // A real calendar day: 2026-02-31 matches the pattern but the engine rejects it with its own message.
  if (
    options.asOf &&
    (!/^\d{4}-\d{2}-\d{2}$/.test(options.asOf) ||
      Number.isNaN(Date.parse(`${options.asOf}T00:00:00Z`)) ||
      new Date(`${options.asOf}T00:00:00Z`).toISOString().slice(0, 10) !== options.asOf)
  )
    throw new CliError(`--as-of: expected a date YYYY-MM-DD, got "${options.asOf}"`, 2);
  for (const table of ['payout_batches', 'reward_ledger'])
    if (!(await wh.tableExists(schema, table)))
      throw new CliError(`no ${table} table in ${wh.location}; run "refstack run" first`);
  await ensurePayoutExports(wh, schema);
  const where = options.batch
    ? `where payout_batch_id = ${d.param('batch')}`
    : options.asOf
      ? `where payout_date <= ${d.cast(d.param('as_of'), 'date')}`
      : '';
  const batches = await wh.query<BatchRow>(
    `select payout_batch_id, ${d.cast('payout_date', 'string')} as payout_date, program_id, currency
     from ${d.tableRef(schema, 'payout_batches')} ${where} order by payout_date, payout_batch_id`,
    { ...(options.batch ? { batch: options.batch } : {}), ...(options.asOf ? { as_of: options.asOf } : {}) },
  );
  if (options.batch && batches.length === 0)
    throw new CliError(
      `unknown payout batch "${options.batch}": no such batch in payout_batches (run "refstack run" to build it)`,
    );
  const done = new Map(
    (
      await wh.query<{ payout_batch_id: string; exported_at: Date; content_hash: string; file_name: string }>(
        `select payout_batch_id, exported_at, content_hash, file_name from ${d.tableRef(schema, PAYOUT_EXPORTS_TABLE)}`,
      )
    ).map((r) => [r.payout_batch_id, r]),
  );
  const actor = options.by ?? defaultActor();
  const results: PayoutExportResult[] = [];
  await mkdir(options.outDir, { recursive: true });
  for (const b of batches) {
    const file = await payableCsv(wh, config, b);
    const base = {
      payoutBatchId: b.payout_batch_id,
      payoutDate: b.payout_date,
      programId: b.program_id,
      currency: b.currency,
      advocates: file.advocates,
      amountMinor: file.amountMinor,
      contentHash: file.hash,
    };
    const previous = done.get(b.payout_batch_id);
    if (previous) {
      results.push({
        ...base,
        outcome: 'already_exported',
        file: previous.file_name,
        exportedAt: previous.exported_at.toISOString(),
        changedSinceExport: previous.content_hash !== file.hash,
      });
      continue;
    }
    const fileName = `${b.payout_batch_id}.csv`;
    const path = join(options.outDir, fileName);
    // Written whole under a temporary name first, so a reader never sees half a payable file.
    await writeFile(`${path}.partial`, file.content, 'utf8');
    await rename(`${path}.partial`, path);
    const exportedAt = options.now ?? new Date();
    const auditId = await appendAudit(wh, schema, {
      actor,
      action: 'payout.export',
      subjectType: 'payout_batch',
      subjectId: b.payout_batch_id,
      reason: `payable file ${fileName}: ${advocates(file.advocates)}, ${major(file.amountMinor, b.currency)} ${b.currency}`,
      details: { file: path, contentHash: file.hash, amountMinor: file.amountMinor, advocates: file.advocates },
      recordedAt: exportedAt,
    });
    await wh.appendRows(schema, PAYOUT_EXPORTS_TABLE, PAYOUT_EXPORTS_COLUMNS, [
      [
        b.payout_batch_id,
        b.program_id,
        new Date(`${b.payout_date}T00:00:00Z`),
        b.currency,
        file.advocates,
        file.amountMinor,
        file.hash,
        fileName,
        actor,
        exportedAt,
        auditId,
      ],
    ]);
    results.push({ ...base, outcome: 'exported', file: path });
  }
  return results;
}

/** One line per batch, as printed without --json. */
export function formatExportResults(results: PayoutExportResult[]): string {
  if (results.length === 0) return 'no payout batches to export';
  return results
    .map((r) => {
      const what = `${r.payoutBatchId}: ${advocates(r.advocates)}, ${major(r.amountMinor, r.currency)} ${r.currency}`;
      if (r.outcome === 'exported') return `exported ${what} -> ${r.file}`;
      return (
        `already exported ${r.payoutBatchId} at ${r.exportedAt} (${r.file}); not written again` +
        (r.changedSinceExport ? ' - WARNING: the ledger now gives a different file; settle the difference by hand' : '')
      );
    })
    .join('\n');
}

export function payoutsCommand(): Command {
  const exportCmd = new Command('export')
    .description('write one payable CSV per payout batch; a batch already exported is never written again')
    .requiredOption('--out <dir>', 'directory for the payable files')
    .option('--batch <id>', 'only this payout batch')
    .option('--as-of <date>', 'every batch with a payout date on or before this date (default: all batches)')
    .option('--by <name>', 'who exports (default $REFSTACK_ACTOR, else the OS user)')
    .addOption(warehouseOption())
    .addOption(configOption())
    .addOption(jsonOption())
    .action(
      async (opts: {
        out: string;
        batch?: string;
        asOf?: string;
        by?: string;
        warehouse?: string;
        config?: string;
        json?: boolean;
      }) => {
        const config = await configFrom(opts);
        const wh = await openWarehouse(config, opts.warehouse ? { pathOverride: opts.warehouse } : {});
        try {
          const results = await exportPayouts(wh, config, {
            outDir: opts.out,
            ...(opts.batch ? { batch: opts.batch } : {}),
            ...(opts.asOf ? { asOf: opts.asOf } : {}),
            ...(opts.by ? { by: opts.by } : {}),
          });
          if (opts.json) return printJson(results);
          process.stdout.write(`${formatExportResults(results)}\n`);
        } finally {
          await wh.close();
        }
      },
    );
  exportCmd.exitOverride().showHelpAfterError('(run with --help for usage)');
  return new Command('payouts')
    .description('payout batches: payable files for the payment system')
    .addCommand(exportCmd);
}
