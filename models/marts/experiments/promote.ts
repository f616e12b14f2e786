/**
 * Winner rollout: `refstack experiment promote <experiment> <variant> --from DATE` turns a shipped variant into a
 * new reward rule set version. The version in effect at --from (config rule sets with earlier promotions
 * applied) is copied with the variant's reward change (config `experiments.experiments[].rollout`), numbered
 * highest existing + 1 and effective from --from; the rule set and the audit entry (who, what, why) are written
 * in one transaction to the operational tables reward_rule_versions and refstack_audit_log.
 */
import type { RefstackConfig } from '../../../src/config.js';
import {
  appendAudit,
  ensureOperationalTables,
  REWARD_RULE_VERSIONS_COLUMNS,
  REWARD_RULE_VERSIONS_TABLE,
} from '../../../src/operational-tables.js';
import type { Warehouse } from '../../../src/warehouse/warehouse.js';
import { effectiveRuleSets, readPromotedRuleSets, versionInEffect } from '../../rewards/rule-versions.js';
import { rewardRuleSetSchema, rewardsConfig, type RewardRuleSet } from '../rewards/config-schema.js';
import { experimentsConfigSchema } from './config-schema.js';

export interface PromoteRequest {
  experimentId: string;
  variant: string;
  /** First day (UTC, YYYY-MM-DD) the new version applies. */
  from: string;
  /** Who promotes (recorded as actor and created_by). */
  by: string;
  /** Why, in words (recorded as the audit reason). */
  note?: string | undefined;
  /** Promote although experiment_results does not say ship (recorded in the audit entry). */
  force?: boolean | undefined;
  /** When it is recorded; defaults to now. */
  now?: Date | undefined;
}

export interface PromoteResult {
  /** False when the same promotion was already recorded (a no-op rerun). */
  created: boolean;
  ruleSetId: string;
  version: number;
  effectiveFrom: string;
  /** The version it replaces from effectiveFrom on (null for a no-op rerun). */
  replacesVersion: number | null;
  decision: string | null;
  forced: boolean;
  auditId: string | null;
  message: string;
}

/** An error a user can fix; the CLI prints its message as one line. */
export class PromoteError extends Error {
  override name = 'PromoteError';
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The origin recorded for a promoted version; the same promotion has the same origin and date. */
export const promotionOrigin = (experimentId: string, variant: string) => `experiment:${experimentId}:${variant}`;

/** The decision experiment_results holds for a variant (one per variant; every metric row repeats it). */
export async function variantDecision(
  wh: Warehouse,
  schema: string,
  experimentId: string,
  variant: string,
): Promise<{ decision: string; reason: string } | null> {
  if (!(await wh.tableExists(schema, 'experiment_results'))) return null;
  const d = wh.dialect;
  const rows = await wh.query<{ decision: string; reason: string }>(
    `select decision, min(reason) as reason from ${d.tableRef(schema, 'experiment_results')}
     where experiment = ${d.param('e')} and variant = ${d.param('v')} group by decision order by decision`,
    { e: experimentId, v: variant },
  );
  if (rows.length > 1)
    throw new PromoteError(
      `experiment_results holds several decisions for ${experimentId} / ${variant} (${rows.map((r) => r.decision).join(', ')}); rerun "refstack run"`,
    );
  return rows[0] ?? null;
}

/**
 * Promotes a variant. Refuses (PromoteError naming the value) an unknown experiment or variant, an experiment
 * without a rollout, a decision other than ship (unless forced), a date with no rule set version in effect or on
 * the first day of the version in effect, and a resulting rule set that does not validate. Rerunning the same
 * promotion (same experiment, variant and date) writes nothing and says which version it made.
 */
export async function promoteVariant(
  wh: Warehouse,
  config: RefstackConfig,
  req: PromoteRequest,
): Promise<PromoteResult> {
  const { experimentId, variant, from } = req;
  if (!ISO_DAY.test(from) || !new Date(`${from}T00:00:00Z`).toISOString().startsWith(from))
    throw new PromoteError(`--from: expected a date YYYY-MM-DD, got "${from}"`);
  const cfg = experimentsConfigSchema.parse(config.experiments);
  const index = cfg.experiments.findIndex((e) => e.id === experimentId);
  const exp = cfg.experiments[index];
  if (!exp)
    throw new PromoteError(
      `unknown experiment "${experimentId}" (configured: ${cfg.experiments.map((e) => e.id).join(', ') || 'none'})`,
    );
  const where = `config experiments.experiments[${index}].rollout`;
  if (!exp.rollout) throw new PromoteError(`experiment "${experimentId}" has no ${where}: nothing says what to change`);
  const change = exp.rollout.variants[variant];
  if (!change)
    throw new PromoteError(
      `variant "${variant}" of "${experimentId}" has no reward change in ${where}.variants (has: ${Object.keys(exp.rollout.variants).join(', ') || 'none'})`,
    );
  const schema = config.schemas.analytics;
  const verdict = await variantDecision(wh, schema, experimentId, variant);
  const forced = verdict?.decision !== 'ship';
  if (forced && !req.force)
    throw new PromoteError(
      verdict
        ? `experiment_results says "${verdict.decision}" for ${experimentId} / ${variant}, not ship (${verdict.reason}); use --force to promote anyway (recorded in the audit log)`
        : `experiment_results has no result for ${experimentId} / ${variant}; run "refstack run" first, or use --force (recorded in the audit log)`,
    );

  const ruleSetId = exp.rollout.ruleSetId;
  const origin = promotionOrigin(experimentId, variant);
  await ensureOperationalTables(wh, schema);
  const d = wh.dialect;
  const done = await wh.query<{ version: number | bigint }>(
    `select version from ${d.tableRef(schema, REWARD_RULE_VERSIONS_TABLE)}
     where rule_set_id = ${d.param('id')} and origin = ${d.param('origin')}
       and ${d.cast('effective_from', 'string')} = ${d.param('from')}
     order by version`,
    { id: ruleSetId, origin, from },
  );
  const configSets = rewardsConfig(config).ruleSets;
  const promoted = await readPromotedRuleSets(wh, schema);
  const current = effectiveRuleSets(configSets, promoted);
  if (done[0]) {
    const version = Number(done[0].version);
    return {
      created: false,
      ruleSetId,
      version,
      effectiveFrom: from,
      replacesVersion: null,
      decision: verdict?.decision ?? null,
      forced,
      auditId: null,
      message: `already promoted: ${experimentId} / ${variant} is rule set "${ruleSetId}" version ${version} from ${from}; nothing written`,
    };
  }
  const base = versionInEffect(current, ruleSetId, from);
  if (!base) {
    const known = current.filter((s) => s.id === ruleSetId);
    throw new PromoteError(
      `no version of rule set "${ruleSetId}" (${where}.ruleSetId) is in effect on ${from} (${known.map((s) => `version ${s.version} [${s.effectiveFrom}, ${s.effectiveTo ?? 'open'})`).join(', ') || 'none in rewards.ruleSets'})`,
    );
  }
  if (base.effectiveFrom === from)
    throw new PromoteError(
      `--from ${from} is the first day of rule set "${ruleSetId}" version ${base.version}; promote from a later date`,
    );
  const version = Math.max(...current.filter((s) => s.id === ruleSetId).map((s) => s.version)) + 1;
  const { effectiveTo: _end, ...kept } = base;
  const candidate = {
    ...kept,
    version,
    effectiveFrom: from,
    description: (
      change.description ??
      `${base.description ? `${base.description}; ` : ''}promoted from experiment ${experimentId}, variant ${variant}`
    ).slice(0, 500),
    ...(change.advocateReward ? { advocateReward: change.advocateReward } : {}),
    ...(change.refereeReward ? { refereeReward: change.refereeReward } : {}),
  };
  const parsed = rewardRuleSetSchema.safeParse(candidate);
  if (!parsed.success)
    throw new PromoteError(
      `the promoted rule set "${ruleSetId}" version ${version} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const definition: RewardRuleSet = parsed.data;
  // The whole set must still validate (no overlap) with the new version applied, before anything is written.
  effectiveRuleSets(configSets, [...promoted, definition]);

  const now = req.now ?? new Date();
  const auditId = await wh.transaction(async () => {
    const id = await appendAudit(wh, schema, {
      actor: req.by,
      action: 'experiment.promote',
      subjectType: 'experiment',
      subjectId: experimentId,
      reason: req.note ?? null,
      recordedAt: now,
      details: {
        variant,
        ruleSetId,
        version,
        effectiveFrom: from,
        replacesVersion: base.version,
        decision: verdict?.decision ?? null,
        decisionReason: verdict?.reason ?? null,
        forced,
        change,
      },
    });
    await wh.appendRows(schema, REWARD_RULE_VERSIONS_TABLE, REWARD_RULE_VERSIONS_COLUMNS, [
      [ruleSetId, version, new Date(`${from}T00:00:00Z`), JSON.stringify(definition), req.by, now, origin, id],
    ]);
    return id;
  });
  return {
    created: true,
    ruleSetId,
    version,
    effectiveFrom: from,
    replacesVersion: base.version,
    decision: verdict?.decision ?? null,
    forced,
    auditId,
    message: `promoted ${experimentId} / ${variant}: rule set "${ruleSetId}" version ${version} from ${from} replaces version ${base.version}${forced ? ` (forced: experiment_results says ${verdict ? `"${verdict.decision}"` : 'nothing'})` : ''}`,
  };
}
