import { defineModel } from '../../../src/models/define-model.js';
import { PAYOUT_EXPORTS_TABLE, ensurePayoutExports } from '../../rewards/payout-exports.js';

/**
 * Payout batches: the payout entries of reward_ledger per batch (program, currency, payout date), and whether
 * `refstack payouts export` has written the batch's payable file (operational table payout_exports). A batch
 * is due from its payout date; once exported it is never written again. If the ledger's batch total differs
 * from what was exported (inputs changed after the export), status says so and nothing is paid twice: the
 * difference is for finance to settle by hand.
 */
export const payoutBatches = defineModel({
  name: 'payout_batches',
  grain: 'one row per payout batch: program, currency and payout date',
  dependsOn: ['reward_ledger'],
  columns: {
    payout_batch_id: 'payout-<program>-<currency>-<date>',
    payout_date: 'the scheduled payout date',
    program_id: 'referral program',
    advocates: 'distinct beneficiaries paid in the batch (advocates, and referees with cash rewards)',
    amount_minor: 'total paid, minor units',
    currency: 'currency of the payouts',
    entries: 'payout entries (one per beneficiary and rule set)',
    status: "'scheduled' (not exported yet) | 'exported' | 'exported_differs' (ledger total changed since export)",
    exported_at: 'when the payable file was written (NULL until exported)',
    exported_amount_minor: 'the total in the exported file (NULL until exported)',
    content_hash: 'sha256 of the exported file (NULL until exported)',
  },
  async build({ wh, d, config, ref }) {
    await ensurePayoutExports(wh, config.schemas.analytics);
    const exports = d.tableRef(config.schemas.analytics, PAYOUT_EXPORTS_TABLE);
    return `
with batches as (
  select payout_batch_id, min(effective_at) as payout_date, program_id, currency,
    count(distinct beneficiary_id) as advocates, ${d.cast('sum(amount_minor)', 'int64')} as amount_minor,
    count(*) as entries
  from ${ref('reward_ledger')}
  where entry_type = 'payout'
  group by payout_batch_id, program_id, currency
),
exported as (
  select payout_batch_id, min(exported_at) as exported_at, min(amount_minor) as amount_minor,
    min(content_hash) as content_hash
  from ${exports} group by payout_batch_id
)
select b.payout_batch_id, b.payout_date, b.program_id, b.advocates, b.amount_minor, b.currency, b.entries,
  case when x.payout_batch_id is null then 'scheduled' when x.amount_minor = b.amount_minor then 'exported'
    else 'exported_differs' end as status,
  x.exported_at, x.amount_minor as exported_amount_minor, x.content_hash
from batches b
left join exported x on x.payout_batch_id = b.payout_batch_id
`;
  },
});
