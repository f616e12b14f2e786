/**
 * The ledger's entries as SQL: one `select` per entry type and reason, over the ledger's `decisions` (referral
 * rewards) and `milestone_rows` CTEs, each yielding the same columns. Reasons are written for a support agent:
 * the event, the rule set version, the amounts (formatted in the reporting currency) and the rule applied.
 */
import type { SqlDialect } from '../../src/warehouse/dialect.js';

/** The `select`s to `union all` into the ledger's `entries`. */
export function entrySelects(d: SqlDialect, m: (expr: string) => string, day: (expr: string) => string): string[] {
  const entry = (o: {
    type: string;
    code: string;
    amount: string;
    held: string;
    approved: string;
    at: string;
    reason: string;
    where: string;
    from?: string;
    line?: string;
  }) => `
  select ${o.line ? d.stringLiteral(o.line) : "case when occurrence > 0 then 'recurring' else 'referral' end"} as reward_line, program_id, rule_set_id, rule_version, referral_id, advocate_id, referee_id, beneficiary_id, beneficiary_role,
    order_id, reward_kind, case when beneficiary_role = 'advocate' then tier_name end as tier,
    ${d.stringLiteral(o.type)} as entry_type, ${o.code} as reason_code,
    ${d.cast(o.amount, 'int64')} as amount_minor, ${d.cast(o.held, 'int64')} as held_delta_minor,
    ${d.cast(o.approved, 'int64')} as approved_delta_minor, ${o.at} as decided_at, ${o.reason} as reason,
    commission_base_minor, case when beneficiary_role = 'advocate' then tier_referrals end as tier_referrals,
    qualified_at, window_end as clawback_window_end, review_status
  from ${o.from ?? 'decisions'} where ${o.where}`;
  const version = `'rule set ' || rule_set_id || ' version ' || ${d.cast('rule_version', 'string')}`;
  const what = `case when occurrence > 0
        then 'paid again in month ' || ${d.cast('occurrence + 1', 'string')} || ' of ' || ${d.cast('recurring_months', 'string')}
          || ' (order ' || order_id || ')'
      when event_type = 'signup' then 'signed up'
      when event_type = 'activation' then 'activated their account'
      when event_type = 'trial_converted' then 'converted a trial to paid'
        || case when order_id is not null then ' (order ' || order_id || ')' else '' end
      else 'made a qualifying purchase (order ' || order_id || ')' end`;
  const partial = 'kill_minor < granted_minor';
  const percentRefunded = d.cast(d.floorDiv('200 * refunded_minor + paid_minor', '2 * paid_minor'), 'string');
  const reversal = `case when kill_kind = 'fraud_rejected'
        then 'A reviewer rejected this referral as fraud on ' || ${day('kill_at')}
      when kill_kind = 'churn'
        then 'Referee ' || referee_id || ' made no further paid order in the ' || ${d.cast('churn_days', 'string')}
          || ' days after qualifying (by ' || ${day('kill_at')} || ')'
      else 'Order ' || order_id || ' ' || case when kill_kind = 'chargeback' then 'charged back'
          when ${partial} then 'partly refunded (' || ${percentRefunded} || '% of what was paid)' else 'refunded' end
        || ' on ' || ${day('kill_at')} end`;
  const killCode = (suffix: string) =>
    `case when kill_kind in ('fraud_rejected', 'churn') then kill_kind
      when ${partial} then 'partial_' || kill_kind || ${d.stringLiteral(suffix)} else kill_kind || ${d.stringLiteral(suffix)} end`;
  const share = (state: string) =>
    `case when ${partial} then ${m('kill_minor')} || ' of the ${state} ' || ${m('granted_minor')}
      else 'the ${state} ' || ${m('granted_minor')} end`;
  return [
    entry({
      type: 'accrued',
      code: `case when occurrence > 0 then 'recurring_payment' else 'qualified_' || event_type end`,
      amount: 'rule_amount_minor',
      held: 'rule_amount_minor',
      approved: '0',
      at: 'qualified_at',
      reason: `'Referee ' || referee_id || ' ' || ${what} || ' on ' || ${day('qualified_at')} || '; ' || ${version}
        || ' gives the ' || beneficiary_role || ' ' || reward_label
        || case when reward_type = 'percent' then ' (base ' || ${m('base_reporting_minor')} || ')' else '' end
        || case when beneficiary_role = 'advocate' and tier_name is not null then ', x' || tier_multiplier_text
          || ' at tier ' || tier_name || ' (' || ${d.cast('tier_referrals', 'string')} || ' successful referrals in '
          || ${d.cast('tier_window_days', 'string')} || ' days)' else '' end
        || ': ' || ${m('rule_amount_minor')} || ' accrued, held until approval.'`,
      where: '1 = 1',
    }),
    entry({
      type: 'capped',
      code: `'frequency_limit'`,
      amount: '-cut_freq_minor',
      held: '-cut_freq_minor',
      approved: '0',
      at: 'qualified_at',
      reason: `'Frequency limit of ' || ${d.cast('freq_max', 'string')} || ' rewards per advocate per ' || freq_per
        || ' reached (' || ${version} || '): ' || ${m('cut_freq_minor')} || ' not awarded.'`,
      where: 'cut_freq_minor > 0',
    }),
    entry({
      type: 'capped',
      code: `'cap_advocate_month'`,
      amount: '-cut_month_minor',
      held: '-cut_month_minor',
      approved: '0',
      at: 'qualified_at',
      reason: `'Monthly cap of ' || ${m('cap_month_minor')} || ' per advocate reached for '
        || substr(${d.cast('cap_month', 'string')}, 1, 7) || ' (' || ${version} || '): ' || ${m('cut_month_minor')}
        || ' not awarded.'`,
      where: 'cut_month_minor > 0',
    }),
    entry({
      type: 'capped',
      code: `'cap_advocate_year'`,
      amount: '-cut_year_minor',
      held: '-cut_year_minor',
      approved: '0',
      at: 'qualified_at',
      reason: `'Yearly cap of ' || ${m('cap_year_minor')} || ' per advocate reached for '
        || substr(${d.cast('cap_year', 'string')}, 1, 4) || ' (' || ${version} || '): ' || ${m('cut_year_minor')}
        || ' not awarded.'`,
      where: 'cut_year_minor > 0',
    }),
    entry({
      type: 'capped',
      code: `'cap_program_budget'`,
      amount: '-cut_budget_minor',
      held: '-cut_budget_minor',
      approved: '0',
      at: 'qualified_at',
      reason: `'Program budget of ' || ${m('budget_minor')} || ' for ' || ${version} || ' reached: '
        || ${m('cut_budget_minor')} || ' not awarded.'`,
      where: 'cut_budget_minor > 0',
    }),
    entry({
      type: 'held',
      code: `'held_for_review'`,
      amount: '0',
      held: '0',
      approved: '0',
      at: 'approve_at',
      reason: `'Holding period of ' || ${d.cast('holding_days', 'string')} || ' days ended on ' || ${day('approve_at')}
        || ', but the referral is in the review queue (' || queue_reasons || '): the ' || ${m('granted_minor')}
        || ' stays held until a reviewer approves it.'`,
      where: 'granted_minor > 0 and is_held_for_review',
    }),
    entry({
      type: 'approved',
      code: `case when released_by_review then 'review_approved' else 'holding_period_ended' end`,
      amount: 'approved_minor',
      held: '-approved_minor',
      approved: 'approved_minor',
      at: 'approval_at',
      reason: `case when released_by_review
          then 'A reviewer approved the referral on ' || ${day('approval_at')} || ' (queued for ' || queue_reasons
            || '): ' || ${m('approved_minor')} || ' approved.'
          when approved_minor < granted_minor
            then 'Holding period of ' || ${d.cast('holding_days', 'string')} || ' days ended on ' || ${day('approve_at')}
            || ': the remaining ' || ${m('approved_minor')} || ' approved.'
          else 'Holding period of ' || ${d.cast('holding_days', 'string')} || ' days ended on ' || ${day('approve_at')}
            || ' with no refund or chargeback: ' || ${m('approved_minor')} || ' approved.' end`,
      where: 'approved_minor > 0 and approval_at is not null',
    }),
    entry({
      type: 'voided',
      code: killCode('_in_holding'),
      amount: '-kill_minor',
      held: '-kill_minor',
      approved: '0',
      at: 'kill_at',
      reason: `${reversal} || case when kill_at <= approve_at
          then ', within the ' || ${d.cast('holding_days', 'string')} || '-day holding period'
          else ', while held for review' end || ': ' || ${share('held')} || ' is void.'`,
      where: 'granted_minor > 0 and kill_minor > 0 and is_voided',
    }),
    entry({
      type: 'clawed_back',
      code: killCode('_in_window'),
      amount: '-kill_minor',
      held: '0',
      approved: '-kill_minor',
      at: 'kill_at',
      reason: `${reversal} || ', ' || ${d.cast(d.dateDiff('day', 'qualified_at', 'kill_at'), 'string')}
        || ' days after qualifying' || case when kill_kind in ('fraud_rejected', 'churn') then ''
          else ', inside the ' || ${d.cast('clawback_days', 'string')} || '-day clawback window' end
        || ': ' || ${share('approved')} || ' is clawed back.'`,
      where: 'granted_minor > 0 and kill_minor > 0 and is_clawed_back',
    }),
    entry({
      type: 'accrued',
      code: `'milestone_reached'`,
      amount: 'milestone_minor',
      held: 'milestone_minor',
      approved: '0',
      at: 'approve_at',
      reason: `'Advocate ' || advocate_id || ' reached ' || ${d.cast('milestone_referrals', 'string')}
        || ' approved referrals when the referral of ' || referee_id || ' was approved on ' || ${day('approve_at')}
        || '; ' || ${version} || ' gives ' || reward_label || ' for that milestone: ' || ${m('milestone_minor')}
        || ' accrued.'`,
      where: '1 = 1',
      from: 'milestone_rows',
      line: 'milestone',
    }),
    entry({
      type: 'approved',
      code: `'milestone_reached'`,
      amount: 'milestone_minor',
      held: '-milestone_minor',
      approved: 'milestone_minor',
      at: 'approve_at',
      reason: `'A milestone is earned from referrals already approved, so it is approved at once: '
        || ${m('milestone_minor')} || ' approved.'`,
      where: 'milestone_minor > 0',
      from: 'milestone_rows',
      line: 'milestone',
    }),
  ];
}
