/**
 * Operational tables: state that people and commands write (review decisions, promoted reward rules, the
 * audit log), kept in the analytics schema beside the marts. Unlike a model's table they are never dropped or
 * rebuilt by a run; they are append-only, and models read them as inputs. `ensureOperationalTables` creates
 * them (idempotent); the model runner calls it before every run so models may read them on an empty warehouse.
 */
import { randomUUID } from 'node:crypto';
import type { ColumnDef } from './warehouse/dialect.js';
import type { Warehouse } from './warehouse/warehouse.js';

const c = (name: string, type: ColumnDef['type'], description: string, required = true): ColumnDef => ({
  name,
  type,
  required,
  description,
});

/** Who did what, when and why: every human or command decision that changes what refstack pays or reports. */
export const AUDIT_LOG_TABLE = 'refstack_audit_log';
export const AUDIT_LOG_COLUMNS: ColumnDef[] = [
  c('audit_id', 'string', 'unique id of the entry (uuid)'),
  c('recorded_at', 'timestamp', 'when it was recorded (UTC)'),
  c('actor', 'string', 'who: a person (--by, else $REFSTACK_ACTOR, else the OS user) or a command'),
  c('action', 'string', 'what, e.g. review.decide, experiment.promote, payout.export'),
  c('subject_type', 'string', 'what kind of thing it acted on: referral, experiment, rule_set, payout_batch ...'),
  c('subject_id', 'string', 'the id of that thing'),
  c('reason', 'string', 'why, in words (the note given)', false),
  c('details', 'json', 'everything else the action used or produced, as JSON', false),
];

/** Human decisions on the review queue; the latest decision per referral wins. */
export const REVIEW_DECISIONS_TABLE = 'review_decisions';
export const REVIEW_DECISIONS_COLUMNS: ColumnDef[] = [
  c('decision_id', 'string', 'unique id (uuid)'),
  c('referral_id', 'string', 'stg_referrals.referral_id'),
  c('decision', 'string', 'approve | reject'),
  c('decided_by', 'string', 'the reviewer'),
  c('decided_at', 'timestamp', 'when (UTC)'),
  c('note', 'string', 'why, in words', false),
  c('audit_id', 'string', 'the refstack_audit_log entry'),
];

/**
 * Reward rule set versions written by commands (e.g. `refstack experiment promote`), on top of the versions in
 * config `rewards.ruleSets`. `definition` is the whole rule set as JSON (validated by rewardRuleSetSchema when
 * written and when read); a promoted version closes the version it replaces at its effectiveFrom.
 */
export const REWARD_RULE_VERSIONS_TABLE = 'reward_rule_versions';
export const REWARD_RULE_VERSIONS_COLUMNS: ColumnDef[] = [
  c('rule_set_id', 'string', 'rewards.ruleSets[].id'),
  c('version', 'int64', 'the new version number'),
  c('effective_from', 'date', 'first day (UTC) it applies'),
  c('definition', 'json', 'the full rule set (id, version, effectiveFrom, rewards ...) as JSON'),
  c('created_by', 'string', 'who promoted it'),
  c('created_at', 'timestamp', 'when (UTC)'),
  c('origin', 'string', 'what made it, e.g. experiment:reward-amount-test:variant-b'),
  c('audit_id', 'string', 'the refstack_audit_log entry'),
];

export const OPERATIONAL_TABLES: Record<string, ColumnDef[]> = {
  [AUDIT_LOG_TABLE]: AUDIT_LOG_COLUMNS,
  [REVIEW_DECISIONS_TABLE]: REVIEW_DECISIONS_COLUMNS,
  [REWARD_RULE_VERSIONS_TABLE]: REWARD_RULE_VERSIONS_COLUMNS,
};

/**
 * Creates `schema` and the tables if absent: how every operational table (here and in the areas that own one, e.g.
 * payout_exports, referral_codes, sync_pushes) comes into being. Idempotent; never drops or alters.
 */
export async function ensureTables(wh: Warehouse, schema: string, tables: Record<string, ColumnDef[]>): Promise<void> {
  const d = wh.dialect;
  await wh.exec(d.createSchemaIfNotExists(schema));
  for (const [table, columns] of Object.entries(tables))
    await wh.exec(d.createTableIfNotExists(d.tableRef(schema, table), columns));
}

/** `ensureTables` for one table. */
export async function ensureTable(wh: Warehouse, schema: string, table: string, columns: ColumnDef[]): Promise<void> {
  await ensureTables(wh, schema, { [table]: columns });
}

/** Creates the analytics schema and every operational table if absent. Idempotent; never drops or alters. */
export async function ensureOperationalTables(wh: Warehouse, analyticsSchema: string): Promise<void> {
  await ensureTables(wh, analyticsSchema, OPERATIONAL_TABLES);
}

export interface AuditEntry {
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  reason?: string | null;
  details?: unknown;
  /** Defaults to now. */
  recordedAt?: Date;
}

/** The actor to record when a command is not told one: $REFSTACK_ACTOR, else the OS user, else "unknown". */
export function defaultActor(env: NodeJS.ProcessEnv = process.env): string {
  return env.REFSTACK_ACTOR?.trim() || env.USER?.trim() || env.USERNAME?.trim() || 'unknown';
}

/**
 * Appends one entry to the audit log (creating the table if needed) and returns its id. Pass `details` as plain
 * JSON-serialisable data; never put secrets in it.
 */
export async function appendAudit(wh: Warehouse, analyticsSchema: string, entry: AuditEntry): Promise<string> {
  // DDL only when the log is missing: review decide and experiment promote append inside a transaction (after
  // ensuring the tables), and BigQuery refuses DDL on permanent tables inside a multi-statement transaction.
  if (!(await wh.tableExists(analyticsSchema, AUDIT_LOG_TABLE))) await ensureOperationalTables(wh, analyticsSchema);
  const auditId = randomUUID();
  await wh.appendRows(analyticsSchema, AUDIT_LOG_TABLE, AUDIT_LOG_COLUMNS, [
    [
      auditId,
      entry.recordedAt ?? new Date(),
      entry.actor,
      entry.action,
      entry.subjectType,
      entry.subjectId,
      entry.reason ?? null,
      entry.details === undefined ? null : JSON.stringify(entry.details),
    ],
  ]);
  return auditId;
}
