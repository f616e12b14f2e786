/**
 * The canonical CSV layouts: one table of columns per landing table. This file is the single source of
 * truth; `LAYOUTS.md` is generated from it (`npx tsx ingest/canonical-csv/layouts-md.ts`) and a test fails
 * when the two differ or when a layout stops covering its landing table's columns.
 */
import { formatMinorUnits, minorUnitExponent } from '../currency.js';
import { LANDING_TABLES, type LandingTable } from '../landing-schema.js';
import type { Problem } from '../quarantine.js';

/** How a cell is read. Every kind trims surrounding whitespace first; an empty cell is null. */
export type ColumnKind =
  | { type: 'text' }
  /** Must be one of `config.programs` ids; may be left out of the file when the config has exactly one program. */
  | { type: 'program' }
  | { type: 'timestamp' }
  /** A calendar date YYYY-MM-DD, landed as text the warehouse casts to its date type. */
  | { type: 'date' }
  /** A positive exact decimal, landed as the text written (no float). */
  | { type: 'decimal' }
  | { type: 'int'; min?: number; max?: number }
  | { type: 'bool' }
  /** One of `values`, matched case-insensitively and landed in lower case. */
  | { type: 'enum'; values: readonly string[] }
  /** An ISO 4217 code, matched case-insensitively and landed in upper case. */
  | { type: 'currency' }
  /** A non-negative decimal in major units, converted exactly to minor units with the exponent of `currencyColumn`. */
  | { type: 'amount'; currencyColumn: string };

export interface CsvColumn {
  /** The header name in the file. */
  header: string;
  /** The landing column it fills (differs from `header` only for money: `gross_amount` -> `gross_minor`). */
  target: string;
  kind: ColumnKind;
  /** The header must name the column and every cell must be non-empty (unless `default` applies). */
  required: boolean;
  /** Used when the column is absent from the header or the cell is empty; makes the column optional. */
  default?: string;
  description: string;
}

/** A check across columns, run only when every column it reads parsed to a non-null value. */
export interface RowCheck {
  /** The landing-value keys (targets) it reads. */
  reads: readonly string[];
  /** One sentence for LAYOUTS.md. */
  doc: string;
  check(values: Readonly<Record<string, unknown>>): Problem | null;
}

export interface CsvLayout {
  table: LandingTable;
  /** Headers forming the primary key: a second row with the same key in one file is `duplicate_key`. */
  key: readonly string[];
  columns: readonly CsvColumn[];
  rowChecks: readonly RowCheck[];
}

/** Wording for landing columns the contract leaves undescribed, so every row of LAYOUTS.md says something. */
const FALLBACK_DESCRIPTIONS: Readonly<Record<string, string>> = {
  program_id: "referral program; one of the config's program ids",
  customer_id: 'customer id in the source system',
  ordered_at: 'when the order was placed',
  refunded_at: 'when the order was (last) refunded',
  chargeback_at: 'when a chargeback was opened',
  region: 'sales region, e.g. EMEA',
  product_line: 'product line',
  touch_id: 'source id of the touch',
  occurred_at: 'when it happened',
  utm_source: 'UTM source',
  utm_medium: 'UTM medium',
  utm_campaign: 'UTM campaign',
  utm_content: 'UTM content',
  utm_term: 'UTM term',
  referrer_url: 'the referring page',
  page_url: 'the landing page',
  device_id: 'device fingerprint',
  event_id: 'source id of the referral event',
  response_id: 'source id of the survey response',
  survey_id: 'which survey',
  submitted_at: 'when the response was submitted',
  comment: 'free-text answer',
  experiment_id: 'which experiment',
  variant: 'the arm the unit was assigned to, e.g. control',
  assigned_at: 'when the unit was assigned',
  interaction_id: 'source id of the support interaction',
  topic: 'what the interaction was about',
  resolved: 'whether the issue was resolved',
};

function describeTarget(table: LandingTable, target: string): string {
  const column = (LANDING_TABLES[table] as readonly { name: string; description?: string }[]).find(
    (c) => c.name === target,
  );
  if (!column) throw new Error(`canonical-csv layout ${table}: no landing column ${target}`);
  return column.description || (FALLBACK_DESCRIPTIONS[target] ?? '');
}

type ColumnOptions = { required?: boolean; default?: string; description?: string; target?: string };

/** Builds a layout's columns, taking descriptions from the landing contract unless overridden. */
function columns(
  table: LandingTable,
  specs: [header: string, kind: ColumnKind, options?: ColumnOptions][],
): CsvColumn[] {
  return specs.map(([header, kind, o = {}]) => {
    const target = o.target ?? header;
    const column: CsvColumn = {
      header,
      target,
      kind,
      required: o.required ?? false,
      description: o.description ?? describeTarget(table, target),
    };
    if (o.default !== undefined) column.default = o.default;
    return column;
  });
}

const TEXT = { type: 'text' } as const;
const TS = { type: 'timestamp' } as const;
const PROGRAM = { type: 'program' } as const;
const REQ = { required: true };
const enumOf = (...values: string[]): ColumnKind => ({ type: 'enum', values });
const amount = (target: string, description: string, optional: boolean): [string, ColumnKind, ColumnOptions] => [
  target.replace(/_minor$/, '_amount'),
  { type: 'amount', currencyColumn: 'currency' },
  optional ? { target, default: '0', description } : { target, required: true, description },
];

/** Major-unit text of a parsed minor amount, for messages. */
const major = (v: Readonly<Record<string, unknown>>, key: string): string =>
  formatMinorUnits(v[key] as bigint, minorUnitExponent(v['currency'] as string));

/** Order amounts that contradict each other; both bounds hold whether `gross` includes tax or not. */
const orderAmountChecks: RowCheck[] = [
  {
    reads: ['currency', 'gross_minor', 'discount_minor'],
    doc: '`discount_amount` must not exceed `gross_amount` (`inconsistent_amounts`).',
    check: (v) =>
      (v['discount_minor'] as bigint) > (v['gross_minor'] as bigint)
        ? {
            reason: 'inconsistent_amounts',
            text: `column discount_amount: ${major(v, 'discount_minor')} exceeds gross_amount ${major(v, 'gross_minor')}`,
          }
        : null,
  },
  {
    reads: ['currency', 'gross_minor', 'discount_minor', 'tax_minor', 'refunded_minor'],
    doc:
      '`refunded_amount` must not exceed what can have been paid, `gross_amount - discount_amount + tax_amount` ' +
      '(`inconsistent_amounts`; not checked when the discount already exceeds gross). The contract is that gross ' +
      'includes tax; this bound also admits sources that add tax on top, and stg_orders floors net at 0 for them.',
    check: (v) => {
      const [gross, discount, tax, refunded] = ['gross_minor', 'discount_minor', 'tax_minor', 'refunded_minor'].map(
        (k) => v[k] as bigint,
      ) as [bigint, bigint, bigint, bigint];
      if (discount > gross || refunded <= gross - discount + tax) return null;
      const paid = formatMinorUnits(gross - discount + tax, minorUnitExponent(v['currency'] as string));
      return {
        reason: 'inconsistent_amounts',
        text: `column refunded_amount: ${major(v, 'refunded_minor')} exceeds gross_amount - discount_amount + tax_amount = ${paid}`,
      };
    },
  },
];

/** The layouts, by landing table. */
export const CSV_LAYOUTS: Readonly<Record<LandingTable, CsvLayout>> = {
  customers: {
    table: 'customers',
    key: ['customer_id'],
    columns: columns('customers', [
      ['customer_id', TEXT, REQ],
      ['program_id', PROGRAM, REQ],
      ['email', TEXT],
      ['full_name', TEXT],
      ['created_at', TS, REQ],
      ['country', TEXT],
      ['region', TEXT],
      ['referral_code', TEXT],
      ['referred_by_code', TEXT],
      ['signup_ip', TEXT],
      ['signup_device_id', TEXT],
    ]),
    rowChecks: [],
  },
  orders: {
    table: 'orders',
    key: ['order_id'],
    columns: columns('orders', [
      ['order_id', TEXT, REQ],
      ['customer_id', TEXT, REQ],
      ['program_id', PROGRAM, REQ],
      ['ordered_at', TS, REQ],
      ['currency', { type: 'currency' }, REQ],
      amount(
        'gross_minor',
        'order total before discount, tax included (the customer paid gross - discount), in major units ("12.50")',
        false,
      ),
      amount('discount_minor', 'discount, in major units; empty or absent means 0', true),
      amount('tax_minor', 'tax, in major units; empty or absent means 0', true),
      amount('refunded_minor', 'amount refunded so far, in major units; empty or absent means 0', true),
      ['refunded_at', TS],
      ['status', enumOf('paid', 'refunded', 'partially_refunded', 'chargeback', 'unpaid', 'canceled'), REQ],
      ['chargeback_at', TS],
      ['referral_code', TEXT],
      ['payment_fingerprint', TEXT],
      ['region', TEXT],
      ['product_line', TEXT],
    ]),
    rowChecks: orderAmountChecks,
  },
  touches: {
    table: 'touches',
    key: ['touch_id'],
    columns: columns('touches', [
      ['touch_id', TEXT, REQ],
      ['program_id', PROGRAM, REQ],
      ['anonymous_id', TEXT, REQ],
      ['customer_id', TEXT],
      ['occurred_at', TS, REQ],
      ['touch_type', enumOf('click', 'view', 'visit'), REQ],
      ['utm_source', TEXT],
      ['utm_medium', TEXT],
      ['utm_campaign', TEXT],
      ['utm_content', TEXT],
      ['utm_term', TEXT],
      ['referrer_url', TEXT],
      ['page_url', TEXT],
      ['device_id', TEXT],
      ['ip', TEXT],
    ]),
    rowChecks: [],
  },
  referral_events: {
    table: 'referral_events',
    key: ['event_id'],
    columns: columns('referral_events', [
      ['event_id', TEXT, REQ],
      ['program_id', PROGRAM, REQ],
      ['event_type', enumOf('invited', 'clicked', 'signed_up', 'converted', 'activated', 'trial_converted'), REQ],
      ['occurred_at', TS, REQ],
      ['referral_code', TEXT, REQ],
      ['advocate_id', TEXT],
      ['referee_id', TEXT],
      ['referee_email', TEXT],
      ['order_id', TEXT],
      ['share_channel', TEXT],
      ['ip', TEXT],
      ['device_id', TEXT],
    ]),
    rowChecks: [],
  },
  survey_responses: {
    table: 'survey_responses',
    key: ['response_id'],
    columns: columns('survey_responses', [
      ['response_id', TEXT, REQ],
      ['program_id', PROGRAM, REQ],
      ['survey_id', TEXT, REQ],
      ['customer_id', TEXT],
      ['respondent_email', TEXT],
      ['submitted_at', TS, REQ],
      ['hdyhau_answer', TEXT],
      ['nps_score', { type: 'int', min: 0, max: 10 }],
      ['comment', TEXT],
    ]),
    rowChecks: [],
  },
  experiment_assignments: {
    table: 'experiment_assignments',
    key: ['experiment_id', 'unit_id'],
    columns: columns('experiment_assignments', [
      ['experiment_id', TEXT, REQ],
      ['program_id', PROGRAM, REQ],
      ['variant', TEXT, REQ],
      ['unit_id', TEXT, REQ],
      ['unit_type', enumOf('advocate', 'referee', 'visitor'), REQ],
      ['assigned_at', TS, REQ],
    ]),
    rowChecks: [],
  },
  support_interactions: {
    table: 'support_interactions',
    key: ['interaction_id'],
    columns: columns('support_interactions', [
      ['interaction_id', TEXT, REQ],
      ['program_id', PROGRAM, REQ],
      ['customer_id', TEXT, REQ],
      ['occurred_at', TS, REQ],
      ['channel', enumOf('chat', 'email', 'phone')],
      ['topic', TEXT],
      ['satisfaction', { type: 'int', min: 1, max: 5 }],
      ['resolved', { type: 'bool' }],
    ]),
    rowChecks: [],
  },
  email_events: {
    table: 'email_events',
    key: ['event_id'],
    columns: columns('email_events', [
      ['event_id', TEXT, REQ],
      ['program_id', PROGRAM, REQ],
      ['provider', TEXT, { default: 'csv', description: 'the email platform the events came from' }],
      ['event_type', enumOf('sent', 'delivered', 'opened', 'clicked', 'bounced', 'unsubscribed', 'spam_report'), REQ],
      ['occurred_at', TS, REQ],
      ['recipient_email', TEXT, REQ],
      ['customer_id', TEXT],
      ['campaign_id', TEXT],
      ['email_id', TEXT],
      ['referral_code', TEXT],
      ['url', TEXT],
    ]),
    rowChecks: [],
  },
  marketing_spend: {
    table: 'marketing_spend',
    // No key: an export may carry several lines for one month and channel (campaigns, ad sets); they add up.
    key: [],
    columns: columns('marketing_spend', [
      ['program_id', TEXT, { default: 'all', description: "program id, or 'all' (the default) for shared spend" }],
      ['month', { type: 'date' }, REQ],
      ['channel_group', TEXT, REQ],
      ['campaign', TEXT],
      ['region', TEXT],
      ['currency', { type: 'currency' }, REQ],
      amount('spend_minor', 'spend in major units ("1200.00")', false),
    ]),
    rowChecks: [
      {
        reads: ['month'],
        doc: '`month` must be the first day of a month (`invalid_date`).',
        check: (v) =>
          (v['month'] as Date).getUTCDate() === 1
            ? null
            : {
                reason: 'invalid_date',
                text: `column month: "${(v['month'] as Date).toISOString().slice(0, 10)}" is not the first day of a month`,
              },
      },
    ],
  },
  fx_rates: {
    table: 'fx_rates',
    key: ['rate_date', 'currency', 'reporting_currency'],
    columns: columns('fx_rates', [
      ['rate_date', { type: 'date' }, REQ],
      ['currency', { type: 'currency' }, REQ],
      ['reporting_currency', { type: 'currency' }, REQ],
      ['rate', { type: 'decimal' }, REQ],
    ]),
    rowChecks: [],
  },
};
