import { defineModel } from '../../../src/models/define-model.js';

/**
 * What each program owes and has paid, as of the ledger's as-of date, per currency: every amount is a sum of
 * reward_ledger entries, so held_minor = sum(held_delta_minor), approved_unpaid_minor = sum(approved_delta_minor)
 * and paid_minor = sum(paid_delta_minor) exactly. Non-cash rewards count at their cash equivalent (they are never
 * paid out; non_cash_outstanding_minor says how much of the owed total they are).
 *
 * Aging of what is owed (held + approved unpaid; the four buckets sum to it): a held reward ages from its accrual;
 * an approved amount from its approval (or clawback) date. Payouts pay a beneficiary's whole balance, so the
 * approvals decided before a beneficiary's last payout are paid and only later approvals and clawbacks are aged
 * (a clawback after a payout is a negative amount owed back, aged from the clawback). Exposure to clawback: paid
 * cash rewards (approved before the beneficiary's last payout, not clawed back) whose clawback window is still
 * open after the as-of date.
 */
export const rewardLiability = defineModel({
  name: 'reward_liability',
  grain: 'one row per program and currency, as of the ledger date',
  dependsOn: ['reward_ledger'],
  columns: {
    as_of: 'the ledger as-of date',
    program_id: 'referral program',
    currency: 'reporting currency',
    held_minor: 'accrued, still in the holding period or waiting for review',
    approved_unpaid_minor: 'approved and not yet paid (negative when clawbacks after payouts exceed new approvals)',
    paid_minor: 'paid out by payout batches',
    clawed_back_minor: 'clawed back after approval (positive)',
    voided_minor: 'voided before approval (positive)',
    clawback_exposure_minor: 'paid cash rewards still inside their clawback window after the as-of date',
    aging_0_30_minor: 'owed (held + approved unpaid) aged 0-30 days',
    aging_31_60_minor: 'owed aged 31-60 days',
    aging_61_90_minor: 'owed aged 61-90 days',
    aging_90_plus_minor: 'owed aged more than 90 days',
    non_cash_outstanding_minor: 'the part of held + approved unpaid that is non-cash rewards (cash equivalent)',
    beneficiaries_owed: 'beneficiaries with a non-zero owed balance',
  },
  build: ({ d, ref }) => {
    const int = (e: string) => d.cast(e, 'int64');
    const age = (on: string) => d.dateDiff('day', d.cast(on, 'timestamp'), d.cast('as_of', 'timestamp'));
    const bucket = (lo: number, hi: number | null) =>
      int(
        `sum(case when age_days >= ${lo}${hi === null ? '' : ` and age_days <= ${hi}`} then amount_minor else 0 end)`,
      );
    const key = 'program_id, rule_set_id, beneficiary_role, beneficiary_id';
    return `
with l as (select * from ${ref('reward_ledger')}),
last_payout as (
  select ${key}, max(decided_at) as paid_at from l where entry_type = 'payout' group by ${key}
),
marked as (
  select l.*, case when l.reward_kind = 'cash' then p.paid_at end as last_paid_at
  from l
  left join last_payout p on p.program_id = l.program_id and p.rule_set_id = l.rule_set_id
    and p.beneficiary_role = l.beneficiary_role and p.beneficiary_id = l.beneficiary_id
  where l.entry_type <> 'payout'
),
rewards as (
  select as_of, program_id, currency, reward_kind, beneficiary_id, sum(held_delta_minor) as held_minor,
    min(case when entry_type = 'accrued' then effective_at end) as accrued_on,
    max(clawback_window_end) as window_end, max(last_paid_at) as last_paid_at,
    sum(case when entry_type = 'approved' then amount_minor else 0 end) as approved_minor,
    max(case when entry_type = 'approved' then decided_at end) as approved_at,
    sum(case when entry_type = 'clawed_back' then 1 else 0 end) as clawbacks
  from marked
  group by as_of, program_id, currency, reward_kind, rule_set_id, referral_id, beneficiary_role, reward_line,
    order_id, beneficiary_id
),
owed as (
  select as_of, program_id, currency, reward_kind, beneficiary_id, held_minor as amount_minor,
    ${age('accrued_on')} as age_days
  from rewards where held_minor <> 0
  union all
  select as_of, program_id, currency, reward_kind, beneficiary_id, approved_delta_minor as amount_minor,
    ${age('effective_at')} as age_days
  from marked where approved_delta_minor <> 0 and (last_paid_at is null or decided_at >= last_paid_at)
),
aging as (
  select as_of, program_id, currency, ${bucket(0, 30)} as aging_0_30_minor, ${bucket(31, 60)} as aging_31_60_minor,
    ${bucket(61, 90)} as aging_61_90_minor, ${bucket(91, null)} as aging_90_plus_minor,
    ${int("sum(case when reward_kind = 'non_cash' then amount_minor else 0 end)")} as non_cash_outstanding_minor
  from owed group by as_of, program_id, currency
),
owed_by_beneficiary as (
  select program_id, currency, count(*) as beneficiaries from (
    select program_id, currency, beneficiary_id from owed
    group by program_id, currency, beneficiary_id having sum(amount_minor) <> 0) b
  group by program_id, currency
),
exposure as (
  select as_of, program_id, currency, ${int('sum(approved_minor)')} as clawback_exposure_minor
  from rewards
  where reward_kind = 'cash' and approved_minor > 0 and clawbacks = 0 and approved_at < last_paid_at
    and ${d.toDate('window_end')} > as_of
  group by as_of, program_id, currency
),
totals as (
  select as_of, program_id, currency, ${int('sum(held_delta_minor)')} as held_minor,
    ${int('sum(approved_delta_minor)')} as approved_unpaid_minor, ${int('sum(paid_delta_minor)')} as paid_minor,
    ${int("sum(case when entry_type = 'clawed_back' then -amount_minor else 0 end)")} as clawed_back_minor,
    ${int("sum(case when entry_type = 'voided' then -amount_minor else 0 end)")} as voided_minor
  from l group by as_of, program_id, currency
)
select t.as_of, t.program_id, t.currency, t.held_minor, t.approved_unpaid_minor, t.paid_minor, t.clawed_back_minor,
  t.voided_minor, ${int('coalesce(e.clawback_exposure_minor, 0)')} as clawback_exposure_minor,
  ${int('coalesce(a.aging_0_30_minor, 0)')} as aging_0_30_minor,
  ${int('coalesce(a.aging_31_60_minor, 0)')} as aging_31_60_minor,
  ${int('coalesce(a.aging_61_90_minor, 0)')} as aging_61_90_minor,
  ${int('coalesce(a.aging_90_plus_minor, 0)')} as aging_90_plus_minor,
  ${int('coalesce(a.non_cash_outstanding_minor, 0)')} as non_cash_outstanding_minor,
  ${int('coalesce(b.beneficiaries, 0)')} as beneficiaries_owed
from totals t
left join aging a on a.program_id = t.program_id and a.currency = t.currency
left join exposure e on e.program_id = t.program_id and e.currency = t.currency
left join owed_by_beneficiary b on b.program_id = t.program_id and b.currency = t.currency
`;
  },
});
