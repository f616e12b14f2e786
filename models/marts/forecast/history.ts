/**
 * The sufficient statistics the payout forecast is fitted on, as known on a cutoff date: monthly referred
 * sign-ups (stg_referrals), per accrual month and tier the rewarded referrals with the sum and sum of squares
 * of what they were granted and what was reversed (reward_ledger), the net reward cost per effective month,
 * and the unpaid balance. Only ledger entries effective on or before the cutoff and sign-ups on or before it
 * count, so a fit "as of" an earlier cutoff sees what it would have seen then (the backtest relies on this).
 *
 * Months are 'YYYY-MM-01' strings; only complete months (ending on or before the cutoff) are in the series.
 */
import type { ModelContext } from '../../../src/models/define-model.js';

export interface TierMonth {
  month: string;
  tier: string;
  rewarded: number;
  grantedMinor: number;
  grantedSquares: number;
  reversed: number;
  reversedMinor: number;
}

export interface PayoutHistory {
  cutoff: string;
  /** Complete months from the first sign-up or reward to the last complete month, oldest first. */
  months: string[];
  signups: number[];
  /** Net reward cost (accrued + capped + voided + clawed_back amounts) by effective month, aligned with months. */
  netMinor: number[];
  tierMonths: TierMonth[];
  openingLiabilityMinor: number;
  /** Of it, approved and not yet paid. */
  openingApprovedMinor: number;
}

/** 'YYYY-MM-01' plus n calendar months. */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return d.toISOString().slice(0, 10);
}

/** The last day of a 'YYYY-MM-01' month. */
export const monthEnd = (month: string): string =>
  new Date(Date.parse(`${addMonths(month, 1)}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/** The last month that ends on or before `cutoff` ('YYYY-MM-DD'). */
export function lastCompleteMonth(cutoff: string): string {
  const month = `${cutoff.slice(0, 7)}-01`;
  return monthEnd(month) === cutoff ? month : addMonths(month, -1);
}

const n = (v: unknown): number => Number(v ?? 0);

/** Reads the statistics as of `cutoff` (inclusive, UTC date). */
export async function fetchPayoutHistory(ctx: ModelContext, cutoff: string): Promise<PayoutHistory> {
  const { d, wh, ref, config } = ctx;
  const cut = d.cast(d.stringLiteral(cutoff), 'date');
  const cur = d.stringLiteral(config.reportingCurrency);
  const month = (x: string) => d.cast(d.dateTrunc('month', x), 'string');
  const ledger = `(select * from ${ref('reward_ledger')} where currency = ${cur} and effective_at <= ${cut})`;
  const tierRows = await wh.query(`
    with per_referral as (
      select referral_id,
        min(case when entry_type = 'accrued' then effective_at end) as accrued_on,
        max(tier) as tier,
        sum(case when entry_type in ('accrued', 'capped') then amount_minor else 0 end) as granted,
        -sum(case when entry_type in ('voided', 'clawed_back') then amount_minor else 0 end) as reversed
      from ${ledger} l group by referral_id
    )
    select ${month('accrued_on')} as month, coalesce(tier, '') as tier, count(*) as rewarded,
      sum(granted) as granted_minor, sum(${d.cast('granted', 'float64')} * ${d.cast('granted', 'float64')}) as granted_squares,
      sum(case when reversed > 0 then 1 else 0 end) as reversed, sum(reversed) as reversed_minor
    from per_referral where accrued_on is not null
    group by 1, 2 order by 1, 2`);
  const netRows = await wh.query(`
    select ${month('effective_at')} as month, sum(amount_minor) as net_minor from ${ledger} l
    where entry_type in ('accrued', 'capped', 'voided', 'clawed_back') group by 1 order by 1`);
  const signupRows = await wh.query(`
    select ${month('signed_up_at')} as month, count(*) as signups from ${ref('stg_referrals')}
    where signed_up_at is not null and ${d.toDate('signed_up_at')} <= ${cut} group by 1 order by 1`);
  const [open] = await wh.query(
    `select sum(held_delta_minor) + sum(approved_delta_minor) as owed, sum(approved_delta_minor) as approved from ${ledger} l`,
  );

  const last = lastCompleteMonth(cutoff);
  const firsts = [...tierRows, ...signupRows].map((r) => String(r['month']).slice(0, 10)).sort();
  const months: string[] = [];
  for (let m = firsts[0]; m !== undefined && m <= last; m = addMonths(m, 1)) months.push(m);
  const byMonth = (rows: Record<string, unknown>[], col: string) => {
    const map = new Map(rows.map((r) => [String(r['month']).slice(0, 10), n(r[col])]));
    return months.map((m) => map.get(m) ?? 0);
  };
  return {
    cutoff,
    months,
    signups: byMonth(signupRows, 'signups'),
    netMinor: byMonth(netRows, 'net_minor'),
    tierMonths: tierRows
      .map((r) => ({
        month: String(r['month']).slice(0, 10),
        tier: String(r['tier']),
        rewarded: n(r['rewarded']),
        grantedMinor: n(r['granted_minor']),
        grantedSquares: n(r['granted_squares']),
        reversed: n(r['reversed']),
        reversedMinor: n(r['reversed_minor']),
      }))
      .filter((t) => t.month <= last),
    openingLiabilityMinor: n(open?.['owed']),
    openingApprovedMinor: n(open?.['approved']),
  };
}
