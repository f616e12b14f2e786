/**
 * The SQL of activation_audiences, one function per audience. Each returns a select of the same columns
 * (AUDIENCE_COLUMNS order) reading the CTEs the model defines: `as_of` (one row: the data's latest timestamp),
 * `people` (customer, program, email, name, code, link), `conv` (converted, non-self referrals numbered per
 * advocate), `counts` (converted referrals per advocate as of) and `milestones` (m).
 */
import type { SqlDialect } from '../../../src/warehouse/dialect.js';
import type { ActivationConfig } from './config-schema.js';

export interface AudienceSqlContext {
  d: SqlDialect;
  cfg: ActivationConfig['audiences'];
  /** Qualified tables. */
  t: {
    support: string;
    surveys: string;
    orders: string;
    ledger: string;
    notifications: string;
  };
  paidStatuses: string[];
  /** reward_ledger has payouts (paid_delta_minor), so "were paid" can be told. */
  ledgerHasPayouts: boolean;
}

const nullString = (d: SqlDialect) => d.cast('null', 'string');
const nullInt = (d: SqlDialect) => d.cast('null', 'int64');

/** `expr` at most `days` before as_of (and not after it). */
function inWindow(d: SqlDialect, expr: string, days: number): string {
  return `${expr} > ${d.dateAdd('day', String(-days), 'a.as_of')} and ${expr} <= a.as_of`;
}

/** The shared tail of every audience row: the recipient's contact, code and counts. */
function recipientColumns(d: SqlDialect, who: string): string {
  return `${who}.email_normalized as email, ${who}.full_name, ${who}.code as referral_code, ${who}.link,
    coalesce(k.referrals, 0) as referrals,
    (select min(ms.m) from milestones ms where ms.m > coalesce(k.referrals, 0)) as next_milestone`;
}

/**
 * Moments of joy: a resolved support interaction with high CSAT, an NPS promoter answer, a repeat purchase (or
 * renewal: any paid order after the first), a converted-referral milestone reached, inside the window, for an
 * advocate with a code who got no invitation or nudge triggered in the frequency-cap days up to as_of. One row
 * per advocate: the latest moment (ties: trigger, then id).
 */
export function momentsSql(x: AudienceSqlContext): string {
  const { d, cfg, t } = x;
  const paid = x.paidStatuses.map((s) => d.stringLiteral(s)).join(', ');
  const moments = `
    select 'support' as tr, customer_id, interaction_id as trigger_id, occurred_at as triggered_at from ${t.support}
    where satisfaction >= ${cfg.positiveSupportMinSatisfaction} and coalesce(resolved, true)
    union all
    select 'nps_promoter' as tr, customer_id, response_id as trigger_id, submitted_at as triggered_at from ${t.surveys}
    where nps_score >= ${cfg.promoterMinScore} and customer_id is not null
    union all
    select 'repeat_purchase' as tr, customer_id, order_id as trigger_id, ordered_at as triggered_at from ${t.orders}
    where order_seq >= 2 and status in (${paid})
    union all
    select 'milestone' as tr, advocate_id as customer_id, referral_id as trigger_id, converted_at as triggered_at
    from conv where n in (select m from milestones)`;
  return `
select 'moment_of_joy' as audience, 'invite.' || m.tr as template_key, m.customer_id as recipient_id,
  'advocate' as recipient_role, p.program_id, m.customer_id as advocate_id, m.tr as trigger_type, m.trigger_id,
  m.triggered_at, ${nullInt(d)} as reward_minor, ${nullString(d)} as currency, ${nullString(d)} as tier,
  ${recipientColumns(d, 'p')}
from (${moments}) m
cross join as_of a
join people p on p.customer_id = m.customer_id and p.code is not null
left join counts k on k.advocate_id = m.customer_id
where ${inWindow(d, 'm.triggered_at', cfg.windowDays)}
  and not exists (
    select 1 from ${t.notifications} n
    where n.recipient_id = m.customer_id and (n.template_key like 'invite.%' or n.template_key like 'nudge.%')
      and n.triggered_at > ${d.dateAdd('day', String(-cfg.frequencyCapDays), 'a.as_of')}
  )
${d.qualify('row_number() over (partition by m.customer_id order by m.triggered_at desc, m.tr, m.trigger_id) = 1', true)}`;
}

/** A referee converted inside the window: a thank-you to the advocate and one to the referee. */
export function thanksSql(x: AudienceSqlContext): string {
  const { d, cfg } = x;
  const side = (role: 'advocate' | 'referee') => `
select 'referee_converted' as audience, 'thanks.${role}' as template_key, c.${role}_id as recipient_id,
  '${role}' as recipient_role, c.program_id, c.advocate_id, 'referral_converted' as trigger_type,
  c.referral_id as trigger_id, c.converted_at as triggered_at, ${nullInt(d)} as reward_minor,
  ${nullString(d)} as currency, ${nullString(d)} as tier, ${recipientColumns(d, 'p')}
from conv c
cross join as_of a
join people p on p.customer_id = c.${role}_id
left join counts k on k.advocate_id = c.${role}_id
where ${inWindow(d, 'c.converted_at', cfg.windowDays)}`;
  return `${side('advocate')}\nunion all${side('referee')}`;
}

/** Reward news for advocates inside the window: earned (accrued), paid (payouts, when the ledger has them), new tier. */
export function rewardNewsSql(x: AudienceSqlContext): string {
  const { d, cfg, t } = x;
  const row = (audience: string, template: string, trigger: string, amount: string, tier: string) => `
select '${audience}' as audience, '${template}' as template_key, l.beneficiary_id as recipient_id,
  'advocate' as recipient_role, l.program_id, l.beneficiary_id as advocate_id, '${trigger}' as trigger_type,
  l.ledger_entry_id as trigger_id, l.decided_at as triggered_at, ${amount} as reward_minor, l.currency,
  ${tier} as tier, ${recipientColumns(d, 'p')}`;
  const from = (where: string, table = t.ledger) => `
from ${table} l
cross join as_of a
join people p on p.customer_id = l.beneficiary_id
left join counts k on k.advocate_id = l.beneficiary_id
where l.beneficiary_role = 'advocate' and ${where} and ${inWindow(d, 'l.decided_at', cfg.windowDays)}`;
  const tiers = `(select l.*, lag(tier) over (partition by beneficiary_id, rule_set_id order by decided_at, ledger_entry_id)
    as previous_tier from ${t.ledger} l where entry_type = 'accrued' and beneficiary_role = 'advocate')`;
  const parts = [
    row('reward_earned', 'reward.earned', 'reward_accrued', 'l.amount_minor', nullString(d)) +
      from(`l.entry_type = 'accrued' and l.amount_minor > 0`),
    row('tier_reached', 'tier.reached', 'tier_changed', nullInt(d), 'l.tier') +
      from(`l.tier is not null and (l.previous_tier is null or l.previous_tier <> l.tier)`, tiers),
  ];
  if (x.ledgerHasPayouts)
    parts.push(
      row('reward_paid', 'reward.paid', 'reward_paid', 'l.paid_delta_minor', nullString(d)) +
        from('l.paid_delta_minor > 0'),
    );
  return parts.join('\nunion all');
}

/**
 * State as of the data: advocates one converted referral short of a milestone (>= 2; frequency-capped like
 * invitations), and advocates with referrals whose last referral activity is older than quietAfterDays. Their
 * triggered_at is as_of (when the state was seen), so a nudge counts against the frequency cap from then.
 */
export function nudgesSql(x: AudienceSqlContext): string {
  const { d, cfg, t } = x;
  const lastActivity = d.cast('k.last_activity_at', 'date');
  return `
select 'one_from_milestone' as audience, 'nudge.one_from_milestone' as template_key, k.advocate_id as recipient_id,
  'advocate' as recipient_role, p.program_id, k.advocate_id, 'referrals_count' as trigger_type,
  ${d.cast('k.referrals', 'string')} as trigger_id, a.as_of as triggered_at, ${nullInt(d)} as reward_minor,
  ${nullString(d)} as currency, ${nullString(d)} as tier, ${recipientColumns(d, 'p')}
from counts k
cross join as_of a
join people p on p.customer_id = k.advocate_id and p.code is not null
where k.referrals + 1 in (select m from milestones where m >= 2)
  and not exists (
    select 1 from ${t.notifications} n
    where n.recipient_id = k.advocate_id and (n.template_key like 'invite.%' or n.template_key like 'nudge.%')
      and n.triggered_at > ${d.dateAdd('day', String(-cfg.frequencyCapDays), 'a.as_of')}
  )
union all
select 'quiet' as audience, 'winback.quiet' as template_key, k.advocate_id as recipient_id,
  'advocate' as recipient_role, p.program_id, k.advocate_id, 'quiet_since' as trigger_type,
  ${d.cast(lastActivity, 'string')} as trigger_id, a.as_of as triggered_at, ${nullInt(d)} as reward_minor,
  ${nullString(d)} as currency, ${nullString(d)} as tier, ${recipientColumns(d, 'p')}
from counts k
cross join as_of a
join people p on p.customer_id = k.advocate_id
where k.last_activity_at <= ${d.dateAdd('day', String(-cfg.quietAfterDays), 'a.as_of')}`;
}
