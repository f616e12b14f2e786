/**
 * Literal landing rows for the reward tests: advocates with codes, referees who signed up with a code, and their
 * first orders. Helpers keep each test's rows short; every amount is stated in the test that uses it.
 */
import type { RefstackConfig } from '../../../../src/config.js';
import { defineModel, type ModelDefinition } from '../../../../src/models/define-model.js';
import { ModelRegistry } from '../../../../src/models/registry.js';
import { runModels } from '../../../../src/models/runner.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { MODELS } from '../../../../models/index.js';
import { reviewQueue } from '../../../../models/marts/fraud/review-queue.js';
import { REWARD_MARTS } from '../../../../models/marts/rewards/index.js';
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

/**
 * The rule set most reward tests start from: "friends-cash" version 1, effective 2025-01-01 for program
 * "friends", a purchase qualifies, 1000 cents (10.00 USD) to the advocate, holding 30 days, clawback window 60
 * days. `over` replaces or adds top-level fields (each test states what it changes).
 */
export const friendsCashRule = (over: Record<string, unknown> = {}) => ({
  id: 'friends-cash',
  version: 1,
  effectiveFrom: '2025-01-01',
  programIds: ['friends'],
  qualifyingEvent: { type: 'purchase' },
  advocateReward: { type: 'fixed', amountMinor: 1000, currency: 'USD' },
  holdingDays: 30,
  clawbackDays: 60,
  ...over,
});

/** The test config (USD reporting, EUR at 1.08, program "friends") with a `rewards` section. */
export function rewardsTestConfig(rewards: unknown): RefstackConfig {
  const parsed: RewardsConfig = rewardsConfigSchema.parse(rewards);
  return { ...testConfig(), rewards: { tiers: [], ...parsed } } as unknown as RefstackConfig;
}

/**
 * A test stand-in review_queue with the contract columns and no rows: literal-row reward tests judge rewards
 * without fraud rules (which other work tunes) deciding what is held; the review tests and the demo use the real
 * queue (`registry({ realReviewQueue: true })`) or their own stand-in.
 */
export const emptyReviewQueue = defineModel({
  name: 'review_queue',
  grain: 'test stand-in: no queued referrals',
  dependsOn: ['stg_referrals'],
  build: ({ d, ref }) => `
    select referral_id, program_id, advocate_id, referee_id, ${d.cast('null', 'string')} as queue_reasons,
      ${d.cast('null', 'float64')} as fraud_score, ${d.cast('null', 'int64')} as order_base_minor,
      ${d.cast('null', 'string')} as currency, ${d.cast('null', 'timestamp')} as queued_at,
      ${d.cast('null', 'string')} as status, ${d.cast('null', 'string')} as decided_by,
      ${d.cast('null', 'timestamp')} as decided_at, ${d.cast('null', 'string')} as note
    from ${ref('stg_referrals')} where 1 = 0`,
});

/**
 * The reward marts and every model they depend on (transitively), taking review_queue and the reward marts from
 * their files when models/index.ts does not register them (yet). Only that closure, so a model elsewhere that is
 * mid-change cannot break these tests. review_queue is `emptyReviewQueue` unless `realReviewQueue`; `replace`
 * swaps in other test stand-ins by name.
 */
export const registry = (
  replace: ModelDefinition[] = [],
  options: { realReviewQueue?: boolean } = {},
): ModelRegistry => {
  const byName = new Map<string, ModelDefinition>(MODELS.map((m) => [m.name, m]));
  for (const m of [reviewQueue, ...REWARD_MARTS]) if (!byName.has(m.name)) byName.set(m.name, m);
  if (!options.realReviewQueue) byName.set('review_queue', emptyReviewQueue);
  for (const m of replace) byName.set(m.name, m);
  const needed = new Set<string>();
  const visit = (name: string) => {
    if (needed.has(name)) return;
    needed.add(name);
    for (const dep of byName.get(name)?.dependsOn ?? []) visit(dep);
  };
  REWARD_MARTS.forEach((m) => visit(m.name));
  return new ModelRegistry([...byName.values()].filter((m) => needed.has(m.name)));
};

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
export async function ledger(
  wh: Warehouse,
  config: RefstackConfig,
  options: { realReviewQueue?: boolean; queue?: ModelDefinition } = {},
): Promise<LedgerRow[]> {
  await runModels({
    wh,
    config,
    registry: registry(options.queue ? [options.queue] : [], options),
    select: ['reward_liability', 'reward_liability_by_status'],
  });
  const rows = await wh.query<LedgerRow & { decided_at: Date }>(`
    select referee_id, beneficiary_role, rule_version, entry_type, amount_minor, held_delta_minor,
      approved_delta_minor, reason_code, decided_at, reason
    from reward_ledger order by referee_id, beneficiary_role, decided_at, entry_type`);
  return rows.map((r) => ({ ...r, decided_at: r.decided_at.toISOString() }));
}

/** A compact view: [referee, role, entry type, amount, decided_at date]. */
export const brief = (rows: LedgerRow[]): [string, string, string, number, string][] =>
  rows.map((r) => [r.referee_id, r.beneficiary_role, r.entry_type, r.amount_minor, r.decided_at.slice(0, 16)]);
