/**
 * Literal landing rows for the reward tests: advocates with codes, referees who signed up with a code, and their
 * first orders. Helpers keep each test's rows short; every amount is stated in the test that uses it.
 */
import type { RefstackConfig } from '../../../../src/config.js';
import { ModelRegistry } from '../../../../src/models/registry.js';
import { runModels } from '../../../../src/models/runner.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { defaultRegistry } from '../../../../models/index.js';
import { rewardsConfigSchema, type RewardsConfig } from '../../../../models/marts/rewards/config-schema.js';
import { land, testConfig } from '../../../helpers/landing.js';

export interface Referee {
  id: string;
  /** The advocate's code. */
  code: string;
  signedUp: string;
  order?: {
    id: string;
    at: string;
    currency?: string;
    gross: number;
    discount?: number;
    tax?: number;
    status?: string;
    refunded?: number;
    refundedAt?: string;
    chargebackAt?: string;
  };
}

/** Advocates A1 (code ALICE), A2 (BOB), A3 (CAROL); a non-referred N1 whose 2025-06-30 order ends the data. */
export async function landReferrals(wh: Warehouse, referees: Referee[]): Promise<void> {
  await land(wh, 'customers', [
    { customer_id: 'A1', created_at: '2024-12-01', referral_code: 'ALICE' },
    { customer_id: 'A2', created_at: '2024-12-01', referral_code: 'BOB' },
    { customer_id: 'A3', created_at: '2024-12-01', referral_code: 'CAROL' },
    { customer_id: 'N1', created_at: '2025-01-01' },
    ...referees.map((r) => ({ customer_id: r.id, created_at: r.signedUp, referred_by_code: r.code })),
  ]);
  await land(wh, 'orders', [
    {
      order_id: 'O-END',
      customer_id: 'N1',
      ordered_at: '2025-06-30T00:00:00Z',
      currency: 'USD',
      gross_minor: 500,
      discount_minor: 0,
      tax_minor: 0,
      refunded_minor: 0,
      status: 'paid',
    },
    ...referees.flatMap(({ id, order: o }) =>
      o
        ? [
            {
              order_id: o.id,
              customer_id: id,
              ordered_at: o.at,
              currency: o.currency ?? 'USD',
              gross_minor: o.gross,
              discount_minor: o.discount ?? 0,
              tax_minor: o.tax ?? 0,
              refunded_minor: o.refunded ?? 0,
              refunded_at: o.refundedAt,
              chargeback_at: o.chargebackAt,
              status: o.status ?? 'paid',
            },
          ]
        : [],
    ),
  ]);
}

/** The test config (USD reporting, EUR at 1.08, program "friends") with a `rewards` section. */
export function rewardsTestConfig(rewards: unknown): RefstackConfig {
  const parsed: RewardsConfig = rewardsConfigSchema.parse(rewards);
  return { ...testConfig(), rewards: { tiers: [], ...parsed } } as unknown as RefstackConfig;
}

export const registry = (): ModelRegistry => defaultRegistry();

export interface LedgerRow {
  referee_id: string;
  beneficiary_role: string;
  rule_version: number;
  entry_type: string;
  amount_minor: number;
  held_delta_minor: number;
  approved_delta_minor: number;
  reason_code: string;
  decided_at: string;
  reason: string;
}

/** Builds the ledger and liability, then reads the ledger in a fixed order with ISO timestamps. */
export async function ledger(wh: Warehouse, config: RefstackConfig): Promise<LedgerRow[]> {
  await runModels({ wh, config, registry: registry(), select: ['reward_liability'] });
  const rows = await wh.query<LedgerRow & { decided_at: Date }>(`
    select referee_id, beneficiary_role, rule_version, entry_type, amount_minor, held_delta_minor,
      approved_delta_minor, reason_code, decided_at, reason
    from reward_ledger order by referee_id, beneficiary_role, decided_at, entry_type`);
  return rows.map((r) => ({ ...r, decided_at: r.decided_at.toISOString() }));
}

/** A compact view: [referee, role, entry type, amount, decided_at date]. */
export const brief = (rows: LedgerRow[]): [string, string, string, number, string][] =>
  rows.map((r) => [r.referee_id, r.beneficiary_role, r.entry_type, r.amount_minor, r.decided_at.slice(0, 16)]);
