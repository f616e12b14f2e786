/**
 * Payouts, pure: the payout dates of each rule set (from the versions' `payoutSchedule`) and, from the approved
 * cash deltas per beneficiary between payout dates, who is paid what on each date. No I/O; reward_ledger pulls
 * the deltas (one row per beneficiary and payout period with a change, summed in SQL) and writes the payouts.
 *
 * Contract: on a payout date every beneficiary whose approved unpaid balance (approvals minus clawbacks decided
 * before the date, minus earlier payouts) is at least max(threshold, 1) is paid the whole balance, where the
 * threshold is `minPayoutMinor` for advocates and `refereeMinPayoutMinor` for referees. A balance
 * below the threshold, or negative (a clawback after a payout), is carried to the next date, never dropped; so
 * after each payout the paid total equals the approved total up to that date, and payouts never exceed approvals.
 */
import type { RewardRuleSet } from '../marts/rewards/config-schema.js';

export interface PayoutDate {
  ruleSetId: string;
  /** YYYY-MM-DD; the payout happens at 00:00 UTC that day. */
  date: string;
  /** The version whose schedule and threshold apply on that date. */
  ruleVersion: number;
  minPayoutMinor: number;
  refereeMinPayoutMinor: number;
}

/** The version governing payouts on `day`: the one in effect, else the latest that started before it. */
function governing(versions: RewardRuleSet[], day: string): RewardRuleSet | undefined {
  let found: RewardRuleSet | undefined;
  for (const v of versions) if (v.effectiveFrom <= day && (!found || v.effectiveFrom > found.effectiveFrom)) found = v;
  return found;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Payout dates of every rule set, from its first version's effectiveFrom through `asOf` (inclusive), sorted by
 * rule set and date. A month has a payout when the version governing the candidate day (its `dayOfMonth`) has a
 * schedule with that day.
 *
 * @example
 * payoutDates([{ id: 'r', version: 1, effectiveFrom: '2025-01-10', payoutSchedule: { dayOfMonth: 5 }, ... }], '2025-03-05')
 * // [{ date: '2025-02-05', ... }, { date: '2025-03-05', ... }] (2025-01-05 is before the rule set starts)
 */
export function payoutDates(ruleSets: RewardRuleSet[], asOf: string): PayoutDate[] {
  const out: PayoutDate[] = [];
  const ids = [...new Set(ruleSets.map((r) => r.id))].sort();
  for (const id of ids) {
    const versions = ruleSets.filter((r) => r.id === id);
    const start = versions.reduce((a, v) => (v.effectiveFrom < a ? v.effectiveFrom : a), versions[0]!.effectiveFrom);
    let year = Number(start.slice(0, 4));
    let month = Number(start.slice(5, 7));
    const endKey = asOf.slice(0, 7);
    while (`${year}-${pad(month)}` <= endKey) {
      const days = new Set(versions.flatMap((v) => (v.payoutSchedule ? [v.payoutSchedule.dayOfMonth] : [])));
      for (const day of [...days].sort((a, b) => a - b)) {
        const date = `${year}-${pad(month)}-${pad(day)}`;
        if (date < start || date > asOf) continue;
        const v = governing(versions, date);
        if (v?.payoutSchedule?.dayOfMonth === day)
          out.push({
            ruleSetId: id,
            date,
            ruleVersion: v.version,
            minPayoutMinor: v.minPayoutMinor,
            refereeMinPayoutMinor: v.refereeMinPayoutMinor,
          });
      }
      month += 1;
      if (month === 13) [year, month] = [year + 1, 1];
    }
  }
  return out;
}

/** The approved cash delta of one beneficiary under one rule set in the period ending at `payoutDate`. */
export interface ApprovedDelta {
  programId: string;
  ruleSetId: string;
  beneficiaryRole: string;
  beneficiaryId: string;
  /** The payout date closing the period: approvals and clawbacks decided in [previous date, this date). */
  payoutDate: string;
  deltaMinor: number;
}

export interface Payout {
  programId: string;
  ruleSetId: string;
  ruleVersion: number;
  beneficiaryRole: string;
  beneficiaryId: string;
  payoutDate: string;
  /** The threshold that applied to this beneficiary (the referee minimum for referees). */
  minPayoutMinor: number;
  /** What was carried into the period unpaid (below the threshold, or negative after a clawback). */
  carriedMinor: number;
  /** Approved minus clawed back in the period. */
  periodMinor: number;
  /** carriedMinor + periodMinor: the whole balance, paid. */
  amountMinor: number;
}

const keyOf = (d: ApprovedDelta) => [d.programId, d.ruleSetId, d.beneficiaryRole, d.beneficiaryId].join('\u0000');

/**
 * Who is paid what on each payout date (see the module contract). Deltas on a date that is not a payout date
 * of their rule set are an error (the caller buckets by those dates).
 *
 * @example
 * // threshold 2000: +1500 (carried), then +1000 -> paid 2500; then -1000 (clawback) carried, +4000 -> paid 3000
 * schedulePayouts(deltas, dates).map((p) => p.amountMinor) // [2500, 3000]
 */
export function schedulePayouts(deltas: ApprovedDelta[], dates: PayoutDate[]): Payout[] {
  const byRuleSet = new Map<string, PayoutDate[]>();
  for (const d of dates) byRuleSet.set(d.ruleSetId, [...(byRuleSet.get(d.ruleSetId) ?? []), d]);
  const byKey = new Map<string, Map<string, ApprovedDelta>>();
  for (const d of deltas) {
    const k = keyOf(d);
    const m = byKey.get(k) ?? new Map<string, ApprovedDelta>();
    const prev = m.get(d.payoutDate);
    m.set(d.payoutDate, prev ? { ...prev, deltaMinor: prev.deltaMinor + d.deltaMinor } : d);
    byKey.set(k, m);
  }
  const out: Payout[] = [];
  for (const k of [...byKey.keys()].sort()) {
    const periods = byKey.get(k)!;
    const first = [...periods.values()][0]!;
    const schedule = byRuleSet.get(first.ruleSetId) ?? [];
    for (const p of periods.keys())
      if (!schedule.some((s) => s.date === p))
        throw new Error(`approved delta dated ${p} is not a payout date of rule set "${first.ruleSetId}"`);
    const firstDate = [...periods.keys()].sort()[0]!;
    let carried = 0;
    for (const s of schedule) {
      if (s.date < firstDate) continue;
      const period = periods.get(s.date)?.deltaMinor ?? 0;
      const balance = carried + period;
      const threshold = first.beneficiaryRole === 'referee' ? s.refereeMinPayoutMinor : s.minPayoutMinor;
      if (balance >= Math.max(threshold, 1)) {
        out.push({
          programId: first.programId,
          ruleSetId: first.ruleSetId,
          ruleVersion: s.ruleVersion,
          beneficiaryRole: first.beneficiaryRole,
          beneficiaryId: first.beneficiaryId,
          payoutDate: s.date,
          minPayoutMinor: threshold,
          carriedMinor: carried,
          periodMinor: period,
          amountMinor: balance,
        });
        carried = 0;
      } else carried = balance;
    }
  }
  return out;
}
