/**
 * raw.support_interactions: a share of (non-ring) orders lead to a contact within days (contacts that would
 * fall after the observation end are not made). Refunded orders are about returns, chargebacks about billing,
 * the rest by the topic mix. CSAT (1-5) depends on the customer's NPS class when resolved, so advocates
 * (mostly promoters) rate higher; unresolved contacts rate low for everyone.
 */
import { SYNTHETIC_TRUTHS as X } from './params.js';
import { caseOf, categorical, categoricalIndex, insertLanding, paddedId, ts } from './sql.js';
import { createScratch, ID_WIDTH, type Gen } from './stage.js';

const DAY = 86_400;

export async function prepareSupportInteractions(g: Gen): Promise<void> {
  const { rng, run } = g;
  const sx = X.support;
  const u = (salt: string) => rng.u(['idx', 'k'], salt);
  await createScratch(
    g,
    'support',
    `select *, row_number() over (order by idx, k) as rn, ${u('support-resolved')} < ${sx.resolvedProbability} as resolved
from (
  select idx, k, customer_id, program_id, nps_class, status,
    ordered_sec + ${sx.minDelaySeconds} + cast(floor(${u('support-time')} * ${sx.withinDays * DAY - sx.minDelaySeconds}) as bigint) as occurred_sec
  from _syn_orders
  where ring_role is null and ${u('support-contact')} < ${sx.perOrderProbability}
)
where occurred_sec < ${run.endSec}`,
  );
}

export async function insertSupportInteractions(g: Gen): Promise<void> {
  const { d, rng, run } = g;
  const sx = X.support;
  const u = (salt: string) => rng.u(['idx', 'k'], salt);
  const csat = (probs: readonly number[]) => categoricalIndex(u('csat'), probs);
  g.rows.support_interactions += await insertLanding(
    g.wh,
    run,
    'support_interactions',
    {
      interaction_id: paddedId('I', 'rn', ID_WIDTH),
      program_id: 'program_id',
      customer_id: 'customer_id',
      occurred_at: ts('occurred_sec'),
      channel: categorical(d, u('support-channel'), sx.channelMix),
      topic: `case when status in ('refunded', 'partially_refunded') then 'returns' when status = 'chargeback' then 'billing'
        else ${categorical(d, u('support-topic'), sx.topicMix)} end`,
      satisfaction: `case when resolved then ${caseOf(d, 'nps_class', { promoter: csat(sx.csatResolved.promoter), passive: csat(sx.csatResolved.passive) }, csat(sx.csatResolved.detractor))}
        else ${csat(sx.csatUnresolved)} end`,
      resolved: 'resolved',
    },
    'rn',
    '_syn_support',
  );
}
