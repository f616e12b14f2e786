/**
 * The reward rule sets in effect: the versions in config `rewards.ruleSets` plus the versions commands wrote to
 * the operational table reward_rule_versions (e.g. `refstack experiment promote`). A promoted version replaces
 * the version of the same rule set that is open at its effectiveFrom: that version is closed there
 * (effectiveTo = the promoted effectiveFrom), and the promoted version runs to where the closed one would have
 * ended (its old effectiveTo, or open-ended). Promoted versions apply in version order, so a rerun on the same
 * rows gives the same rule sets.
 */
import type { RefstackConfig } from '../../src/config.js';
import { REWARD_RULE_VERSIONS_TABLE } from '../../src/operational-tables.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import {
  rewardRuleSetSchema,
  rewardsConfig,
  ruleSetsSchema,
  type RewardRuleSet,
} from '../marts/rewards/config-schema.js';

const rangeText = (r: RewardRuleSet) => `[${r.effectiveFrom}, ${r.effectiveTo ?? 'open'})`;

/** The version of rule set `id` whose range contains `day` (YYYY-MM-DD), if any. */
export function versionInEffect(sets: RewardRuleSet[], id: string, day: string): RewardRuleSet | undefined {
  return sets.find(
    (s) => s.id === id && s.effectiveFrom <= day && (s.effectiveTo === undefined || day < s.effectiveTo),
  );
}

/**
 * Config rule sets with promoted versions applied (pure). Each promoted version closes the version of the same id
 * open at its effectiveFrom and, unless it has its own effectiveTo, inherits that version's end. The result is
 * validated with `ruleSetsSchema` (unique versions, no overlapping ranges).
 *
 * @throws when a promoted version has no version of its id in effect at its effectiveFrom to replace, starts on
 *   the same day as the version it would replace (that version would never apply), or the result overlaps.
 * @example
 * effectiveRuleSets([{ ...v1, effectiveFrom: '2025-01-01' }], [{ ...v1, version: 2, effectiveFrom: '2025-06-01' }])
 * // v1 [2025-01-01, 2025-06-01), v2 [2025-06-01, open)
 */
export function effectiveRuleSets(configSets: RewardRuleSet[], promoted: RewardRuleSet[]): RewardRuleSet[] {
  const sets = configSets.map((s) => ({ ...s }));
  const ordered = [...promoted].sort((a, b) => (a.id === b.id ? a.version - b.version : a.id < b.id ? -1 : 1));
  for (const p of ordered) {
    const where = `promoted rule set "${p.id}" version ${p.version} ${rangeText(p)}`;
    const open = versionInEffect(sets, p.id, p.effectiveFrom);
    if (!open) {
      const known = sets.filter((s) => s.id === p.id).map((s) => `version ${s.version} ${rangeText(s)}`);
      throw new Error(
        `${where}: no version of "${p.id}" is in effect on ${p.effectiveFrom} to replace (${known.join(', ') || 'none configured'})`,
      );
    }
    if (open.effectiveFrom === p.effectiveFrom)
      throw new Error(
        `${where}: starts the same day as version ${open.version} ${rangeText(open)}, which would never apply; promote from a later date`,
      );
    const next = { ...p, effectiveTo: p.effectiveTo ?? open.effectiveTo };
    open.effectiveTo = p.effectiveFrom;
    sets.push(next);
  }
  const parsed = ruleSetsSchema.safeParse(sets);
  if (!parsed.success)
    throw new Error(
      `reward rule sets with promoted versions applied: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
    );
  return parsed.data;
}

interface VersionRow {
  rule_set_id: string;
  version: number | bigint;
  effective_from: string;
  definition: string;
}

/**
 * Rows of reward_rule_versions as rule sets, in (rule_set_id, version) order. Each definition is validated with
 * `rewardRuleSetSchema` and must agree with its row's rule_set_id, version and effective_from; errors name the
 * row. A missing table reads as no rows.
 */
export async function readPromotedRuleSets(wh: Warehouse, analyticsSchema: string): Promise<RewardRuleSet[]> {
  if (!(await wh.tableExists(analyticsSchema, REWARD_RULE_VERSIONS_TABLE))) return [];
  const d = wh.dialect;
  const rows = await wh.query<VersionRow>(
    `select rule_set_id, version, ${d.cast('effective_from', 'string')} as effective_from,
            ${d.cast('definition', 'string')} as definition
     from ${d.tableRef(analyticsSchema, REWARD_RULE_VERSIONS_TABLE)}
     order by rule_set_id, version`,
  );
  return rows.map((row) => {
    const where = `${analyticsSchema}.${REWARD_RULE_VERSIONS_TABLE} row (rule_set_id "${row.rule_set_id}", version ${row.version})`;
    let json: unknown;
    try {
      json = JSON.parse(row.definition);
    } catch (e) {
      throw new Error(`${where}: definition is not JSON (${(e as Error).message})`);
    }
    const parsed = rewardRuleSetSchema.safeParse(json);
    if (!parsed.success)
      throw new Error(
        `${where}: invalid definition: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
      );
    const r = parsed.data;
    if (r.id !== row.rule_set_id || r.version !== Number(row.version) || r.effectiveFrom !== row.effective_from)
      throw new Error(
        `${where}: definition says id "${r.id}", version ${r.version}, effectiveFrom ${r.effectiveFrom}, but the row says effective_from ${row.effective_from}`,
      );
    return r;
  });
}

/**
 * The rule sets the reward ledger judges by: config `rewards.ruleSets` with the versions in reward_rule_versions
 * (analytics schema) applied by `effectiveRuleSets`.
 */
export async function readRuleSets(wh: Warehouse, config: RefstackConfig): Promise<RewardRuleSet[]> {
  const configSets = rewardsConfig(config).ruleSets;
  const promoted = await readPromotedRuleSets(wh, config.schemas.analytics);
  return effectiveRuleSets(configSets, promoted);
}
