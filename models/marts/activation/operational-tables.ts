/**
 * Activation's operational tables (written by commands, read by the activation marts, never rebuilt by a run):
 * `referral_codes`, every code refstack ever assigned (append-only: a code is never reused and an advocate's code
 * never changes), and `notifications`, the outbox of messages to send (one row per dedupe key; only `exported_at`
 * is ever updated). Each has an idempotent ensure function; the marts call them so they run on an empty warehouse.
 */
import { ensureTable } from '../../../src/operational-tables.js';
import type { ColumnDef } from '../../../src/warehouse/dialect.js';
import type { Warehouse } from '../../../src/warehouse/warehouse.js';

const c = (name: string, type: ColumnDef['type'], description: string, required = true): ColumnDef => ({
  name,
  type,
  required,
  description,
});

export const REFERRAL_CODES_TABLE = 'referral_codes';

export const REFERRAL_CODES_COLUMNS: ColumnDef[] = [
  { name: 'customer_id', type: 'string', required: true, description: 'the advocate (stg_customers.customer_id)' },
  { name: 'program_id', type: 'string', required: true, description: 'referral program' },
  { name: 'code', type: 'string', required: true, description: 'the referral code, unique across all programs' },
  { name: 'link', type: 'string', required: true, description: 'the plain share link, linkBase?ref=CODE' },
  { name: 'links', type: 'json', required: true, description: 'one UTM-tagged link per share channel, as JSON' },
  { name: 'origin', type: 'string', required: true, description: 'generated | adopted (the source system code)' },
  { name: 'attempts', type: 'int64', required: true, description: 'candidates drawn (1 unless it collided)' },
  { name: 'assigned_at', type: 'timestamp', required: true, description: 'when it was assigned (UTC)' },
];

/** Creates the schema and `referral_codes` if absent. Idempotent; never drops or alters. */
export async function ensureReferralCodes(wh: Warehouse, schema: string): Promise<void> {
  await ensureTable(wh, schema, REFERRAL_CODES_TABLE, REFERRAL_CODES_COLUMNS);
}

export const NOTIFICATIONS_TABLE = 'notifications';

export const NOTIFICATIONS_COLUMNS: ColumnDef[] = [
  c('notification_id', 'string', 'unique id (uuid)'),
  c('dedupe_key', 'string', 'activation_audiences.dedupe_key: unique, so nobody gets the same message twice'),
  c('recipient_id', 'string', 'the customer to message'),
  c('recipient_email', 'string', 'their normalized email (PII)', false),
  c('program_id', 'string', 'referral program'),
  c('audience', 'string', 'activation_audiences.audience'),
  c('template_key', 'string', 'the message template, e.g. invite.nps_promoter, thanks.advocate, reward.earned'),
  c('variables', 'json', 'template variables (name, code, link, links, reward, currency, tier, referrals ...)'),
  c('triggered_at', 'timestamp', 'when the triggering event happened (data time; the frequency cap counts it)'),
  c('created_at', 'timestamp', 'when the row was added to the outbox (UTC)'),
  c('exported_at', 'timestamp', 'when it was first exported (NULL until then)', false),
];

/** Creates the schema and `notifications` if absent. Idempotent; never drops or alters. */
export async function ensureNotifications(wh: Warehouse, schema: string): Promise<void> {
  await ensureTable(wh, schema, NOTIFICATIONS_TABLE, NOTIFICATIONS_COLUMNS);
}
