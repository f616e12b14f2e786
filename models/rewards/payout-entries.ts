/**
 * Writes reward_ledger's payout entries: sufficient statistics in SQL (the approved cash delta per beneficiary and
 * payout period, over the entries already in the ledger table), the schedule in TS (payout-schedule.ts), and
 * the payouts appended to the same table. One payout entry per beneficiary, rule set and payout date; its
 * batch is the program, currency and date.
 */
import { createHash } from 'node:crypto';
import type { SqlDialect, ColumnDef } from '../../src/warehouse/dialect.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import type { RewardRuleSet } from '../marts/rewards/config-schema.js';
import { formatMinor } from './rules-sql.js';
import { payoutDates, schedulePayouts, type ApprovedDelta, type PayoutDate } from './payout-schedule.js';

/** The batch a payout belongs to: one per program, currency and payout date. */
export const payoutBatchId = (programId: string, currency: string, date: string): string =>
  `payout-${programId}-${currency}-${date}`;

const c = (name: string, type: ColumnDef['type']): ColumnDef => ({ name, type });
const PAYOUT_COLUMNS: ColumnDef[] = [
  c('ledger_entry_id', 'string'),
  c('program_id', 'string'),
  c('rule_set_id', 'string'),
  c('rule_version', 'int64'),
  c('advocate_id', 'string'),
  c('referee_id', 'string'),
  c('beneficiary_id', 'string'),
  c('beneficiary_role', 'string'),
  c('reward_line', 'string'),
  c('entry_type', 'string'),
  c('amount_minor', 'int64'),
  c('held_delta_minor', 'int64'),
  c('approved_delta_minor', 'int64'),
  c('paid_delta_minor', 'int64'),
  c('currency', 'string'),
  c('reward_kind', 'string'),
  c('reason_code', 'string'),
  c('reason', 'string'),
  c('decided_at', 'timestamp'),
  c('effective_at', 'date'),
  c('as_of', 'date'),
  c('payout_batch_id', 'string'),
];

function periodsSql(d: SqlDialect, dates: PayoutDate[]): string {
  return dates
    .map((p, i) => {
      const prev = dates[i - 1]?.ruleSetId === p.ruleSetId ? dates[i - 1]!.date : null;
      return `select ${d.stringLiteral(p.ruleSetId)} as rule_set_id, ${d.cast(d.stringLiteral(p.date), 'timestamp')} as paid_at,
        ${d.cast(prev === null ? 'null' : d.stringLiteral(prev), 'timestamp')} as previous_at,
        ${d.stringLiteral(p.date)} as payout_date`;
    })
    .join('\nunion all\n');
}

export interface PayoutEntriesInput {
  wh: Warehouse;
  /** Schema and table of the ledger, already holding every non-payout entry. */
  schema: string;
  table: string;
  ruleSets: RewardRuleSet[];
  currency: string;
}

/** Appends the payout entries; returns how many. A ledger without entries (so without an as-of date) gets none. */
export async function appendPayoutEntries(input: PayoutEntriesInput): Promise<number> {
  const { wh, schema, table, ruleSets, currency } = input;
  const d = wh.dialect;
  const ledger = d.tableRef(schema, table);
  const [meta] = await wh.query<{ as_of: string | null }>(
    `select ${d.cast('max(as_of)', 'string')} as as_of from ${ledger}`,
  );
  if (!meta?.as_of) return 0;
  const asOf = meta.as_of;
  const dates = payoutDates(ruleSets, asOf);
  if (dates.length === 0) return 0;
  const rows = await wh.query<{
    program_id: string;
    rule_set_id: string;
    beneficiary_role: string;
    beneficiary_id: string;
    payout_date: string;
    delta: number | bigint;
  }>(`
with periods as (${periodsSql(d, dates)})
select l.program_id, l.rule_set_id, l.beneficiary_role, l.beneficiary_id, p.payout_date,
  ${d.cast('sum(l.approved_delta_minor)', 'int64')} as delta
from ${ledger} l
join periods p on p.rule_set_id = l.rule_set_id and l.decided_at < p.paid_at
  and (p.previous_at is null or l.decided_at >= p.previous_at)
where l.reward_kind = 'cash' and l.approved_delta_minor <> 0
group by l.program_id, l.rule_set_id, l.beneficiary_role, l.beneficiary_id, p.payout_date`);
  const deltas: ApprovedDelta[] = rows.map((r) => ({
    programId: r.program_id,
    ruleSetId: r.rule_set_id,
    beneficiaryRole: r.beneficiary_role,
    beneficiaryId: r.beneficiary_id,
    payoutDate: r.payout_date,
    deltaMinor: Number(r.delta),
  }));
  const fmt = (m: number) => formatMinor(m, currency);
  const asOfDate = new Date(`${asOf}T00:00:00Z`);
  const payouts = schedulePayouts(deltas, dates).map((p) => {
    const batch = payoutBatchId(p.programId, currency, p.payoutDate);
    const day = ruleSets.find((r) => r.id === p.ruleSetId && r.version === p.ruleVersion)?.payoutSchedule?.dayOfMonth;
    const carried =
      p.carriedMinor > 0
        ? `, including ${fmt(p.carriedMinor)} carried from earlier payout dates while the balance was below the minimum`
        : p.carriedMinor < 0
          ? `, after deducting ${fmt(-p.carriedMinor)} clawed back since an earlier payout`
          : '';
    const reason =
      `Payout on ${p.payoutDate} in batch ${batch}: the approved balance of ${fmt(p.amountMinor)} is paid` +
      `${carried} (rule set ${p.ruleSetId} version ${p.ruleVersion} pays monthly on day ${day}` +
      ` when the balance is at least ${fmt(Math.max(p.minPayoutMinor, 1))}).`;
    const id = createHash('md5')
      .update([batch, p.ruleSetId, p.beneficiaryRole, p.beneficiaryId].join('|'))
      .digest('hex');
    const at = new Date(`${p.payoutDate}T00:00:00Z`);
    return [
      id,
      p.programId,
      p.ruleSetId,
      p.ruleVersion,
      p.beneficiaryRole === 'advocate' ? p.beneficiaryId : null,
      p.beneficiaryRole === 'referee' ? p.beneficiaryId : null,
      p.beneficiaryId,
      p.beneficiaryRole,
      'payout',
      'payout',
      p.amountMinor,
      0,
      -p.amountMinor,
      p.amountMinor,
      currency,
      'cash',
      'scheduled_payout',
      reason,
      at,
      at,
      asOfDate,
      batch,
    ];
  });
  if (payouts.length === 0) return 0;
  return wh.appendRows(schema, table, PAYOUT_COLUMNS, payouts);
}
