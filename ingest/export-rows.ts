/**
 * The per-row steps every one-row-per-record vendor export mapper shares (HubSpot and Salesforce contacts,
 * Stripe payments, Typeform and SurveyMonkey responses, email events; Shopify orders for the cells): the
 * quarantine of a row under one `where` label, the refusal of a row whose field count differs from the
 * header's, the duplicate-key check within one file, and the cells several vendors read the same way (a
 * required time, an enumerated status, an ISO 4217 currency). Messages are part of the contract (tests and
 * users match them), so each helper states its exact text. The vendor knowledge stays in each mapper.
 */
import { currencyExponent } from './currency.js';
import { rowRecord, type MappedRecord } from './file-source.js';
import type { ParseResult } from './parse-values.js';
import type { Problem, ReasonCode } from './quarantine.js';

/** How one data row starts: the `reject` that quarantines it, and the rejection it already earned, if any. */
export interface RowStart {
  /** Quarantines the row with these problems, under `where` and with the row's record (header name -> cell). */
  reject(problems: Problem[]): MappedRecord;
  /** The `malformed_row` rejection when the row has not as many fields as the header, else null. */
  malformed: MappedRecord | null;
}

/**
 * Starts mapping one data row. `where` names the row in quarantine messages (file, row number and the row's
 * id when it has one). A row with more or fewer fields than the header is malformed and must be rejected
 * as `malformed` says before any cell is judged.
 *
 * @example
 * const row = startRow(header, rowNumber, f, `${fileName} row ${rowNumber}`);
 * if (row.malformed) return row.malformed;
 */
export function startRow(header: readonly string[], rowNumber: number, f: readonly string[], where: string): RowStart {
  const reject = (problems: Problem[]): MappedRecord => ({
    ok: false,
    rowNumber,
    where,
    problems,
    record: rowRecord(header, f),
  });
  const malformed =
    f.length === header.length
      ? null
      : reject([
          {
            reason: 'malformed_row',
            text: `has ${f.length} fields, expected ${header.length} (as many as the header)`,
          },
        ]);
  return { reject, malformed };
}

/**
 * The keys seen so far in one file, for the `duplicate_key` check: a key's first row keeps it and every
 * later row with the same key is a repeat of that first row.
 */
export class SeenKeys {
  private readonly first = new Map<string, number>();

  /** The row number that first had `key` when this row repeats it; otherwise records `rowNumber` and gives undefined. */
  repeatOf(key: string, rowNumber: number): number | undefined {
    const first = this.first.get(key);
    if (first === undefined) this.first.set(key, rowNumber);
    return first;
  }
}

/**
 * Parses a REQUIRED time cell with the vendor's own reader (`parse`: locale dates, wall-clock times). An
 * empty cell pushes `column <column>: missing value`, an unreadable one `column <column>: "<text>" <problem>`
 * with the reader's reason; both give null, so a null means the row is quarantined.
 */
export function requiredTimeCell<R extends ReasonCode>(
  text: string,
  column: string,
  parse: (text: string) => ParseResult<Date, R>,
  problems: Problem[],
): Date | null {
  if (text === '') {
    problems.push({ reason: 'missing_value', text: `column ${column}: missing value` });
    return null;
  }
  const r = parse(text);
  if (r.ok) return r.value;
  problems.push({ reason: r.reason, text: `column ${column}: "${text}" ${r.problem}` });
  return null;
}

/**
 * Looks up an enumerated cell (matched lower-cased) in `values` (export value -> landed value). An empty cell
 * pushes `column <column>: missing value`, an unknown one `invalid_enum` listing the accepted values; both
 * give undefined.
 *
 * @example enumCell('Paid', 'Financial Status', { paid: 'paid' }, problems) // 'paid'
 */
export function enumCell(
  text: string,
  column: string,
  values: Readonly<Record<string, string>>,
  problems: Problem[],
): string | undefined {
  const value = values[text.toLowerCase()];
  if (value === undefined)
    problems.push(
      text === ''
        ? { reason: 'missing_value', text: `column ${column}: missing value` }
        : {
            reason: 'invalid_enum',
            text: `column ${column}: "${text}" is not one of ${Object.keys(values).join(', ')}`,
          },
    );
  return value;
}

/**
 * Reads a currency cell: the code upper-cased and its ISO 4217 exponent. An empty cell pushes `column
 * <column>: missing value`, an unknown code `invalid_currency`; the exponent is then undefined and no amount
 * of the row can be read.
 *
 * @example currencyCell('usd', 'Currency', problems) // { currency: 'USD', exponent: 2 }
 */
export function currencyCell(
  text: string,
  column: string,
  problems: Problem[],
): { currency: string; exponent: number | undefined } {
  const currency = text.toUpperCase();
  const exponent = currencyExponent(currency);
  if (exponent === undefined)
    problems.push(
      currency === ''
        ? { reason: 'missing_value', text: `column ${column}: missing value` }
        : { reason: 'invalid_currency', text: `column ${column}: "${text}" is not an ISO 4217 currency code` },
    );
  return { currency, exponent };
}
