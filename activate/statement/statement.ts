/**
 * An advocate's statement, the answer to "where is my reward?": each of their referrals (sign-up, purchase) with
 * the rewards the ledger holds for the advocate on it (referral and milestone lines), plus the customer's own reward
 * as a referee (role 'referee'), their balances (in holding, approved and awaiting payout, paid, reversed) and the
 * latest decision in words. Reads only rows whose advocate (stg_referrals.advocate_id) or beneficiary
 * (reward_ledger.beneficiary_id) is this customer, so no other advocate's data can appear (a referee line does not
 * name who referred them). Payouts are shown once the ledger has them (paid_delta_minor, payout_batch_id).
 */
import type { RefstackConfig } from '../../src/config.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';

export interface StatementLine {
  referralId: string;
  referee: string;
  /** 'referee': the customer's own reward for signing up through someone's referral (the advocate is not shown). */
  role: 'advocate' | 'referee';
  signedUpAt: string | null;
  convertedAt: string | null;
  rewardLine: string | null;
  status: string;
  earnedMinor: number;
  heldMinor: number;
  approvedMinor: number;
  paidMinor: number;
  reversedMinor: number;
  currency: string;
  latestDecision: string | null;
  latestDecisionAt: string | null;
  /** Payout batches that paid this reward (comma-separated), '' when none. */
  payoutBatches: string;
  /** The held amount waits for a reviewer (the referral is in the review queue), not for the holding period. */
  inReview: boolean;
}

export interface Statement {
  advocateId: string;
  asOf: string | null;
  currency: string;
  lines: StatementLine[];
  totals: {
    earnedMinor: number;
    heldMinor: number;
    /** The part of heldMinor waiting for a reviewer. */
    inReviewMinor: number;
    approvedMinor: number;
    paidMinor: number;
    reversedMinor: number;
  };
}

interface Row {
  referral_id: string;
  referee_id: string;
  role: 'advocate' | 'referee';
  signed_up_at: Date | null;
  converted_at: Date | null;
  reward_line: string | null;
  earned: number | null;
  held: number | null;
  approved: number | null;
  paid: number | null;
  reversed: number | null;
  in_review: number | null;
  currency: string | null;
  reason: string | null;
  decided_at: Date | null;
  as_of: Date | null;
}

/** The status in words from the balances (the ledger's own reason is shown beside it). */
function statusOf(r: Row): string {
  if (r.reward_line === null)
    return r.converted_at ? 'purchased; no reward under the current rules' : 'signed up; no purchase yet';
  if ((r.held ?? 0) > 0)
    return r.in_review ? 'earned; held for review (waiting for a reviewer)' : 'earned; in the holding period';
  if ((r.approved ?? 0) > 0) return 'approved; awaiting payout';
  if ((r.paid ?? 0) > 0) return 'paid';
  if ((r.reversed ?? 0) < 0) return 'reversed (voided, capped or clawed back)';
  return 'no balance';
}

export async function advocateStatement(wh: Warehouse, config: RefstackConfig, advocateId: string): Promise<Statement> {
  const d = wh.dialect;
  const schema = config.schemas.analytics;
  for (const t of ['stg_referrals', 'reward_ledger'])
    if (!(await wh.tableExists(schema, t)))
      throw new Error(`statement needs ${schema}.${t}: run \`refstack run\` first`);
  const ledger = d.tableRef(schema, 'reward_ledger');
  const referrals = d.tableRef(schema, 'stg_referrals');
  let paid = d.cast('0', 'int64');
  const batches = new Map<string, string[]>();
  try {
    const paidRows = await wh.query<{
      referral_id: string;
      reward_line: string;
      beneficiary_role: string;
      payout_batch_id: string;
    }>(
      `select distinct referral_id, reward_line, beneficiary_role, payout_batch_id from ${ledger}
       where beneficiary_id = ${d.param('advocate')} and payout_batch_id is not null
         and paid_delta_minor <> 0
       order by payout_batch_id`,
      { advocate: advocateId },
    );
    paid = 'coalesce(paid_delta_minor, 0)';
    for (const r of paidRows) {
      const key = `${r.referral_id}|${r.reward_line}|${r.beneficiary_role}`;
      batches.set(key, [...(batches.get(key) ?? []), r.payout_batch_id]);
    }
  } catch {
    // The ledger has no payouts yet (no paid_delta_minor / payout_batch_id): nothing is paid.
  }
  const rows = await wh.query<Row>(
    `
with mine as (
  select referral_id from ${referrals} where advocate_id = ${d.param('advocate')}
),
rewards as (
  select referral_id, reward_line, currency, beneficiary_role as role,
    sum(case when entry_type = 'accrued' then amount_minor else 0 end) as earned,
    sum(held_delta_minor) as held, sum(approved_delta_minor) as approved, sum(${paid}) as paid,
    sum(case when entry_type in ('voided', 'capped', 'clawed_back') then amount_minor else 0 end) as reversed,
    max(case when entry_type = 'held' then 1 else 0 end) as in_review,
    max(as_of) as as_of
  from ${ledger}
  where beneficiary_id = ${d.param('advocate')}
  group by referral_id, reward_line, currency, beneficiary_role
),
latest as (
  select referral_id, reward_line, beneficiary_role as role, reason, decided_at from ${ledger}
  where beneficiary_id = ${d.param('advocate')}
  ${d.qualify(
    // Entries of one instant (an accrual and its cap): the later step in the ledger's life wins, not the id hash.
    `row_number() over (partition by referral_id, reward_line, beneficiary_role order by decided_at desc,
      case entry_type when 'accrued' then 0 when 'held' then 1 else 2 end desc, ledger_entry_id desc) = 1`,
    true,
  )}
)
select coalesce(m.referral_id, r.referral_id) as referral_id, s.referee_id, s.signed_up_at,
  s.converted_at, coalesce(r.role, 'advocate') as role, r.reward_line, r.earned, r.held, r.approved, r.paid,
  r.reversed, r.in_review, r.currency, l.reason, l.decided_at, r.as_of
from mine m
-- A reward as the referee (their own sign-up) has no row in mine: it stays a line of its own.
full outer join rewards r on r.referral_id = m.referral_id and r.role = 'advocate'
left join ${referrals} s on s.referral_id = coalesce(m.referral_id, r.referral_id)
left join latest l on l.referral_id = r.referral_id and l.reward_line = r.reward_line and l.role = r.role
order by coalesce(s.signed_up_at, l.decided_at), referral_id, r.reward_line, role`,
    { advocate: advocateId },
  );
  if (rows.length === 0)
    throw new Error(
      `advocate "${advocateId}" has no referrals and no rewards in ${schema}.stg_referrals / reward_ledger`,
    );
  const iso = (v: Date | null) => (v ? v.toISOString() : null);
  const currency = rows.find((r) => r.currency)?.currency ?? config.reportingCurrency;
  const lines: StatementLine[] = rows.map((r) => ({
    referralId: r.referral_id,
    referee: r.referee_id ?? '',
    role: r.role,
    signedUpAt: iso(r.signed_up_at),
    convertedAt: iso(r.converted_at),
    rewardLine: r.reward_line,
    status: statusOf(r),
    earnedMinor: r.earned ?? 0,
    heldMinor: r.held ?? 0,
    approvedMinor: r.approved ?? 0,
    paidMinor: r.paid ?? 0,
    reversedMinor: r.reversed ?? 0,
    currency: r.currency ?? currency,
    latestDecision: r.reason,
    latestDecisionAt: iso(r.decided_at),
    payoutBatches: (batches.get(`${r.referral_id}|${r.reward_line}|${r.role}`) ?? []).join(','),
    inReview: (r.held ?? 0) > 0 && Boolean(r.in_review),
  }));
  const sum = (k: Exclude<keyof Statement['totals'], 'inReviewMinor'>) => lines.reduce((s, l) => s + l[k], 0);
  const asOf = rows.map((r) => r.as_of).find((v) => v !== null) ?? null;
  return {
    advocateId,
    asOf: asOf ? asOf.toISOString().slice(0, 10) : null,
    currency,
    lines,
    totals: {
      earnedMinor: sum('earnedMinor'),
      heldMinor: sum('heldMinor'),
      inReviewMinor: lines.reduce((s, l) => s + (l.inReview ? l.heldMinor : 0), 0),
      approvedMinor: sum('approvedMinor'),
      paidMinor: sum('paidMinor'),
      reversedMinor: sum('reversedMinor'),
    },
  };
}
