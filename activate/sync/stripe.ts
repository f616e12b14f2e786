/**
 * Stripe: approved cash rewards (or, with `basis: 'payout'`, payout entries) become customer balance credits (`POST /v1/customers/{id}/balance_transactions`,
 * form-encoded, `amount` negative = a credit applied to the next invoice), one request per ledger entry with
 * `Idempotency-Key` = the ledger entry id, so even a retried or repeated request credits once. Beneficiaries whose
 * customer id does not match `customerIdPattern` (default `^cus_`) are not Stripe customers and are skipped.
 */
import type { RefstackConfig } from '../../src/config.js';
import { HttpError, type HttpClient } from '../../src/http/index.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import type { RecordOutcome, SyncRecord, SyncTarget } from './run-sync.js';

export const STRIPE_TARGET = 'stripe_balance';

export interface StripeCredit {
  customer: string;
  /** Negative minor units: a credit. */
  amount: number;
  /** Lower-case ISO code, as Stripe wants it. */
  currency: string;
  description: string;
  referral_id: string;
}

/**
 * Cash ledger entries as credits: `approved` entries (approved_delta_minor) or `payout` entries (paid_delta_minor);
 * `skipped` counts beneficiaries that are not Stripe customer ids.
 */
export async function stripeCredits(
  wh: Warehouse,
  config: RefstackConfig,
  customerIdPattern: string,
  basis: 'approved' | 'payout' = 'approved',
): Promise<{ records: SyncRecord<StripeCredit>[]; skipped: number }> {
  const d = wh.dialect;
  const schema = config.schemas.analytics;
  if (!(await wh.tableExists(schema, 'reward_ledger')))
    throw new Error(`sync stripe needs ${schema}.reward_ledger: run \`refstack run\` first`);
  const pattern = new RegExp(customerIdPattern);
  const amount = basis === 'approved' ? 'approved_delta_minor' : 'paid_delta_minor';
  const rows = await wh.query<{
    ledger_entry_id: string;
    beneficiary_id: string;
    referral_id: string;
    amount: number;
    currency: string;
  }>(`
    select ledger_entry_id, beneficiary_id, referral_id, ${amount} as amount, currency
    from ${d.tableRef(schema, 'reward_ledger')}
    where entry_type = ${d.stringLiteral(basis)} and reward_kind = 'cash' and ${amount} > 0
    order by decided_at, ledger_entry_id`);
  const records = rows
    .filter((r) => pattern.test(r.beneficiary_id))
    .map((r) => ({
      objectId: r.ledger_entry_id,
      payload: {
        customer: r.beneficiary_id,
        amount: -r.amount,
        currency: r.currency.toLowerCase(),
        description: `Referral reward (refstack ledger entry ${r.ledger_entry_id})`,
        referral_id: r.referral_id,
      },
    }));
  return { records, skipped: rows.length - records.length };
}

export function stripeTarget(http: HttpClient): SyncTarget<StripeCredit> {
  return {
    name: STRIPE_TARGET,
    batchSize: 1,
    async sendBatch(batch: SyncRecord<StripeCredit>[]): Promise<RecordOutcome[]> {
      const out: RecordOutcome[] = [];
      for (const r of batch) {
        try {
          const { data } = await http.json<{ id?: string }>({
            method: 'POST',
            path: `/v1/customers/${encodeURIComponent(r.payload.customer)}/balance_transactions`,
            headers: { 'Idempotency-Key': r.objectId },
            form: {
              amount: String(r.payload.amount),
              currency: r.payload.currency,
              description: r.payload.description,
              'metadata[ledger_entry_id]': r.objectId,
              'metadata[referral_id]': r.payload.referral_id,
            },
          });
          out.push({
            objectId: r.objectId,
            ok: true,
            summary: `credited ${data.id ?? ''}`.trim(),
            remoteId: data.id ?? null,
          });
        } catch (err) {
          if (!(err instanceof HttpError)) throw err;
          out.push({ objectId: r.objectId, ok: false, summary: err.message });
        }
      }
      return out;
    },
  };
}
