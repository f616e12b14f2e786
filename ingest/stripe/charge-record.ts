/**
 * The edge of the Stripe source: the documented shapes of a charges list page and of one Charge object
 * (https://docs.stripe.com/api/charges/object), and the mapping of a charge to a `raw.orders` row. A page
 * without the documented shape is an error; a charge without it is quarantined with the field and value named.
 */
import { z } from 'zod';
import { currencyExponent } from '../currency.js';
import type { RecordOutcome } from '../cursors.js';
import { zodProblems, type ReasonFor } from '../hubspot/zod-problems.js';
import { LANDING_TABLES } from '../landing-schema.js';
import type { Problem } from '../quarantine.js';
import type { StripeSettings } from './config.js';

/** A list page: `{ object: 'list', data: [...], has_more, url }`, newest charge first. */
export const chargesPageSchema = z.object({
  object: z.literal('list'),
  data: z.array(z.unknown()),
  has_more: z.boolean(),
});

const minor = () => z.number().int().min(0);

/** The fields of a Charge the mapping reads; Stripe's many others are ignored. */
export const chargeSchema = z.object({
  id: z.string().min(1),
  amount: minor(),
  amount_refunded: minor(),
  captured: z.boolean().optional(),
  /** Unix seconds. */
  created: z.number().int().positive(),
  /** Lower-case ISO 4217. */
  currency: z.string().regex(/^[a-z]{3}$/),
  /** A customer id, or the expanded Customer object. Guest charges have none and are quarantined. */
  customer: z.union([z.string().min(1), z.object({ id: z.string().min(1) })]).nullable(),
  disputed: z.boolean(),
  refunded: z.boolean(),
  status: z.enum(['succeeded', 'pending', 'failed']),
  metadata: z.record(z.string(), z.string()).optional(),
  payment_method_details: z
    .object({ card: z.object({ fingerprint: z.string().nullable().optional() }).nullable().optional() })
    .nullable()
    .optional(),
  /** Present on older API versions or when expanded: the refunds, for `refunded_at`. */
  refunds: z
    .object({ data: z.array(z.object({ created: z.number().int() })) })
    .nullable()
    .optional(),
});
export type Charge = z.infer<typeof chargeSchema>;

/**
 * Stripe's amount exponent where it differs from ISO 4217's. ISK is zero-decimal in ISO 4217 but stays
 * two-decimal in the Stripe API, amounts a multiple of 100 (Stripe support, "Deprecation of fractional ISK
 * charges and refunds", 2023); MGA has two ISO decimals but is zero-decimal in Stripe
 * (https://docs.stripe.com/currencies#zero-decimal).
 */
export const STRIPE_EXPONENT_OVERRIDES: Readonly<Record<string, number>> = { ISK: 2, MGA: 0 };

/**
 * A Stripe amount in the ISO 4217 minor units the landing contract uses, or why it cannot be one exactly.
 * @example stripeAmountToMinor(150000, 'ISK') // { ok: true, minor: 1500 }
 */
export function stripeAmountToMinor(
  amount: number,
  currency: string,
): { ok: true; minor: number } | { ok: false; problem: string } {
  const iso = currencyExponent(currency);
  if (iso === undefined) return { ok: false, problem: 'unknown currency' };
  const shift = (STRIPE_EXPONENT_OVERRIDES[currency] ?? iso) - iso;
  if (shift <= 0) return { ok: true, minor: amount * 10 ** -shift };
  const divisor = 10 ** shift;
  if (amount % divisor !== 0) return { ok: false, problem: `is not a whole number of ${currency} minor units` };
  return { ok: true, minor: amount / divisor };
}

const reasonFor: ReasonFor = (field, issue) => {
  if (field === 'amount' || field === 'amount_refunded')
    return issue.code === 'too_small' ? 'negative_amount' : 'invalid_amount';
  if (field === 'created') return 'invalid_timestamp';
  if (field === 'currency') return 'invalid_currency';
  return undefined;
};

/** The `raw.orders` status of a charge: a dispute wins, then refunds, then whether money moved at all. */
export function chargeStatus(c: Charge): string {
  if (c.status !== 'succeeded' || c.captured === false) return 'unpaid';
  if (c.disputed) return 'chargeback';
  if (c.refunded || (c.amount > 0 && c.amount_refunded >= c.amount)) return 'refunded';
  if (c.amount_refunded > 0) return 'partially_refunded';
  return 'paid';
}

/**
 * Maps one charge to `raw.orders` values (business columns in `LANDING_TABLES.orders` order), or the
 * problems that quarantine it. `where` names the page and record, e.g. `stripe charges page 2 record 7`.
 */
export function chargeToOrder(
  record: unknown,
  where: string,
  settings: StripeSettings & { programId: string },
  programIds: ReadonlySet<string>,
): RecordOutcome {
  const id = (record as { id?: unknown } | null)?.id;
  const at = typeof id === 'string' ? `${where} (id ${id})` : where;
  const parsed = chargeSchema.safeParse(record);
  if (!parsed.success) return { ok: false, problems: zodProblems(parsed.error, record, reasonFor), where: at, record };
  const c = parsed.data;
  const problems: Problem[] = [];
  const meta = c.metadata ?? {};
  const m = settings.metadata;

  const currency = c.currency.toUpperCase();
  const gross = stripeAmountToMinor(c.amount, currency);
  const refunded = stripeAmountToMinor(c.amount_refunded, currency);
  if (currencyExponent(currency) === undefined)
    problems.push({ reason: 'invalid_currency', text: `field currency: "${c.currency}" is not an ISO 4217 currency` });
  else {
    if (!gross.ok) problems.push({ reason: 'invalid_amount', text: `field amount: ${c.amount} ${gross.problem}` });
    if (!refunded.ok)
      problems.push({
        reason: 'invalid_amount',
        text: `field amount_refunded: ${c.amount_refunded} ${refunded.problem}`,
      });
  }
  if (c.amount_refunded > c.amount)
    problems.push({
      reason: 'inconsistent_amounts',
      text: `field amount_refunded: ${c.amount_refunded} is more than amount ${c.amount}`,
    });
  if (c.customer === null)
    problems.push({
      reason: 'missing_value',
      text: 'field customer: null (a guest charge has no customer to attribute)',
    });
  const program = meta[m.programId] ?? settings.programId;
  if (!programIds.has(program))
    problems.push({
      reason: 'unknown_program',
      text: `metadata ${m.programId}: "${program}" is not a program in the config (known: ${[...programIds].join(', ')})`,
    });
  if (problems.length > 0 || !gross.ok || !refunded.ok || c.customer === null)
    return { ok: false, problems, where: at, record };

  const refundTimes = (c.refunds?.data ?? []).map((r) => r.created);
  const byName: Record<string, unknown> = {
    order_id: c.id,
    customer_id: typeof c.customer === 'string' ? c.customer : c.customer.id,
    program_id: program,
    ordered_at: new Date(c.created * 1000),
    currency,
    gross_minor: gross.minor,
    discount_minor: 0,
    tax_minor: 0,
    refunded_minor: refunded.minor,
    refunded_at: refundTimes.length > 0 ? new Date(Math.max(...refundTimes) * 1000) : null,
    status: chargeStatus(c),
    chargeback_at: null,
    referral_code: meta[m.referralCode]?.trim() || null,
    payment_fingerprint: c.payment_method_details?.card?.fingerprint ?? null,
    region: m.region === undefined ? null : (meta[m.region] ?? null),
    product_line: m.productLine === undefined ? null : (meta[m.productLine] ?? null),
  };
  return { ok: true, values: LANDING_TABLES.orders.map((col) => byName[col.name] ?? null) };
}
