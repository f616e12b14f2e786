/**
 * `refstack explain reward <referral_id>`: every reward_ledger entry of one referral with its rule set version,
 * the inputs the rules used (order, commission base, tier, caps hit, dates, review) and the reason in words a
 * support agent can read to an advocate, plus where each reward stands now (held, approved, paid in which batch,
 * voided or clawed back). Reads the ledger only; `--json` prints the same as data.
 */
import { Command } from 'commander';
import type { RefstackConfig } from '../../config.js';
import { openWarehouse } from '../../warehouse/open.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { formatMinor } from '../../../models/rewards/rules-sql.js';
import { CliError } from '../errors.js';
import { configFrom, configOption, jsonOption, printJson, warehouseOption } from '../shared.js';

export interface ExplainedRewardEntry {
  decidedAt: string;
  ruleSetId: string;
  ruleVersion: number;
  beneficiaryRole: string;
  beneficiaryId: string;
  rewardLine: string;
  entryType: string;
  amountMinor: number;
  reasonCode: string;
  reason: string;
}

/** Where one reward (rule set, beneficiary, reward line) stands as of the ledger date. */
export interface RewardStanding {
  ruleSetId: string;
  ruleVersion: number;
  beneficiaryRole: string;
  beneficiaryId: string;
  rewardLine: string;
  /** The order the reward is for (a recurring reward has one per paid month); NULL without an order. */
  orderId: string | null;
  rewardKind: string;
  /** held | held_for_review | approved_unpaid | paid | voided | clawed_back | nothing_granted */
  status: string;
  /** What was granted after caps (accrued + capped). */
  grantedMinor: number;
  payoutBatchId: string | null;
  paidOn: string | null;
}

export interface RewardExplanation {
  referralId: string;
  programId: string;
  advocateId: string | null;
  refereeId: string | null;
  currency: string;
  asOf: string;
  inputs: {
    orderId: string | null;
    qualifiedAt: string | null;
    commissionBaseMinor: number | null;
    tier: string | null;
    tierReferrals: number | null;
    capsHit: string[];
    clawbackWindowEnd: string | null;
    reviewStatus: string | null;
  };
  rewards: RewardStanding[];
  entries: ExplainedRewardEntry[];
}

interface LedgerRow {
  program_id: string;
  rule_set_id: string;
  rule_version: number | bigint;
  advocate_id: string | null;
  referee_id: string | null;
  beneficiary_id: string;
  beneficiary_role: string;
  reward_line: string;
  order_id: string | null;
  tier: string | null;
  entry_type: string;
  amount_minor: number | bigint;
  currency: string;
  reward_kind: string;
  reason_code: string;
  reason: string;
  decided_at: Date;
  as_of: Date;
  commission_base_minor: number | bigint | null;
  tier_referrals: number | bigint | null;
  qualified_at: Date | null;
  clawback_window_end: Date | null;
  review_status: string | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const num = (v: number | bigint | null) => (v === null ? null : Number(v));

/** Why a known referral has no ledger entries, from stg_referrals (when it exists). */
async function whyNoReward(wh: Warehouse, config: RefstackConfig, referralId: string): Promise<string> {
  const d = wh.dialect;
  const schema = config.schemas.analytics;
  if (!(await wh.tableExists(schema, 'stg_referrals'))) return 'no entries in reward_ledger';
  const rows = await wh.query<{ converted_at: Date | null; is_self_referral: boolean; program_id: string }>(
    `select converted_at, is_self_referral, program_id from ${d.tableRef(schema, 'stg_referrals')}
     where referral_id = ${d.param('id')}`,
    { id: referralId },
  );
  const r = rows[0];
  if (!r) return 'not in stg_referrals either (check the id)';
  if (r.is_self_referral) return 'it is a self-referral, which never earns a reward';
  if (!r.converted_at) return 'the referee has not made a qualifying (paid) purchase yet';
  return `no reward rule set of program ${r.program_id} covers it (or it qualified after the ledger's as-of date)`;
}

/** Reads the explanation of one referral's rewards. Throws a one-line error for an unknown referral or no ledger. */
export async function explainReward(
  wh: Warehouse,
  config: RefstackConfig,
  referralId: string,
): Promise<RewardExplanation> {
  const d = wh.dialect;
  const schema = config.schemas.analytics;
  if (!(await wh.tableExists(schema, 'reward_ledger')))
    throw new CliError(`no reward_ledger table in ${wh.location}; run "refstack run" first`);
  const ledger = d.tableRef(schema, 'reward_ledger');
  const rows = await wh.query<LedgerRow>(
    `select program_id, rule_set_id, rule_version, advocate_id, referee_id, beneficiary_id, beneficiary_role,
       reward_line, order_id, tier, entry_type, amount_minor, currency, reward_kind, reason_code, reason, decided_at,
       as_of, commission_base_minor, tier_referrals, qualified_at, clawback_window_end, review_status
     from ${ledger} where referral_id = ${d.param('id')}
     order by decided_at, beneficiary_role, reward_line, amount_minor desc, entry_type`,
    { id: referralId },
  );
  if (rows.length === 0)
    throw new CliError(`referral "${referralId}" has no reward: ${await whyNoReward(wh, config, referralId)}`);
  // The payout that paid an approval: the first payout of the same beneficiary and rule set after it.
  const payouts = await wh.query<{
    rule_set_id: string;
    beneficiary_role: string;
    beneficiary_id: string;
    decided_at: Date;
    payout_batch_id: string;
  }>(
    `select p.rule_set_id, p.beneficiary_role, p.beneficiary_id, p.decided_at, p.payout_batch_id
     from ${ledger} p
     where p.entry_type = 'payout' and exists (
       select 1 from ${ledger} l where l.referral_id = ${d.param('id')} and l.rule_set_id = p.rule_set_id
         and l.beneficiary_role = p.beneficiary_role and l.beneficiary_id = p.beneficiary_id)
     order by p.decided_at`,
    { id: referralId },
  );
  const first = rows.find((r) => r.reward_line === 'referral') ?? rows[0]!;
  const lines = new Map<string, LedgerRow[]>();
  for (const r of rows) {
    const key = [r.rule_set_id, r.beneficiary_role, r.beneficiary_id, r.reward_line, r.order_id ?? ''].join('\u0000');
    lines.set(key, [...(lines.get(key) ?? []), r]);
  }
  const rewards: RewardStanding[] = [...lines.values()].map((entries) => {
    const e = entries[0]!;
    const has = (t: string) => entries.find((x) => x.entry_type === t);
    const granted = entries
      .filter((x) => x.entry_type === 'accrued' || x.entry_type === 'capped')
      .reduce((s, x) => s + Number(x.amount_minor), 0);
    const approved = has('approved');
    const paidBy =
      approved && e.reward_kind === 'cash'
        ? payouts.find(
            (p) =>
              p.rule_set_id === e.rule_set_id &&
              p.beneficiary_role === e.beneficiary_role &&
              p.beneficiary_id === e.beneficiary_id &&
              p.decided_at > approved.decided_at,
          )
        : undefined;
    const status = has('voided')
      ? 'voided'
      : has('clawed_back')
        ? 'clawed_back'
        : granted <= 0
          ? 'nothing_granted'
          : approved
            ? paidBy
              ? 'paid'
              : 'approved_unpaid'
            : has('held')
              ? 'held_for_review'
              : 'held';
    return {
      ruleSetId: e.rule_set_id,
      ruleVersion: Number(e.rule_version),
      beneficiaryRole: e.beneficiary_role,
      beneficiaryId: e.beneficiary_id,
      rewardLine: e.reward_line,
      orderId: e.order_id,
      rewardKind: e.reward_kind,
      status,
      grantedMinor: granted,
      payoutBatchId: paidBy?.payout_batch_id ?? null,
      paidOn: paidBy ? paidBy.decided_at.toISOString().slice(0, 10) : null,
    };
  });
  return {
    referralId,
    programId: first.program_id,
    advocateId: first.advocate_id,
    refereeId: first.referee_id,
    currency: first.currency,
    asOf: first.as_of.toISOString().slice(0, 10),
    inputs: {
      orderId: first.order_id,
      qualifiedAt: iso(first.qualified_at),
      commissionBaseMinor: num(first.commission_base_minor),
      tier: rows.find((r) => r.tier !== null)?.tier ?? null,
      tierReferrals: num(rows.find((r) => r.tier_referrals !== null)?.tier_referrals ?? null),
      capsHit: [...new Set(rows.filter((r) => r.entry_type === 'capped').map((r) => r.reason_code))],
      clawbackWindowEnd: iso(first.clawback_window_end),
      reviewStatus: first.review_status,
    },
    rewards,
    entries: rows.map((r) => ({
      decidedAt: r.decided_at.toISOString(),
      ruleSetId: r.rule_set_id,
      ruleVersion: Number(r.rule_version),
      beneficiaryRole: r.beneficiary_role,
      beneficiaryId: r.beneficiary_id,
      rewardLine: r.reward_line,
      entryType: r.entry_type,
      amountMinor: Number(r.amount_minor),
      reasonCode: r.reason_code,
      reason: r.reason,
    })),
  };
}

const STATUS_WORDS: Record<string, string> = {
  held: 'held until its holding period ends',
  held_for_review: 'held: waiting for a reviewer',
  approved_unpaid: 'approved, not paid yet (paid on a payout date once the balance reaches the minimum payout)',
  paid: 'paid',
  voided: 'void (never approved)',
  clawed_back: 'clawed back',
  nothing_granted: 'nothing granted (a cap or budget took it all)',
};

/** The human-readable explanation (what the command prints without --json). */
export function formatRewardExplanation(e: RewardExplanation): string {
  const money = (m: number) => formatMinor(m, e.currency);
  const i = e.inputs;
  const versions = [...new Set(e.rewards.map((r) => `${r.ruleSetId} version ${r.ruleVersion}`))];
  const inputs = [
    i.qualifiedAt ? `qualified ${i.qualifiedAt.slice(0, 10)}` : null,
    i.orderId ? `order ${i.orderId}` : null,
    i.commissionBaseMinor !== null ? `commission base ${money(i.commissionBaseMinor)}` : null,
    i.tier ? `tier ${i.tier} (${i.tierReferrals} successful referrals in the window)` : null,
    i.capsHit.length > 0 ? `caps hit: ${i.capsHit.join(', ')}` : 'no cap hit',
    i.clawbackWindowEnd ? `clawback window until ${i.clawbackWindowEnd.slice(0, 10)}` : null,
    i.reviewStatus ? `review: ${i.reviewStatus}` : null,
  ].filter((x) => x !== null);
  const lines = [
    `referral ${e.referralId}: advocate ${e.advocateId ?? '-'}, referee ${e.refereeId ?? '-'}, program ${e.programId}` +
      ` (ledger as of ${e.asOf})`,
    `judged by rule set ${versions.join(', ')}`,
    `inputs: ${inputs.join('; ')}`,
    '',
    'where each reward stands:',
    ...e.rewards.map(
      (r) =>
        `  ${r.beneficiaryRole} ${r.beneficiaryId} (${r.rewardLine}${r.rewardLine === 'recurring' ? ` ${r.orderId}` : ''}` +
        `${r.rewardKind === 'non_cash' ? ', non-cash' : ''}): ` +
        `${money(r.grantedMinor)} ${STATUS_WORDS[r.status] ?? r.status}` +
        (r.payoutBatchId ? ` on ${r.paidOn} in batch ${r.payoutBatchId}` : ''),
    ),
    '',
    'ledger entries:',
    ...e.entries.flatMap((x) => [
      `  ${x.decidedAt.slice(0, 10)}  ${`${x.beneficiaryRole} ${x.beneficiaryId}`.padEnd(20)} ${x.entryType.padEnd(12)}` +
        ` ${money(x.amountMinor).padStart(14)}  ${x.reasonCode} (rule ${x.ruleSetId} v${x.ruleVersion})`,
      `      ${x.reason}`,
    ]),
  ];
  return lines.join('\n');
}

/** The `reward` subcommand; the lead adds it under `explain` (explainCommand().addCommand(explainRewardCommand())). */
export function explainRewardCommand(): Command {
  const reward = new Command('reward')
    .description("print a referral's reward ledger entries with rule versions, inputs and reasons")
    .argument('<referral_id>', 'the referral (stg_referrals.referral_id)')
    .addOption(warehouseOption())
    .addOption(configOption())
    .addOption(jsonOption())
    .action(async (referralId: string, opts: { warehouse?: string; config?: string; json?: boolean }) => {
      const config = await configFrom(opts);
      const wh = await openWarehouse(config, {
        ...(opts.warehouse ? { pathOverride: opts.warehouse } : {}),
        readOnly: true,
      });
      try {
        const explanation = await explainReward(wh, config, referralId);
        if (opts.json) return printJson(explanation);
        process.stdout.write(`${formatRewardExplanation(explanation)}\n`);
      } finally {
        await wh.close();
      }
    });
  reward.exitOverride().showHelpAfterError('(run with --help for usage)');
  return reward;
}

/** Alias matching the brief's name: the `reward` subcommand of `explain`. */
export const rewardCommand = explainRewardCommand;
