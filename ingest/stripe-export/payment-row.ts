/**
 * The Stripe Dashboard payments export (Payments -> Export, "all columns") mapped onto `raw.orders`, one
 * row per payment. Columns are matched by name, so the default and the "all columns" exports both work;
 * metadata arrives as one column per key, headed `<key> (metadata)`.
 *
 * Amounts are MAJOR units with decimals ("12.50", "1500.00" ISK) and are converted with the ISO 4217
 * exponent. Stripe's own ISK/MGA exponents (`STRIPE_EXPONENT_OVERRIDES`) apply only to the API's integer
 * amounts: a major-unit figure means the same in both conventions, so no override is needed here.
 * Thousands separators ("1,234.56") are accepted only in the exact 3-digit grouping.
 */
import {
  amountCell,
  cell,
  indexColumns,
  timestampCell,
  type CsvRecordMapper,
  type MappedRecord,
} from '../file-source.js';
import { currencyCell, enumCell, SeenKeys, startRow } from '../export-rows.js';
import { LANDING_TABLES } from '../landing-schema.js';
import type { Problem } from '../quarantine.js';
import type { StripeExportSettings } from './config.js';

/** Export `Status` values and the `raw.orders.status` each starts from (refunds and disputes refine it). */
export const STRIPE_EXPORT_STATUS: Readonly<Record<string, string>> = {
  paid: 'paid',
  succeeded: 'paid',
  refunded: 'refunded',
  'partially refunded': 'partially_refunded',
  partially_refunded: 'partially_refunded',
  disputed: 'chargeback',
  pending: 'unpaid',
  uncaptured: 'unpaid',
  incomplete: 'unpaid',
  failed: 'unpaid',
  blocked: 'unpaid',
  canceled: 'canceled',
};

const COLUMNS = {
  id: { name: 'id', required: true },
  created: { name: 'Created (UTC)', required: true },
  amount: { name: 'Amount', required: true },
  amountRefunded: { name: 'Amount Refunded', required: true },
  currency: { name: 'Currency', required: true },
  status: { name: 'Status', required: true },
  customerId: { name: 'Customer ID', required: true },
  captured: { name: 'Captured', required: false },
  fingerprint: { name: 'Card Fingerprint', required: false },
  disputeStatus: { name: 'Dispute Status', required: false },
  disputeDate: { name: 'Dispute Date (UTC)', required: false },
  refundedDate: { name: 'Refunded date (UTC)', required: false },
} as const;

/** Strips thousands separators in exact groups of three ("1,234.56" -> "1234.56"); anything else is left alone. */
function ungroup(text: string): string {
  return /^\d{1,3}(,\d{3})+(\.\d+)?$/.test(text) ? text.replaceAll(',', '') : text;
}

/** Builds the mapper for one export file; throws `FileSourceError` for a header that is not a payments export. */
export function stripePaymentsMapper(
  fileName: string,
  header: string[],
  settings: StripeExportSettings,
  programIds: ReadonlySet<string>,
): CsvRecordMapper {
  const at = indexColumns(fileName, 'Stripe payments export', header, COLUMNS);
  const m = settings.metadata;
  const meta = indexColumns(fileName, 'Stripe payments export', header, {
    referralCode: { name: `${m.referralCode} (metadata)`, required: false },
    programId: { name: `${m.programId} (metadata)`, required: false },
    region: { name: m.region === undefined ? '' : `${m.region} (metadata)`, required: false },
    productLine: { name: m.productLine === undefined ? '' : `${m.productLine} (metadata)`, required: false },
  });
  const seen = new SeenKeys();

  const map = (rowNumber: number, f: readonly string[]): MappedRecord => {
    const get = (k: keyof typeof COLUMNS) => cell(f, at[k]);
    const id = get('id');
    const row = startRow(header, rowNumber, f, `${fileName} row ${rowNumber}${id ? ` (id ${id})` : ''}`);
    if (row.malformed) return row.malformed;
    const problems: Problem[] = [];
    if (id === '') problems.push({ reason: 'missing_value', text: 'column id: missing value' });
    const orderedAt = timestampCell(get('created'), 'Created (UTC)', true, problems);
    const { currency, exponent } = currencyCell(get('currency'), 'Currency', problems);
    if (get('amount') === '') problems.push({ reason: 'missing_value', text: 'column Amount: missing value' });
    const amount = (k: 'amount' | 'amountRefunded') =>
      exponent === undefined ? null : amountCell(ungroup(get(k)), COLUMNS[k].name, exponent, currency, problems);
    const gross = amount('amount');
    const refunded = amount('amountRefunded');
    if (gross !== null && refunded !== null && refunded > gross)
      problems.push({
        reason: 'inconsistent_amounts',
        text: `column Amount Refunded: "${get('amountRefunded')}" exceeds Amount "${get('amount')}"`,
      });
    let status = enumCell(get('status'), 'Status', STRIPE_EXPORT_STATUS, problems);
    const customer = get('customerId');
    if (customer === '')
      problems.push({
        reason: 'missing_value',
        text: 'column Customer ID: missing value (a guest payment has no customer to attribute)',
      });
    const program = cell(f, meta.programId) || settings.programId;
    if (!programIds.has(program))
      problems.push({
        reason: 'unknown_program',
        text: `column ${m.programId} (metadata): "${program}" is not a program in the config (known: ${[...programIds].join(', ')})`,
      });
    const refundedAt = timestampCell(get('refundedDate'), 'Refunded date (UTC)', false, problems);
    const disputeAt = timestampCell(get('disputeDate'), 'Dispute Date (UTC)', false, problems);
    const first = id === '' ? undefined : seen.repeatOf(id, rowNumber);
    if (first !== undefined)
      problems.push({ reason: 'duplicate_key', text: `column id: "${id}" repeats the payment of row ${first}` });
    if (problems.length > 0 || gross === null || refunded === null || status === undefined) return row.reject(problems);

    // Money that never moved is unpaid whatever else is said; then a lost or open dispute, then refunds.
    const dispute = get('disputeStatus').toLowerCase();
    if (get('captured').toLowerCase() === 'false') status = 'unpaid';
    else if (status === 'paid' || status === 'refunded' || status === 'partially_refunded') {
      if (dispute !== '' && dispute !== 'won' && dispute !== 'warning_closed') status = 'chargeback';
      else if (refunded > 0n) status = refunded >= gross ? 'refunded' : 'partially_refunded';
    }
    const byName: Record<string, unknown> = {
      order_id: id,
      customer_id: customer,
      program_id: program,
      ordered_at: orderedAt,
      currency,
      gross_minor: gross,
      discount_minor: 0n,
      tax_minor: 0n,
      refunded_minor: refunded,
      refunded_at: refundedAt,
      status,
      chargeback_at: status === 'chargeback' ? disputeAt : null,
      referral_code: cell(f, meta.referralCode) || null,
      payment_fingerprint: get('fingerprint') || null,
      region: m.region === undefined ? null : cell(f, meta.region) || null,
      product_line: m.productLine === undefined ? null : cell(f, meta.productLine) || null,
    };
    return { ok: true, rowNumber, values: LANDING_TABLES.orders.map((c) => byName[c.name] ?? null) };
  };

  return { push: (rowNumber, fields) => [map(rowNumber, fields)], end: () => [] };
}
