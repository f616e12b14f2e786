/**
 * The Shopify admin orders export (Orders -> Export -> CSV) mapped onto `raw.orders`.
 *
 * The export has one row per line item: an order spans consecutive rows sharing its `Name` (#1001), and the
 * order-level fields (Email, Financial Status, Currency, Subtotal, Shipping, Taxes, Total, Discount Code,
 * Discount Amount, Created at, Refunded Amount, Id) are filled on the order's first row only. So one
 * RECORD here is one order: `read` counts orders, `_row_number` is the CSV data row of the order's first
 * row, and a quarantined order names all its rows and keeps all of them in its record. A later row that
 * repeats an order-level field with a different value quarantines the whole order (`inconsistent_rows`).
 *
 * Amounts (documented choice): Shopify's Subtotal is after discounts and Total = Subtotal + Shipping +
 * Taxes (tax-inclusive shops: Taxes already inside). The landing row takes `gross` = Total + Discount
 * Amount (what the order came to before its discount, shipping and tax included), `discount` = Discount
 * Amount, `tax` = Taxes, `refunded` = Refunded Amount, so stg_orders' net (gross - discount - tax - refunded)
 * is Total - Taxes - Refunded Amount: merchandise plus shipping actually kept.
 *
 * `customer_id` (documented choice): the export carries no customer id, so it is the customer's email,
 * trimmed and lower-cased (the same normalization stg_identity_map uses to link emails).
 */
import {
  amountCell,
  cell,
  indexColumns,
  rowRecord,
  timestampCell,
  type CsvRecordMapper,
  type MappedRecord,
} from '../file-source.js';
import { currencyCell, enumCell } from '../export-rows.js';
import { LANDING_TABLES } from '../landing-schema.js';
import type { Problem } from '../quarantine.js';
import type { ShopifySettings } from './config.js';

/** Shopify's Financial Status values and the `raw.orders.status` each lands as. */
export const SHOPIFY_FINANCIAL_STATUS: Readonly<Record<string, string>> = {
  paid: 'paid',
  refunded: 'refunded',
  partially_refunded: 'partially_refunded',
  pending: 'unpaid',
  authorized: 'unpaid',
  partially_paid: 'unpaid',
  unpaid: 'unpaid',
  voided: 'canceled',
  expired: 'canceled',
};

const COLUMNS = {
  name: { name: 'Name', required: true },
  email: { name: 'Email', required: true },
  financialStatus: { name: 'Financial Status', required: true },
  currency: { name: 'Currency', required: true },
  taxes: { name: 'Taxes', required: true },
  total: { name: 'Total', required: true },
  discountCode: { name: 'Discount Code', required: false },
  discountAmount: { name: 'Discount Amount', required: false },
  createdAt: { name: 'Created at', required: true },
  refundedAmount: { name: 'Refunded Amount', required: false },
  id: { name: 'Id', required: false },
  subtotal: { name: 'Subtotal', required: false },
  shipping: { name: 'Shipping', required: false },
} as const;
type Key = keyof typeof COLUMNS;

/** Order-level columns: filled on the first row; a later row may leave them empty or repeat them, never differ. */
const ORDER_LEVEL: readonly Key[] = [
  'email',
  'financialStatus',
  'currency',
  'subtotal',
  'shipping',
  'taxes',
  'total',
  'discountCode',
  'discountAmount',
  'createdAt',
  'refundedAmount',
  'id',
];

interface Group {
  name: string;
  rows: { rowNumber: number; fields: readonly string[] }[];
  problems: Problem[];
}

/** Builds the mapper for one export file from its header; throws `FileSourceError` for a non-Shopify header. */
export function shopifyOrdersMapper(fileName: string, header: string[], settings: ShopifySettings): CsvRecordMapper {
  const at = indexColumns(fileName, 'Shopify orders export', header, COLUMNS);
  const extra = indexColumns(fileName, 'Shopify orders export', header, {
    region: { name: settings.regionColumn ?? '', required: settings.regionColumn !== undefined },
    productLine: { name: settings.productLineColumn ?? '', required: settings.productLineColumn !== undefined },
  });
  const referral = new RegExp(settings.referralCodePattern, 'i');
  const seen = new Map<string, number>();
  let current: Group | null = null;

  const where = (g: Group) => {
    const nums = g.rows.map((r) => r.rowNumber);
    const rows = nums.length === 1 ? `row ${nums[0]}` : `rows ${nums.join(', ')}`;
    return `${fileName} ${rows}${g.name ? ` (order ${g.name})` : ''}`;
  };
  const record = (g: Group) =>
    g.rows.length === 1
      ? rowRecord(header, g.rows[0]!.fields)
      : g.rows.map((r) => ({ row: r.rowNumber, fields: rowRecord(header, r.fields) }));

  const finish = (g: Group): MappedRecord => {
    const first = g.rows[0]!;
    const problems = [...g.problems];
    const f = first.fields;
    const get = (k: Key) => cell(f, at[k]);
    if (g.name !== '' && !g.problems.some((p) => p.reason === 'malformed_row' && g.rows.length === 1)) {
      const earlier = seen.get(g.name);
      if (earlier !== undefined)
        problems.push({
          reason: 'duplicate_key',
          text: `column Name: "${g.name}" repeats the order of row ${earlier}`,
        });
      else seen.set(g.name, first.rowNumber);
    }
    const values = problems.length === 0 ? mapOrder(get, problems, f) : null;
    if (problems.length > 0 || values === null)
      return { ok: false, rowNumber: first.rowNumber, where: where(g), problems, record: record(g) };
    return { ok: true, rowNumber: first.rowNumber, values };
  };

  const mapOrder = (get: (k: Key) => string, problems: Problem[], f: readonly string[]): unknown[] | null => {
    const email = get('email').toLowerCase();
    if (email === '')
      problems.push({
        reason: 'missing_value',
        text: 'column Email: missing value (the export has no customer id; orders are keyed to customers by email)',
      });
    const status = enumCell(get('financialStatus'), 'Financial Status', SHOPIFY_FINANCIAL_STATUS, problems);
    const { currency, exponent } = currencyCell(get('currency'), 'Currency', problems);
    const orderedAt = timestampCell(get('createdAt'), 'Created at', true, problems);
    if (get('total') === '') problems.push({ reason: 'missing_value', text: 'column Total: missing value' });
    const exp = exponent ?? 0;
    const amount = (k: Key) =>
      exponent === undefined ? null : amountCell(get(k), COLUMNS[k].name, exp, currency, problems);
    const total = amount('total');
    const discount = amount('discountAmount');
    const tax = amount('taxes');
    const refunded = amount('refundedAmount');
    if (total !== null && refunded !== null && refunded > total)
      problems.push({
        reason: 'inconsistent_amounts',
        text: `column Refunded Amount: "${get('refundedAmount')}" exceeds Total "${get('total')}"`,
      });
    const orderId = settings.orderId === 'id' && get('id') !== '' ? get('id') : get('name');
    if (problems.length > 0 || total === null || discount === null || tax === null || refunded === null) return null;
    const codes = get('discountCode')
      .split(',')
      .map((c) => c.trim())
      .filter((c) => c !== '');
    const byName: Record<string, unknown> = {
      order_id: orderId,
      customer_id: email,
      program_id: settings.programId,
      ordered_at: orderedAt,
      currency,
      gross_minor: total + discount,
      discount_minor: discount,
      tax_minor: tax,
      refunded_minor: refunded,
      status,
      referral_code: codes.find((c) => referral.test(c)) ?? null,
      region: cell(f, extra.region) || null,
      product_line: cell(f, extra.productLine) || null,
    };
    return LANDING_TABLES.orders.map((c) => byName[c.name] ?? null);
  };

  const close = (): MappedRecord[] => {
    if (current === null) return [];
    const out = finish(current);
    current = null;
    return [out];
  };

  return {
    push(rowNumber, fields) {
      const name = cell(fields, at.name);
      const malformed = fields.length !== header.length;
      const out: MappedRecord[] = [];
      if (current !== null && name !== '' && name === current.name) {
        current.rows.push({ rowNumber, fields });
        if (malformed)
          current.problems.push({
            reason: 'malformed_row',
            text: `row ${rowNumber} has ${fields.length} fields, expected ${header.length} (as many as the header)`,
          });
        else
          for (const k of ORDER_LEVEL) {
            const v = cell(fields, at[k]);
            const firstValue = cell(current.rows[0]!.fields, at[k]);
            if (v !== '' && v !== firstValue)
              current.problems.push({
                reason: 'inconsistent_rows',
                text: `row ${rowNumber} column ${COLUMNS[k].name}: "${v}" differs from the order's first row ("${firstValue}")`,
              });
          }
        return out;
      }
      out.push(...close());
      current = { name, rows: [{ rowNumber, fields }], problems: [] };
      if (malformed)
        current.problems.push({
          reason: 'malformed_row',
          text: `has ${fields.length} fields, expected ${header.length} (as many as the header)`,
        });
      else if (name === '') current.problems.push({ reason: 'missing_value', text: 'column Name: missing value' });
      if (name === '' || malformed) out.push(...close());
      return out;
    },
    end: close,
  };
}
