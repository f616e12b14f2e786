/**
 * Quarantine: rows that fail validation land in `raw.quarantine` instead of their target table, with their
 * lineage, a machine-readable reason code, a human message and the original record as JSON. Every source
 * uses the same reason codes, so `data_quality` can count them across sources.
 */
import { QUARANTINE_COLUMNS } from './landing-schema.js';

/** Every reason a row can be quarantined for, with what it means. */
export const REASON_CODES = {
  malformed_row: 'the record has a different number of fields than the header',
  missing_value: 'a required value is empty',
  unknown_program: 'program_id is not one of the programs in the config',
  invalid_timestamp: 'not an accepted timestamp form, or an impossible date or time',
  invalid_number: 'not a whole number',
  out_of_range: 'a number outside its allowed range (NPS 0-10, satisfaction 1-5)',
  invalid_boolean: 'not one of true/false, yes/no, 1/0',
  invalid_enum: 'not one of the allowed values of the column',
  invalid_currency: 'not an ISO 4217 currency code with a minor unit',
  invalid_amount: 'not a plain decimal, too many decimals for the currency, or too large',
  negative_amount: 'an amount below zero',
  inconsistent_amounts: 'amounts that contradict each other (a discount above gross, a refund above what was paid)',
  duplicate_key: 'the same primary key appeared earlier in the same batch',
  inconsistent_rows:
    'the rows of one record spanning several rows (a Shopify order, one row per line item) disagree on a record-level field',
  invalid_date: 'not a calendar date YYYY-MM-DD, or an impossible date',
  invalid_decimal: 'not a positive exact decimal (digits, optional point, no exponent or separators)',
  invalid_json: 'a line of a JSON-lines file that is not a JSON object (truncated, unparseable or not UTF-8)',
} as const;

export type ReasonCode = keyof typeof REASON_CODES;

/** One problem found in a record. `text` is the complete clause, e.g. `column gross_amount: "-1" is negative`. */
export interface Problem {
  reason: ReasonCode;
  text: string;
}

/** Where a batch came from; stamped on every landing and quarantine row of the batch. */
export interface Lineage {
  source: string;
  batchId: string;
  loadedAt: Date;
}

/**
 * Builds one `raw.quarantine` row (values in `QUARANTINE_COLUMNS` order). The reason code is the
 * first problem's; the message is `<where>: <every problem, joined by "; ">`, so a row with several problems
 * is quarantined once and still says everything that is wrong with it.
 *
 * @example quarantineRow(lineage, 3, 'orders', 'orders.csv row 3', [{ reason: 'negative_amount', text: 'column gross_amount: "-12.00" is negative' }], { gross_amount: '-12.00' })
 */
export function quarantineRow(
  lineage: Lineage,
  rowNumber: number,
  targetTable: string,
  where: string,
  problems: readonly Problem[],
  record: unknown,
): unknown[] {
  const first = problems[0];
  if (!first) throw new Error(`${where}: a quarantined row needs at least one problem`);
  const message = `${where}: ${problems.map((p) => p.text).join('; ')}`;
  const byName: Record<string, unknown> = {
    _source: lineage.source,
    _batch_id: lineage.batchId,
    _row_number: rowNumber,
    _loaded_at: lineage.loadedAt,
    target_table: targetTable,
    reason_code: first.reason,
    message,
    record: JSON.stringify(record),
  };
  return QUARANTINE_COLUMNS.map((c) => byName[c.name] ?? null);
}
