/** Shared helpers for the fraud mart tests: the registry with the fraud models and literal landing rows. */
import { defaultRegistry, MODELS } from '../../../../models/index.js';
import type { ModelDefinition } from '../../../../src/models/define-model.js';
import { ModelRegistry } from '../../../../src/models/registry.js';
import type { RefstackConfig } from '../../../../src/config.js';
import { runModels } from '../../../../src/models/runner.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { testConfig } from '../../../helpers/landing.js';

export const registry = () => defaultRegistry();

/** No random audit (activation_audit_sample samples at least one referral per stratum, even in a tiny fixture). */
export const NO_AUDIT = { auditSample: { rate: 0, minPerStratum: 0 } };

/**
 * The test config with a `fraud` section, validated like a user's config, and the random audit sample off so the
 * review queue holds only what the fraud rules and the high-value threshold put there.
 */
export const fraudTestConfig = (fraud: Record<string, unknown> = {}): RefstackConfig =>
  testConfig({ fraud, activation: NO_AUDIT } as Parameters<typeof testConfig>[0]);

export async function runFraud(wh: Warehouse, fraud: Record<string, unknown> = {}): Promise<void> {
  await runModels({ wh, config: fraudTestConfig(fraud), registry: registry(), select: ['fraud_scores'] });
}

let hosts = 0;

/**
 * A customer whose own code is its id, optionally referred by another customer's code. Unless `extra` says
 * otherwise each gets its own device, email, payment fingerprint and IPv4 /24 (10.x.y.1), so no rule fires by
 * accident.
 */
export const customer = (
  id: string,
  created_at: string,
  referredBy?: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  customer_id: id,
  created_at,
  email: `${id.toLowerCase()}@example.com`,
  referral_code: id,
  referred_by_code: referredBy,
  signup_ip: `10.${Math.floor(++hosts / 256) % 256}.${hosts % 256}.1`,
  signup_device_id: `dev-${id}`,
  ...extra,
});

/** A paid USD order with no discount or tax. */
export const order = (
  id: string,
  customerId: string,
  ordered_at: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  order_id: id,
  customer_id: customerId,
  ordered_at,
  currency: 'USD',
  gross_minor: 1000,
  discount_minor: 0,
  tax_minor: 0,
  refunded_minor: 0,
  status: 'paid',
  payment_fingerprint: `fp-${customerId}`,
  ...extra,
});

/** fraud_flags rows as plain objects, evidence parsed, flagged_at as ISO. */
export async function flags(wh: Warehouse, rule?: string) {
  const rows = await wh.query<{
    referee_id: string;
    advocate_id: string | null;
    rule: string;
    score: number;
    weight: number;
    evidence: string;
    flagged_at: Date;
    rule_version: string;
  }>(
    `select referee_id, advocate_id, rule, score, weight, evidence, flagged_at, rule_version from fraud_flags
     ${rule ? `where rule = '${rule}'` : ''} order by rule, referee_id`,
  );
  return rows.map((r) => ({
    ...r,
    evidence: JSON.parse(r.evidence) as Record<string, unknown>,
    flagged_at: new Date(r.flagged_at).toISOString(),
  }));
}

/** MODELS plus models not registered yet (skipping any the lead has since registered). */
export const registryWith = (...extra: ModelDefinition[]): ModelRegistry =>
  new ModelRegistry([...MODELS, ...extra.filter((m) => !MODELS.some((r) => r.name === m.name))]);
