/**
 * Two sections of the "Rewards and liability" page, derived from the warehouse only (loaders have no config):
 * - tier distribution: per program, advocates by the tier of their latest referral: `reward_ledger.tier` on the
 *   advocate's `accrued` entries, the latest by `qualified_at`, then `effective_at`, then `ledger_entry_id`
 *   (NO_TIER when the program has no tier rules);
 * - rule versions in force: every (rule_set_id, version) in the operational table `reward_rule_versions` (versions
 *   promoted by commands) or in `reward_ledger` (versions that judged referrals, from config or promoted). A
 *   version's start is its `effective_from` when the operational table has it, else its first ledger
 *   `effective_at` (the config's effectiveFrom is not in the warehouse, so this is the first day it took effect);
 *   it ends where the next version of its rule set starts, and the last version of each rule set is in force.
 * Both queries aggregate in SQL; `created_by` (a person) is not read.
 */
import type { Row, Warehouse } from '../warehouse/warehouse.js';
import { isoDay } from './cohorts-ltv-data.js';
import { exactNumber, martStatus, type MartStatus } from './mart.js';

export const NO_TIER = 'no tier';
export const TIER_LEDGER_COLUMNS = [
  'program_id',
  'advocate_id',
  'beneficiary_role',
  'entry_type',
  'tier',
  'tier_referrals',
  'qualified_at',
  'effective_at',
  'ledger_entry_id',
  'rule_set_id',
  'rule_version',
] as const;
export const RULE_VERSION_COLUMNS = ['rule_set_id', 'version', 'effective_from', 'origin'] as const;

export interface TierRow {
  program_id: string;
  tier: string;
  advocates: number;
  /** The fewest tier_referrals seen with this tier (orders tiers); null without tiers. */
  min_referrals: number | null;
}

export interface RuleVersionInForce {
  rule_set_id: string;
  version: number;
  /** YYYY-MM-DD. */
  effective_from: string;
  /** YYYY-MM-DD the next version starts; null while in force. */
  effective_to: string | null;
  /** 'config' for versions seen only in the ledger, else the operational table's origin (e.g. experiment:...). */
  origin: string;
  /** Where effective_from came from. */
  from_source: 'reward_rule_versions' | 'reward_ledger';
  ledger_entries: number;
  first_effective_at: string | null;
  last_effective_at: string | null;
  in_force: boolean;
}

export interface RewardRulesData {
  generatedAt: string;
  status: MartStatus;
  versionsStatus: MartStatus;
  tiers: TierRow[];
  versions: RuleVersionInForce[];
}

/** Reads tier distribution and rule versions from `<schema>.reward_ledger` and `<schema>.reward_rule_versions`. */
export async function loadRewardRules(
  wh: Warehouse,
  schema: string,
  options: { now?: Date } = {},
): Promise<RewardRulesData> {
  const generatedAt = (options.now ?? new Date()).toISOString();
  const status = await martStatus(wh, schema, 'reward_ledger', TIER_LEDGER_COLUMNS);
  const versionsStatus = await martStatus(wh, schema, 'reward_rule_versions', RULE_VERSION_COLUMNS);
  const d = wh.dialect;
  const int = (e: string) => d.cast(e, 'int64');
  let tiers: TierRow[] = [];
  const seen = new Map<string, { entries: number; first: string; last: string }>();
  if (status.state === 'ready') {
    const ledger = d.tableRef(schema, 'reward_ledger');
    const [tierRows, versionRows] = await Promise.all([
      wh.query<Row>(`
select program_id, coalesce(tier, ${d.stringLiteral(NO_TIER)}) as tier, ${int('count(*)')} as advocates,
  ${int('min(tier_referrals)')} as min_referrals
from (
  select program_id, advocate_id, tier, tier_referrals,
    row_number() over (partition by program_id, advocate_id
      order by qualified_at desc, effective_at desc, ledger_entry_id desc) as rn
  from ${ledger}
  where entry_type = 'accrued' and beneficiary_role = 'advocate' and advocate_id is not null
) x
where rn = 1
group by 1, 2
order by 1, 4, 2`),
      wh.query<Row>(`
select rule_set_id, ${int('rule_version')} as version, ${int('count(*)')} as entries,
  min(effective_at) as first_at, max(effective_at) as last_at
from ${ledger}
where rule_set_id is not null
group by 1, 2`),
    ]);
    tiers = tierRows.map((r) => ({
      program_id: String(r.program_id),
      tier: String(r.tier),
      advocates: exactNumber(r.advocates, 'reward_ledger: advocates per tier'),
      min_referrals: r.min_referrals == null ? null : Number(r.min_referrals),
    }));
    for (const r of versionRows)
      seen.set(`${r.rule_set_id}|${Number(r.version)}`, {
        entries: exactNumber(r.entries, 'reward_ledger: entries per rule version'),
        first: isoDay(r.first_at),
        last: isoDay(r.last_at),
      });
  }
  const promoted = new Map<string, { effective_from: string; origin: string }>();
  if (versionsStatus.state === 'ready') {
    const rows = await wh.query<Row>(
      `select rule_set_id, ${int('version')} as version, min(effective_from) as effective_from, min(origin) as origin
from ${d.tableRef(schema, 'reward_rule_versions')} group by 1, 2`,
    );
    for (const r of rows)
      promoted.set(`${r.rule_set_id}|${Number(r.version)}`, {
        effective_from: isoDay(r.effective_from),
        origin: r.origin == null ? 'promoted' : String(r.origin),
      });
  }
  const keys = [...new Set([...seen.keys(), ...promoted.keys()])];
  const versions = keys
    .map((key) => {
      const [rule_set_id, version] = [key.slice(0, key.lastIndexOf('|')), Number(key.slice(key.lastIndexOf('|') + 1))];
      const ledger = seen.get(key);
      const op = promoted.get(key);
      return {
        rule_set_id,
        version,
        effective_from: op?.effective_from ?? ledger!.first,
        effective_to: null as string | null,
        origin: op?.origin ?? 'config',
        from_source: op ? ('reward_rule_versions' as const) : ('reward_ledger' as const),
        ledger_entries: ledger?.entries ?? 0,
        first_effective_at: ledger?.first ?? null,
        last_effective_at: ledger?.last ?? null,
        in_force: true,
      };
    })
    .sort((a, b) => a.rule_set_id.localeCompare(b.rule_set_id) || a.version - b.version);
  for (let i = 0; i + 1 < versions.length; i++)
    if (versions[i]!.rule_set_id === versions[i + 1]!.rule_set_id) {
      versions[i]!.effective_to = versions[i + 1]!.effective_from;
      versions[i]!.in_force = false;
    }
  return { generatedAt, status, versionsStatus, tiers, versions };
}
