import { defineModel } from '../../../src/models/define-model.js';

/**
 * What the programs owe as of the ledger's as-of date: the balances of reward_ledger summed per program, status,
 * reward kind and currency. `held` is accrued but still in its holding period; `approved_unpaid` is approved and
 * not yet paid (payouts are not built yet, so every approved amount is unpaid). Non-cash rewards count at their
 * cash equivalent and are kept apart by `reward_kind`. By construction the amounts equal the ledger's sums of
 * held_delta_minor and approved_delta_minor.
 */
export const rewardLiability = defineModel({
  name: 'reward_liability',
  grain: 'one row per program, status (held | approved_unpaid), reward kind and currency, as of the ledger date',
  dependsOn: ['reward_ledger'],
  columns: {
    as_of: 'the ledger as-of date',
    program_id: 'referral program',
    status: 'held | approved_unpaid',
    reward_kind: 'cash | non_cash',
    currency: 'reporting currency',
    rewards: 'rewards (rule set, referral, beneficiary, reward line) with a non-zero balance in this status',
    beneficiaries: 'distinct beneficiaries among them',
    amount_minor: 'balance in this status, minor units',
  },
  build: ({ d, ref }) => `
with balances as (
  select as_of, program_id, rule_set_id, referral_id, beneficiary_role, reward_line, beneficiary_id, reward_kind, currency,
    sum(held_delta_minor) as held_minor, sum(approved_delta_minor) as approved_minor
  from ${ref('reward_ledger')}
  group by as_of, program_id, rule_set_id, referral_id, beneficiary_role, reward_line, beneficiary_id, reward_kind,
    currency
),
by_status as (
  select as_of, program_id, 'held' as status, reward_kind, currency, beneficiary_id, held_minor as amount_minor
  from balances where held_minor <> 0
  union all
  select as_of, program_id, 'approved_unpaid' as status, reward_kind, currency, beneficiary_id,
    approved_minor as amount_minor
  from balances where approved_minor <> 0
)
select as_of, program_id, status, reward_kind, currency, count(*) as rewards,
  count(distinct beneficiary_id) as beneficiaries, ${d.cast('sum(amount_minor)', 'int64')} as amount_minor
from by_status
group by as_of, program_id, status, reward_kind, currency
`,
});
