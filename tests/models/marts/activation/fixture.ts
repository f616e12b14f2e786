/**
 * Literal rows for the activation tests. Data ends 2025-06-30 (N1's order), so as_of = 2025-06-30T00:00:00Z and
 * the 14-day window is (2025-06-16, 2025-06-30].
 * - A1 (code ALICE): first order Jan 5, repeat order Jun 20; referee R1 signed up Jun 1, converted Jun 22 (A1's
 *   first referral: milestone 1, reward 1000 accrued, tier Bronze).
 * - A2: NPS 10 on Jun 25 and a resolved CSAT-5 support chat on Jun 28.
 * - A3: NPS 10 on Jun 25, but already invited (notification triggered Jun 10, inside the 30-day cap).
 * - A4: NPS 6 (not a promoter).
 * - A5 (code ERIN): one referral, R5, converted Jan 15 (quiet since).
 * - A6 (code GUS): two referrals, R6a and R6b, converted Mar 1 and Mar 5 (quiet; one short of milestone 3).
 * Every advocate has a paid order on Jan 2 (eligible for a code); referees' first orders are their conversions.
 */
import { NOTIFICATIONS_COLUMNS } from '../../../../models/marts/activation/operational-tables.js';
import type { RefstackConfig } from '../../../../src/config.js';
import { ModelRegistry } from '../../../../src/models/registry.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { MODELS } from '../../../../models/index.js';
import { reviewQueue } from '../../../../models/marts/fraud/review-queue.js';
import { REWARD_MARTS } from '../../../../models/marts/rewards/index.js';
import { rewardsConfigSchema } from '../../../../models/marts/rewards/config-schema.js';
import { activationAudiences } from '../../../../models/marts/activation/activation-audiences.js';
import type { ModelDefinition } from '../../../../src/models/define-model.js';
import { land, testConfig } from '../../../helpers/landing.js';

/**
 * A registry of the activation marts and what they depend on (transitively), from the registered models plus the
 * marts not registered yet (review_queue, reward marts). Only the closure, so an unrelated model in progress
 * elsewhere cannot break these tests.
 */
export const activationRegistry = (extra: ModelDefinition[] = []): ModelRegistry => {
  const all = new Map<string, ModelDefinition>();
  for (const m of [...MODELS, reviewQueue, ...REWARD_MARTS, activationAudiences, ...extra])
    if (!all.has(m.name)) all.set(m.name, m);
  const wanted = new Set<string>();
  const visit = (name: string) => {
    const m = all.get(name);
    if (!m || wanted.has(name)) return;
    wanted.add(name);
    m.dependsOn.forEach(visit);
  };
  [activationAudiences, ...extra].forEach((m) => visit(m.name));
  return new ModelRegistry([...wanted].map((n) => all.get(n)!));
};

/** A 1000-cent advocate reward on every first purchase, tier Bronze from one referral (365-day window). */
export const ACTIVATION_REWARDS_INPUT = {
  ruleSets: [
    {
      id: 'friends-cash',
      version: 1,
      effectiveFrom: '2024-01-01',
      programIds: ['friends'],
      qualifyingEvent: { type: 'purchase' },
      advocateReward: { type: 'fixed', amountMinor: 1000, currency: 'USD' },
      tiers: [{ name: 'Bronze', threshold: 1 }],
      tierWindowDays: 365,
    },
  ],
};

export function activationTestConfig(activation: Record<string, unknown> = {}): RefstackConfig {
  const rewards = rewardsConfigSchema.parse(ACTIVATION_REWARDS_INPUT);
  return {
    ...testConfig(),
    rewards: { tiers: [], ...rewards },
    // No random audit here: review_queue holds audited referrals back from approval, which the audit-sample tests
    // cover on their own.
    activation: { audiences: { milestones: [1, 3] }, auditSample: { rate: 0, minPerStratum: 0 }, ...activation },
  } as unknown as RefstackConfig;
}

const order = (id: string, customer: string, at: string, gross = 5000) => ({
  order_id: id,
  customer_id: customer,
  ordered_at: at,
  currency: 'USD',
  gross_minor: gross,
  discount_minor: 0,
  tax_minor: 0,
  refunded_minor: 0,
  status: 'paid',
});

export async function landActivationFixture(wh: Warehouse): Promise<void> {
  const advocates = ['A1', 'A2', 'A3', 'A4', 'A5', 'A6'];
  const codes: Record<string, string> = { A1: 'ALICE', A5: 'ERIN', A6: 'GUS' };
  await land(wh, 'customers', [
    ...advocates.map((id) => ({
      customer_id: id,
      created_at: '2024-12-01',
      email: `${id.toLowerCase()}@example.com`,
      full_name: `Advocate ${id}`,
      referral_code: codes[id],
    })),
    { customer_id: 'N1', created_at: '2025-01-01' },
    { customer_id: 'R1', created_at: '2025-06-01', referred_by_code: 'ALICE', email: 'r1@example.com' },
    { customer_id: 'R5', created_at: '2025-01-10', referred_by_code: 'ERIN' },
    { customer_id: 'R6a', created_at: '2025-02-25', referred_by_code: 'GUS' },
    { customer_id: 'R6b', created_at: '2025-02-26', referred_by_code: 'GUS' },
  ]);
  await land(wh, 'orders', [
    ...advocates.map((id) => order(`O-${id}`, id, id === 'A1' ? '2025-01-05' : '2025-01-02')),
    order('O-A1b', 'A1', '2025-06-20'),
    order('O-R1', 'R1', '2025-06-22'),
    order('O-R5', 'R5', '2025-01-15'),
    order('O-R6a', 'R6a', '2025-03-01'),
    order('O-R6b', 'R6b', '2025-03-05'),
    order('O-END', 'N1', '2025-06-30T00:00:00Z', 500),
  ]);
  await land(wh, 'survey_responses', [
    { response_id: 'S2', survey_id: 'nps', customer_id: 'A2', submitted_at: '2025-06-25', nps_score: 10 },
    { response_id: 'S3', survey_id: 'nps', customer_id: 'A3', submitted_at: '2025-06-25', nps_score: 10 },
    { response_id: 'S4', survey_id: 'nps', customer_id: 'A4', submitted_at: '2025-06-25', nps_score: 6 },
  ]);
  await land(wh, 'support_interactions', [
    { interaction_id: 'I2', customer_id: 'A2', occurred_at: '2025-06-28', satisfaction: 5, resolved: true },
    { interaction_id: 'I4', customer_id: 'A4', occurred_at: '2025-06-28', satisfaction: 2, resolved: true },
  ]);
}

/** A3's earlier invitation (triggered Jun 10): inside the 30-day frequency cap of its Jun 25 NPS answer. */
export async function landEarlierInvite(wh: Warehouse, schema = 'main'): Promise<void> {
  const { ensureNotifications } = await import('../../../../models/marts/activation/operational-tables.js');
  await ensureNotifications(wh, schema);
  await wh.appendRows(schema, 'notifications', NOTIFICATIONS_COLUMNS, [
    [
      'n-0',
      'moment_of_joy|invite.repeat_purchase|A3|O-X',
      'A3',
      'a3@example.com',
      'friends',
      'moment_of_joy',
      'invite.repeat_purchase',
      '{}',
      new Date('2025-06-10T00:00:00Z'),
      new Date('2026-01-01T00:00:00Z'),
      null,
    ],
  ]);
}
