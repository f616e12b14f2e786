/**
 * The landing contract: the `raw.*` tables every source writes into. Column names are public interface
 * (users query them), so change them only by adding. Every landing row also carries the lineage columns
 * `_source`, `_batch_id`, `_row_number` and `_loaded_at`.
 *
 * Money is integer minor units (`*_minor`, e.g. cents) beside an ISO 4217 `currency`; never floats.
 * Timestamps are UTC.
 */
import type { ColumnDef, TableOptions } from '../src/warehouse/dialect.js';
import type { Warehouse } from '../src/warehouse/warehouse.js';

export const LINEAGE_COLUMNS: ColumnDef[] = [
  {
    name: '_source',
    type: 'string',
    required: true,
    description: 'source adapter and file or API, e.g. canonical-csv:orders.csv',
  },
  {
    name: '_batch_id',
    type: 'string',
    required: true,
    description: 'content hash of the batch; reloading the same content is a no-op',
  },
  {
    name: '_row_number',
    type: 'int64',
    required: true,
    description: '1-based record number within the batch (CSV: data row, header excluded)',
  },
  { name: '_loaded_at', type: 'timestamp', required: true, description: 'when the batch was landed (UTC)' },
];

const c = (name: string, type: ColumnDef['type'], required: boolean, description: string): ColumnDef => ({
  name,
  type,
  required,
  description,
});

/** Business columns per landing table (lineage columns excluded). */
export const LANDING_TABLES = {
  customers: [
    c('customer_id', 'string', true, 'the source system id of the customer'),
    c('program_id', 'string', true, 'referral program the customer belongs to'),
    c('email', 'string', false, 'PII'),
    c('full_name', 'string', false, 'PII'),
    c('created_at', 'timestamp', true, 'account creation / sign-up time'),
    c('country', 'string', false, 'ISO 3166-1 alpha-2'),
    c('region', 'string', false, 'sales region, e.g. EMEA'),
    c('referral_code', 'string', false, "the customer's own advocate code"),
    c('referred_by_code', 'string', false, 'the referral code used at sign-up, if any'),
    c('signup_ip', 'string', false, 'PII'),
    c('signup_device_id', 'string', false, 'device fingerprint at sign-up'),
  ],
  orders: [
    c('order_id', 'string', true, 'source order id; a later row with the same id supersedes an earlier one'),
    c('customer_id', 'string', true, ''),
    c('program_id', 'string', true, ''),
    c('ordered_at', 'timestamp', true, ''),
    c('currency', 'string', true, 'ISO 4217'),
    c(
      'gross_minor',
      'int64',
      true,
      'order total before discount, tax included, in minor units (paid = gross - discount)',
    ),
    c('discount_minor', 'int64', true, ''),
    c('tax_minor', 'int64', true, ''),
    c('refunded_minor', 'int64', true, 'amount refunded so far'),
    c('refunded_at', 'timestamp', false, ''),
    c('status', 'string', true, 'paid | refunded | partially_refunded | chargeback | unpaid | canceled'),
    c('chargeback_at', 'timestamp', false, ''),
    c('referral_code', 'string', false, 'a referral code redeemed at checkout'),
    c('payment_fingerprint', 'string', false, 'card/payment-method fingerprint (fraud signals)'),
    c('region', 'string', false, ''),
    c('product_line', 'string', false, ''),
  ],
  touches: [
    c('touch_id', 'string', true, ''),
    c('program_id', 'string', true, ''),
    c('anonymous_id', 'string', true, 'cookie / device-scoped visitor id'),
    c('customer_id', 'string', false, 'set once the visitor is logged in (identity stitching key)'),
    c('occurred_at', 'timestamp', true, ''),
    c('touch_type', 'string', true, 'click | view | visit'),
    c('utm_source', 'string', false, ''),
    c('utm_medium', 'string', false, ''),
    c('utm_campaign', 'string', false, ''),
    c('utm_content', 'string', false, ''),
    c('utm_term', 'string', false, ''),
    c('referrer_url', 'string', false, ''),
    c('page_url', 'string', false, ''),
    c('device_id', 'string', false, ''),
    c('ip', 'string', false, 'PII'),
  ],
  referral_events: [
    c('event_id', 'string', true, ''),
    c('program_id', 'string', true, ''),
    c(
      'event_type',
      'string',
      true,
      'invited | clicked | signed_up | converted | activated | trial_converted (activated, trial_converted: referee_id set; trial_converted may carry the first paid order_id)',
    ),
    c('occurred_at', 'timestamp', true, ''),
    c('referral_code', 'string', true, "the advocate's code"),
    c('advocate_id', 'string', false, 'customer id of the advocate, when the source knows it'),
    c('referee_id', 'string', false, 'customer id of the referred person (signed_up, converted)'),
    c('referee_email', 'string', false, 'PII; invited events'),
    c('order_id', 'string', false, 'converted events: the qualifying order'),
    c('share_channel', 'string', false, 'email | sms | link | social | whatsapp ...'),
    c('ip', 'string', false, 'PII'),
    c('device_id', 'string', false, ''),
  ],
  survey_responses: [
    c('response_id', 'string', true, ''),
    c('program_id', 'string', true, ''),
    c('survey_id', 'string', true, ''),
    c('customer_id', 'string', false, ''),
    c('respondent_email', 'string', false, 'PII'),
    c('submitted_at', 'timestamp', true, ''),
    c('hdyhau_answer', 'string', false, '"how did you hear about us", as answered'),
    c('nps_score', 'int64', false, '0-10'),
    c('comment', 'string', false, ''),
  ],
  experiment_assignments: [
    c('experiment_id', 'string', true, ''),
    c('program_id', 'string', true, ''),
    c('variant', 'string', true, ''),
    c('unit_id', 'string', true, 'customer id of the assigned unit'),
    c('unit_type', 'string', true, 'advocate | referee | visitor'),
    c('assigned_at', 'timestamp', true, ''),
  ],
  support_interactions: [
    c('interaction_id', 'string', true, ''),
    c('program_id', 'string', true, ''),
    c('customer_id', 'string', true, ''),
    c('occurred_at', 'timestamp', true, ''),
    c('channel', 'string', false, 'chat | email | phone'),
    c('topic', 'string', false, ''),
    c('satisfaction', 'int64', false, 'CSAT 1-5'),
    c('resolved', 'bool', false, ''),
  ],
  email_events: [
    c('event_id', 'string', true, 'the provider event id, or a hash of the event when it has none'),
    c('program_id', 'string', true, ''),
    c('provider', 'string', true, 'hubspot | mailchimp | ...'),
    c('event_type', 'string', true, 'sent | delivered | opened | clicked | bounced | unsubscribed | spam_report'),
    c('occurred_at', 'timestamp', true, ''),
    c('recipient_email', 'string', true, 'PII'),
    c('customer_id', 'string', false, 'the recipient, when the provider export names a contact/customer id'),
    c('campaign_id', 'string', false, 'the email campaign / automation'),
    c('email_id', 'string', false, 'the message id, grouping the events of one send'),
    c('referral_code', 'string', false, 'the advocate code of a referral invitation email'),
    c('url', 'string', false, 'clicked link (clicked events)'),
  ],
  marketing_spend: [
    c('program_id', 'string', true, "program the spend belongs to ('all' when not program-specific)"),
    c('month', 'date', true, 'first day of the calendar month (UTC) the spend is for'),
    c('channel_group', 'string', true, "GA4 default channel group, e.g. Paid Search, or 'Referral Program'"),
    c('campaign', 'string', false, ''),
    c('region', 'string', false, ''),
    c('currency', 'string', true, 'ISO 4217'),
    c('spend_minor', 'int64', true, 'spend in minor units'),
  ],
  fx_rates: [
    c('rate_date', 'date', true, 'the day (UTC) the rate applies from, until the next rate_date of the pair'),
    c('currency', 'string', true, 'ISO 4217 code converted from'),
    c('reporting_currency', 'string', true, 'ISO 4217 code converted to'),
    c('rate', 'string', true, 'exact decimal string: units of reporting_currency per 1 unit of currency'),
  ],
} satisfies Record<string, ColumnDef[]>;

export type LandingTable = keyof typeof LANDING_TABLES;
export const LANDING_TABLE_NAMES = Object.keys(LANDING_TABLES) as LandingTable[];

/** Rows that failed validation, with the original record and why. */
export const QUARANTINE_COLUMNS: ColumnDef[] = [
  ...LINEAGE_COLUMNS,
  c('target_table', 'string', true, 'the landing table the row was meant for'),
  c('reason_code', 'string', true, 'machine-readable reason, e.g. invalid_date, negative_amount'),
  c('message', 'string', true, 'human message naming file, row, column and value'),
  c('record', 'json', true, 'the original record as JSON'),
];

/**
 * One row per landed batch (`raw.batches`): the accounting that proves read = loaded + quarantined. A batch is
 * one file, one API page or one generator run; every adapter writes this row in the batch's own transaction.
 */
export const BATCH_COLUMNS: ColumnDef[] = [
  c(
    'source',
    'string',
    true,
    'the adapter, e.g. canonical-csv, shopify, hubspot-api (and the file: canonical-csv:orders.csv)',
  ),
  c('batch_id', 'string', true, 'content hash of the file or page; the same content is never landed twice'),
  c('target_table', 'string', true, 'the landing table the batch was meant for'),
  c('file', 'string', false, 'the file name, or the API request that produced the page (without secrets)'),
  c('read', 'int64', true, 'records read from the file or page (CSV: data rows, header excluded)'),
  c('loaded', 'int64', true, 'records landed in target_table'),
  c('quarantined', 'int64', true, 'records written to raw.quarantine; read = loaded + quarantined'),
  c('started_at', 'timestamp', true, "when the batch started (UTC); equals the rows' _loaded_at"),
  c('finished_at', 'timestamp', true, 'when the batch was committed (UTC)'),
];

/**
 * The batch table of releases before `raw.batches`; `ensureLandingSchema` copies its rows into
 * `raw.batches` and drops it.
 */
const LEGACY_BATCH_TABLE = 'load_batches';

/**
 * Physical layout where the engine has one (BigQuery; DuckDB ignores it): landing tables are partitioned by load
 * day, so an incremental model or a data-quality check reads only recent partitions, and clustered by program, the
 * filter every report applies.
 */
export function landingTableOptions(table: LandingTable): TableOptions {
  const hasProgram = LANDING_TABLES[table].some((c) => c.name === 'program_id');
  return { partitionBy: 'date(_loaded_at)', ...(hasProgram ? { clusterBy: ['program_id'] } : {}) };
}

/** All columns of a landing table, lineage last. */
export function landingColumns(table: LandingTable): ColumnDef[] {
  return [...LANDING_TABLES[table], ...LINEAGE_COLUMNS];
}

/**
 * Creates the raw schema, every landing table, `quarantine` and `batches` if absent, and migrates a legacy
 * `raw.load_batches` (see `migrateLegacyBatches`). Idempotent.
 */
export async function ensureLandingSchema(wh: Warehouse, rawSchema = 'raw'): Promise<void> {
  const d = wh.dialect;
  await wh.exec(d.createSchemaIfNotExists(rawSchema));
  for (const table of LANDING_TABLE_NAMES) {
    await wh.exec(
      d.createTableIfNotExists(d.tableRef(rawSchema, table), landingColumns(table), landingTableOptions(table)),
    );
  }
  await wh.exec(
    d.createTableIfNotExists(d.tableRef(rawSchema, 'quarantine'), QUARANTINE_COLUMNS, {
      partitionBy: 'date(_loaded_at)',
      clusterBy: ['target_table', 'reason_code'],
    }),
  );
  await wh.exec(d.createTableIfNotExists(d.tableRef(rawSchema, 'batches'), BATCH_COLUMNS));
  await migrateLegacyBatches(wh, rawSchema);
}

/**
 * A warehouse created before `raw.batches` existed keeps its batch accounting in `raw.load_batches`
 * (batch_id, source, target_table, file_name, rows_read, rows_loaded, rows_quarantined, loaded_at). Its rows
 * are copied into `raw.batches` (loaded_at becomes both started_at and finished_at; batch ids already present
 * are skipped) and the old table is dropped, in one transaction, so the copy happens exactly once.
 */
export async function migrateLegacyBatches(wh: Warehouse, rawSchema = 'raw'): Promise<void> {
  if (!(await wh.tableExists(rawSchema, LEGACY_BATCH_TABLE))) return;
  const d = wh.dialect;
  const legacy = d.tableRef(rawSchema, LEGACY_BATCH_TABLE);
  const batches = d.tableRef(rawSchema, 'batches');
  const q = (name: string) => d.quoteIdent(name);
  await wh.transaction(async () => {
    await wh.exec(
      `insert into ${batches} (${BATCH_COLUMNS.map((col) => q(col.name)).join(', ')}) ` +
        `select l.source, l.batch_id, l.target_table, l.file_name, l.rows_read, l.rows_loaded, l.rows_quarantined, ` +
        `l.loaded_at, l.loaded_at from ${legacy} l ` +
        `where not exists (select 1 from ${batches} b where b.batch_id = l.batch_id)`,
    );
    await wh.exec(`drop table ${legacy}`);
  });
}
