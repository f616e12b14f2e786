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
  select ${d.stringLiteral(o.line ?? 'referral')} as reward_line, program_id, rule_set_id, rule_version, referral_id, advocate_id, referee_id, beneficiary_id, beneficiary_role,
    order_id, reward_kind, case when beneficiary_role = 'advocate' then tier_name end as tier,
    ${d.stringLiteral(o.type)} as entry_type, ${o.code} as reason_code,
    ${d.cast(o.amount, 'int64')} as amount_minor, ${d.cast(o.held, 'int64')} as held_delta_minor,
    ${d.cast(o.approved, 'int64')} as approved_delta_minor, ${o.at} as decided_at, ${o.reason} as reason
  from ${o.from ?? 'decisions'} where ${o.where}`;
  const version = `'rule set ' || rule_set_id || ' version ' || ${d.cast('rule_version', 'string')}`;
  const what = `case when event_type = 'signup' then 'signed up'
      else 'made a qualifying purchase (order ' || order_id || ')' end`;
  const reversal = `'Order ' || order_id || ' ' || case when reversal_kind = 'refund' then 'refunded' else 'charged back' end
      || ' on ' || ${day('reversed_at')}`;
  return [
    entry({
      type: 'accrued',
      code: `'qualified_' || event_type`,
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
      type: 'approved',
      code: `'holding_period_ended'`,
      amount: 'granted_minor',
      held: '-granted_minor',
      approved: 'granted_minor',
      at: 'approve_at',
      reason: `'Holding period of ' || ${d.cast('holding_days', 'string')} || ' days ended on ' || ${day('approve_at')}
        || ' with no refund or chargeback: ' || ${m('granted_minor')} || ' approved.'`,
      where: 'granted_minor > 0 and not is_reversed_in_holding',
    }),
    entry({
      type: 'voided',
      code: `reversal_kind || '_in_holding'`,
      amount: '-granted_minor',
      held: '-granted_minor',
      approved: '0',
      at: 'reversed_at',
      reason: `${reversal} || ', within the ' || ${d.cast('holding_days', 'string')} || '-day holding period: the held '
        || ${m('granted_minor')} || ' is void.'`,
      where: 'granted_minor > 0 and is_reversed_in_holding',
    }),
    entry({
      type: 'clawed_back',
      code: `reversal_kind || '_in_window'`,
      amount: '-granted_minor',
      held: '0',
      approved: '-granted_minor',
      at: 'reversed_at',
      reason: `${reversal} || ', ' || ${d.cast(d.dateDiff('day', 'qualified_at', 'reversed_at'), 'string')}
        || ' days after qualifying, inside the ' || ${d.cast('clawback_days', 'string')}
        || '-day clawback window: the approved ' || ${m('granted_minor')} || ' is clawed back.'`,
      where: 'granted_minor > 0 and is_reversed and not is_reversed_in_holding',
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
