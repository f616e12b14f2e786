/**
 * `refstack review list` and `refstack review decide <referral_id> approve|reject --note TEXT`: the human side of
 * the review queue (models/marts/fraud/review-queue.ts). A decision is appended to the operational table
 * review_decisions and to the audit log in one transaction; the queue and the reward ledger pick it up on the
 * next model run.
 */
import { randomUUID } from 'node:crypto';
import { Argument, Command, Option } from 'commander';
import { currencyExponent, formatMinorUnits } from '../../../ingest/currency.js';
import type { RefstackConfig } from '../../config.js';
import {
  appendAudit,
  defaultActor,
  ensureOperationalTables,
  REVIEW_DECISIONS_COLUMNS,
  REVIEW_DECISIONS_TABLE,
} from '../../operational-tables.js';
import { openWarehouse } from '../../warehouse/open.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { CliError } from '../errors.js';
import { configFrom, configOption, jsonOption, printJson, warehouseOption } from '../shared.js';

export const REVIEW_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
export const RERUN_HINT = 'refstack run --select reward_ledger+';

export interface QueuedReferral {
  referralId: string;
  programId: string;
  advocateId: string | null;
  refereeId: string;
  queueReasons: string;
  fraudScore: number | null;
  rulesFired: string;
  orderBaseMinor: number | null;
  currency: string;
  queuedAt: string | null;
  status: ReviewStatus;
  decidedBy: string | null;
  decidedAt: string | null;
  note: string | null;
}

const iso = (v: unknown) => (v == null ? null : new Date(v as string).toISOString());
const num = (v: unknown) => (v == null ? null : Number(v));

async function requireTable(wh: Warehouse, schema: string, table: string, hint: string): Promise<string> {
  if (!(await wh.tableExists(schema, table)))
    throw new CliError(`table ${schema}.${table} does not exist; run \`${hint}\` first`);
  return wh.dialect.tableRef(schema, table);
}

/** The review queue as last built, oldest first, optionally only one status. */
export async function listReviewQueue(
  wh: Warehouse,
  config: RefstackConfig,
  options: { status?: ReviewStatus } = {},
): Promise<QueuedReferral[]> {
  const d = wh.dialect;
  const queue = await requireTable(wh, config.schemas.analytics, 'review_queue', 'refstack run --select review_queue');
  const where = options.status ? `where status = ${d.stringLiteral(options.status)}` : '';
  const rows = await wh.query<Record<string, unknown>>(
    `select * from ${queue} ${where} order by queued_at, referral_id`,
  );
  return rows.map((r) => ({
    referralId: String(r.referral_id),
    programId: String(r.program_id),
    advocateId: (r.advocate_id as string | null) ?? null,
    refereeId: String(r.referee_id),
    queueReasons: String(r.queue_reasons ?? ''),
    fraudScore: num(r.fraud_score),
    rulesFired: String(r.rules_fired ?? ''),
    orderBaseMinor: num(r.order_base_minor),
    currency: String(r.currency),
    queuedAt: iso(r.queued_at),
    status: r.status as ReviewStatus,
    decidedBy: (r.decided_by as string | null) ?? null,
    decidedAt: iso(r.decided_at),
    note: (r.note as string | null) ?? null,
  }));
}

export interface ReviewDecisionInput {
  referralId: string;
  decision: 'approve' | 'reject';
  note: string;
  by?: string;
  /** Defaults to now; tests pass a fixed time. */
  at?: Date;
}

export interface RecordedDecision {
  decisionId: string;
  auditId: string;
  referralId: string;
  decision: 'approve' | 'reject';
  decidedBy: string;
  decidedAt: string;
  previousStatus: ReviewStatus;
}

/**
 * Records a decision: one review_decisions row and one audit-log entry (action 'review.decide'), in one
 * transaction. Refuses a referral that does not exist (stg_referrals) or is not in the review queue, and an
 * empty note, each with a one-line error.
 */
export async function decideReview(
  wh: Warehouse,
  config: RefstackConfig,
  input: ReviewDecisionInput,
): Promise<RecordedDecision> {
  const d = wh.dialect;
  const schema = config.schemas.analytics;
  const note = input.note.trim();
  if (note === '') throw new CliError('review decide: --note must say why (it is kept in the audit log)', 2);
  if (input.decision !== 'approve' && input.decision !== 'reject')
    throw new CliError(`review decide: expected approve or reject, got "${String(input.decision)}"`, 2);
  const referrals = await requireTable(wh, schema, 'stg_referrals', 'refstack run --select review_queue');
  const queue = await requireTable(wh, schema, 'review_queue', 'refstack run --select review_queue');
  const id = d.stringLiteral(input.referralId);
  const known = await wh.query<{ n: number }>(`select count(*) as n from ${referrals} where referral_id = ${id}`);
  if (Number(known[0]?.n ?? 0) === 0) throw new CliError(`review decide: unknown referral id "${input.referralId}"`);
  const queued = await wh.query<{ status: ReviewStatus; queue_reasons: string; fraud_score: number | null }>(
    `select status, queue_reasons, fraud_score from ${queue} where referral_id = ${id}`,
  );
  const row = queued[0];
  if (!row)
    throw new CliError(
      `review decide: referral "${input.referralId}" is not in the review queue (not flagged, not high-value)`,
    );
  const decidedBy = input.by?.trim() || defaultActor();
  const at = input.at ?? new Date();
  const decisionId = randomUUID();
  await ensureOperationalTables(wh, schema);
  const auditId = await wh.transaction(async () => {
    const auditId = await appendAudit(wh, schema, {
      actor: decidedBy,
      action: 'review.decide',
      subjectType: 'referral',
      subjectId: input.referralId,
      reason: note,
      recordedAt: at,
      details: {
        decision: input.decision,
        decision_id: decisionId,
        previous_status: row.status,
        queue_reasons: row.queue_reasons,
        fraud_score: row.fraud_score == null ? null : Number(row.fraud_score),
      },
    });
    await wh.appendRows(schema, REVIEW_DECISIONS_TABLE, REVIEW_DECISIONS_COLUMNS, [
      [decisionId, input.referralId, input.decision, decidedBy, at, note, auditId],
    ]);
    return auditId;
  });
  return {
    decisionId,
    auditId,
    referralId: input.referralId,
    decision: input.decision,
    decidedBy,
    decidedAt: at.toISOString(),
    previousStatus: row.status,
  };
}

const money = (minor: number | null, currency: string) =>
  minor == null ? '-' : `${formatMinorUnits(BigInt(minor), currencyExponent(currency) ?? 2)} ${currency}`;

function formatQueue(rows: QueuedReferral[]): string {
  if (rows.length === 0) return 'review queue: nothing here';
  const lines = rows.map((r) =>
    [
      r.referralId,
      r.status.padEnd(8),
      r.queueReasons.padEnd(22),
      (r.fraudScore == null ? '-' : r.fraudScore.toFixed(3)).padStart(5),
      money(r.orderBaseMinor, r.currency).padStart(14),
      `advocate ${r.advocateId ?? '-'} -> ${r.refereeId}`,
      r.rulesFired,
    ].join('  '),
  );
  return [`${rows.length} referral(s) in the review queue`, ...lines].join('\n');
}

interface Opts {
  warehouse?: string;
  config?: string;
  json?: boolean;
}

async function withWarehouse<T>(opts: Opts, readOnly: boolean, fn: (wh: Warehouse, c: RefstackConfig) => Promise<T>) {
  const config = await configFrom(opts);
  const wh = await openWarehouse(config, { ...(opts.warehouse ? { pathOverride: opts.warehouse } : {}), readOnly });
  try {
    return await fn(wh, config);
  } finally {
    await wh.close();
  }
}

export function reviewCommand(): Command {
  const list = new Command('list')
    .description('list the review queue (flagged and high-value referrals) with their status')
    .addOption(new Option('--status <status>', 'only this status').choices([...REVIEW_STATUSES]))
    .addOption(warehouseOption())
    .addOption(configOption())
    .addOption(jsonOption())
    .action(async (opts: Opts & { status?: ReviewStatus }) =>
      withWarehouse(opts, true, async (wh, config) => {
        const rows = await listReviewQueue(wh, config, opts.status ? { status: opts.status } : {});
        if (opts.json) return printJson(rows);
        process.stdout.write(`${formatQueue(rows)}\n`);
      }),
    );
  const decide = new Command('decide')
    .description('approve or reject a queued referral; recorded with who, when and why in the audit log')
    .argument('<referral_id>', 'a referral in the review queue')
    .addArgument(new Argument('<decision>', 'approve | reject').choices(['approve', 'reject']))
    .requiredOption('--note <text>', 'why (kept in the audit log)')
    .option('--by <name>', 'who decides (default $REFSTACK_ACTOR, else the OS user)')
    .addOption(warehouseOption())
    .addOption(configOption())
    .addOption(jsonOption())
    .action(async (referralId: string, decision: 'approve' | 'reject', opts: Opts & { note: string; by?: string }) =>
      withWarehouse(opts, false, async (wh, config) => {
        const recorded = await decideReview(wh, config, {
          referralId,
          decision,
          note: opts.note,
          ...(opts.by ? { by: opts.by } : {}),
        });
        if (opts.json) return printJson({ ...recorded, rerun: RERUN_HINT });
        process.stdout.write(
          `recorded: ${decision} referral ${referralId} by ${recorded.decidedBy} (audit ${recorded.auditId}).\n` +
            `Rerun the models for the queue and the reward ledger to reflect it: ${RERUN_HINT}\n`,
        );
      }),
    );
  for (const c of [list, decide]) c.exitOverride().showHelpAfterError('(run with --help for usage)');
  return new Command('review')
    .description('the human review queue for flagged and high-value referrals')
    .addCommand(list)
    .addCommand(decide);
}
