/**
 * The data behind the site's "Rewards and liability" page, one function per mart:
 * - `loadRewardLiability`: `reward_liability` per program, status and reward kind, and summed per status over all
 *   programs (integer minor units summed in SQL);
 * - `loadRewardLedger`: `reward_ledger` summed per month and entry type, per rule set version (decisions and
 *   referrals judged), and its clawbacks and voids per program and reason code.
 * No emails or IPs: the ledger's ids and reason codes only (its `reason` text names order ids, and is left out).
 * A missing or empty mart gives empty arrays, so the page shows "no rewards configured yet" instead of failing
 * the site build.
 */
import { assertIdentifier } from '../warehouse/identifiers.js';
import type { Row, Warehouse } from '../warehouse/warehouse.js';
import { isoDay } from './cohorts-ltv-data.js';
import { martStatus, type MartStatus } from './mart.js';
import { loadLiabilityBalances, type LiabilityBalancesData } from './payouts-data.js';

export const REWARD_LIABILITY_TABLE = 'reward_liability';
export const REWARD_LEDGER_TABLE = 'reward_ledger';
/** The reward_ledger columns loadRewardLedger reads. */
export const REWARD_LEDGER_COLUMNS = [
  'effective_at',
  'entry_type',
  'amount_minor',
  'rule_set_id',
  'rule_version',
  'program_id',
  'referral_id',
  'reason_code',
  'currency',
  'as_of',
] as const;

/** The ledger's entry types in the order of a reward's life. */
export const ENTRY_TYPES = ['accrued', 'capped', 'approved', 'voided', 'clawed_back'] as const;

export interface LiabilityRow {
  program_id: string;
  status: string;
  /** 'all' when the mart is in its balances shape (no split by kind). */
  reward_kind: string;
  /** Null when the mart is in its balances shape (no reward counts). */
  rewards: number | null;
  beneficiaries: number | null;
  amount_minor: number;
}

/** Summed over every program and reward kind. `beneficiaries` is distinct per row, so it is not summed here. */
export interface LiabilityTotal {
  status: string;
  rewards: number | null;
  amount_minor: number;
}

export interface RewardLiabilityData {
  generatedAt: string;
  available: boolean;
  currency: string | null;
  asOf: string | null;
  programs: string[];
  rows: LiabilityRow[];
  /** One row per status present ('held', 'approved_unpaid'). */
  totals: LiabilityTotal[];
  /** Set when reward_liability has neither complete shape (an older mart: rerun `refstack run`). */
  status?: MartStatus;
}

/** The columns the per-status shape of reward_liability is read with. */
export const REWARD_LIABILITY_COLUMNS = [
  'program_id',
  'status',
  'reward_kind',
  'rewards',
  'beneficiaries',
  'amount_minor',
  'currency',
  'as_of',
] as const;

export interface LedgerMonth {
  /** YYYY-MM-DD, first day of the month of effective_at. */
  month: string;
  entry_type: string;
  entries: number;
  amount_minor: number;
}

export interface RuleVersion {
  rule_set_id: string;
  rule_version: number;
  /** Programs it judged, sorted. */
  programs: string[];
  decisions: number;
  referrals: number;
  accrued_minor: number;
  first_decision: string;
  last_decision: string;
  /** The highest version of its rule set in the ledger. */
  latest: boolean;
}

export interface ClawbackRow {
  program_id: string;
  entry_type: string;
  reason_code: string;
  entries: number;
  amount_minor: number;
}

export interface RewardLedgerData {
  generatedAt: string;
  available: boolean;
  currency: string | null;
  asOf: string | null;
  monthly: LedgerMonth[];
  /** Entries and amounts per entry type over the whole ledger. */
  byType: { entry_type: string; entries: number; amount_minor: number }[];
  ruleVersions: RuleVersion[];
  clawbacks: ClawbackRow[];
}

function exact(value: unknown, where: string): number {
  if (typeof value === 'bigint') throw new Error(`${where} (${value}) is beyond JSON's exact integer range`);
  return Number(value);
}

function assertOneCurrency(rows: { c_min: string | null; c_max: string | null }[], table: string): string | null {
  const r = rows[0];
  if (r && r.c_min !== r.c_max) throw new Error(`${table} mixes currencies (${r.c_min}, ${r.c_max})`);
  return r?.c_min ?? null;
}

/** The per-status view of the balances shape: held and approved-unpaid per program, kind 'all', no counts. */
function fromBalances(b: LiabilityBalancesData, generatedAt: string): RewardLiabilityData {
  const statuses = [
    ['held', 'held_minor'],
    ['approved_unpaid', 'approved_unpaid_minor'],
  ] as const;
  const rows: LiabilityRow[] = b.programs.flatMap((p) =>
    statuses
      .filter(([, c]) => p[c] !== 0)
      .map(([status, c]) => ({
        program_id: p.program_id,
        status,
        reward_kind: 'all',
        rewards: null,
        beneficiaries: null,
        amount_minor: p[c],
      })),
  );
  const totals: LiabilityTotal[] = b.total
    ? statuses
        .filter(([, c]) => b.programs.some((p) => p[c] !== 0))
        .map(([status, c]) => ({ status, rewards: null, amount_minor: b.total![c] }))
    : [];
  return {
    generatedAt,
    available: b.status.state !== 'missing',
    currency: b.currency,
    asOf: b.asOf,
    programs: b.programs.map((p) => p.program_id),
    rows,
    totals,
  };
}

/** Reads `<schema>.reward_liability` (per-status shape, or F1's balances shape converted). */
export async function loadRewardLiability(
  wh: Warehouse,
  schema: string,
  options: { now?: Date } = {},
): Promise<RewardLiabilityData> {
  assertIdentifier(schema, 'REFSTACK_SCHEMA');
  const generatedAt = (options.now ?? new Date()).toISOString();
  const empty = { generatedAt, currency: null, asOf: null, programs: [], rows: [], totals: [] };
  if (!(await wh.tableExists(schema, REWARD_LIABILITY_TABLE))) return { ...empty, available: false };
  // F1's balances shape (held_minor, approved_unpaid_minor, ... per program) replaces the per-status rows; it is
  // read by loadLiabilityBalances (payouts-data.ts), and this per-status view is then derived from it.
  const shape = await martStatus(wh, schema, REWARD_LIABILITY_TABLE, REWARD_LIABILITY_COLUMNS);
  if (shape.state === 'incomplete') {
    const balances = await loadLiabilityBalances(wh, schema, options);
    // Neither shape complete: the mart is older than both readers.
    if (balances.status.state === 'incomplete') return { ...empty, available: true, status: shape };
    return fromBalances(balances, generatedAt);
  }
  const d = wh.dialect;
  const ref = d.tableRef(schema, REWARD_LIABILITY_TABLE);
  const int = (expr: string) => d.cast(expr, 'int64');
  const [rows, totals, meta] = await Promise.all([
    wh.query<LiabilityRow & Row>(
      `select program_id, status, reward_kind, ${int('sum(rewards)')} as rewards,
  ${int('sum(beneficiaries)')} as beneficiaries, ${int('sum(amount_minor)')} as amount_minor
from ${ref}
group by program_id, status, reward_kind
order by program_id, status, reward_kind`,
    ),
    wh.query<LiabilityTotal & Row>(
      `select status, ${int('sum(rewards)')} as rewards, ${int('sum(amount_minor)')} as amount_minor
from ${ref} group by status order by status desc`,
    ),
    wh.query<{ c_min: string | null; c_max: string | null; as_of: unknown }>(
      `select min(currency) as c_min, max(currency) as c_max, max(as_of) as as_of from ${ref}`,
    ),
  ]);
  const where = `${REWARD_LIABILITY_TABLE}: summed amount_minor`;
  return {
    generatedAt,
    available: true,
    currency: assertOneCurrency(meta, `${schema}.${REWARD_LIABILITY_TABLE}`),
    asOf: meta[0]?.as_of == null ? null : isoDay(meta[0].as_of),
    programs: [...new Set(rows.map((r) => r.program_id))].sort(),
    rows: rows.map((r) => ({ ...r, amount_minor: exact(r.amount_minor, where) })),
    totals: totals.map((t) => ({ ...t, amount_minor: exact(t.amount_minor, where) })),
  };
}

/** Reads `<schema>.reward_ledger` summed per month and entry type, per rule version, and its clawbacks. */
export async function loadRewardLedger(
  wh: Warehouse,
  schema: string,
  options: { now?: Date } = {},
): Promise<RewardLedgerData> {
  assertIdentifier(schema, 'REFSTACK_SCHEMA');
  const generatedAt = (options.now ?? new Date()).toISOString();
  const empty = { generatedAt, currency: null, asOf: null, monthly: [], byType: [], ruleVersions: [], clawbacks: [] };
  // Absent, or built before a column read below existed: the empty shape (never a Binder Error).
  const ledgerState = (await martStatus(wh, schema, REWARD_LEDGER_TABLE, REWARD_LEDGER_COLUMNS)).state;
  if (ledgerState === 'missing' || ledgerState === 'incomplete') return { ...empty, available: false };
  const d = wh.dialect;
  const ref = d.tableRef(schema, REWARD_LEDGER_TABLE);
  const int = (expr: string) => d.cast(expr, 'int64');
  const [monthly, byType, versions, clawbacks, meta] = await Promise.all([
    wh.query<LedgerMonth & Row>(
      `select ${d.dateTrunc('month', 'effective_at')} as month, entry_type, ${int('count(*)')} as entries,
  ${int('sum(amount_minor)')} as amount_minor
from ${ref} group by 1, 2 order by 1, 2`,
    ),
    wh.query<{ entry_type: string; entries: number; amount_minor: number } & Row>(
      `select entry_type, ${int('count(*)')} as entries, ${int('sum(amount_minor)')} as amount_minor
from ${ref} group by 1 order by 1`,
    ),
    wh.query<
      {
        rule_set_id: string;
        rule_version: number;
        program_id: string;
        decisions: number;
        referrals: number;
        accrued_minor: number;
        first_decision: unknown;
        last_decision: unknown;
      } & Row
    >(
      `select rule_set_id, ${int('rule_version')} as rule_version, program_id, ${int('count(*)')} as decisions,
  ${int('count(distinct referral_id)')} as referrals,
  ${int("sum(case when entry_type = 'accrued' then amount_minor else 0 end)")} as accrued_minor,
  min(effective_at) as first_decision, max(effective_at) as last_decision
from ${ref} group by 1, 2, 3 order by 1, 2, 3`,
    ),
    wh.query<ClawbackRow & Row>(
      `select program_id, entry_type, reason_code, ${int('count(*)')} as entries, ${int('sum(amount_minor)')} as amount_minor
from ${ref} where entry_type in ('clawed_back', 'voided')
group by 1, 2, 3 order by 1, 2, 3`,
    ),
    wh.query<{ c_min: string | null; c_max: string | null; as_of: unknown }>(
      `select min(currency) as c_min, max(currency) as c_max, max(as_of) as as_of from ${ref}`,
    ),
  ]);
  const where = `${REWARD_LEDGER_TABLE}: summed amount_minor`;
  // A version's decisions are counted per program in SQL; a rule set judging several programs is merged here.
  // Referrals belong to one program, so their distinct counts add up across programs.
  const merged = new Map<string, RuleVersion>();
  for (const v of versions) {
    const key = `${v.rule_set_id}\u0000${v.rule_version}`;
    const first = isoDay(v.first_decision);
    const last = isoDay(v.last_decision);
    const prev = merged.get(key);
    if (!prev) {
      merged.set(key, {
        rule_set_id: v.rule_set_id,
        rule_version: v.rule_version,
        programs: [v.program_id],
        decisions: v.decisions,
        referrals: v.referrals,
        accrued_minor: exact(v.accrued_minor, where),
        first_decision: first,
        last_decision: last,
        latest: false,
      });
      continue;
    }
    prev.programs = [...prev.programs, v.program_id].sort();
    prev.decisions += v.decisions;
    prev.referrals += v.referrals;
    prev.accrued_minor += exact(v.accrued_minor, where);
    if (first < prev.first_decision) prev.first_decision = first;
    if (last > prev.last_decision) prev.last_decision = last;
  }
  const ruleVersions = [...merged.values()];
  for (const v of ruleVersions)
    v.latest = !ruleVersions.some((o) => o.rule_set_id === v.rule_set_id && o.rule_version > v.rule_version);
  return {
    generatedAt,
    available: true,
    currency: assertOneCurrency(meta, `${schema}.${REWARD_LEDGER_TABLE}`),
    asOf: meta[0]?.as_of == null ? null : isoDay(meta[0].as_of),
    monthly: monthly.map((m) => ({ ...m, month: isoDay(m.month), amount_minor: exact(m.amount_minor, where) })),
    byType: byType.map((t) => ({ ...t, amount_minor: exact(t.amount_minor, where) })),
    ruleVersions,
    clawbacks: clawbacks.map((c) => ({ ...c, amount_minor: exact(c.amount_minor, where) })),
  };
}
