/**
 * The registry's models grouped into the stages the bench times (staging, then mart areas), in an order where
 * every group's dependencies were built by an earlier group. Areas come from model names, so a model registered
 * later lands in its area (or in `other`) without touching the bench. When areas depend on each other both ways
 * (fraud's review queue reads an activation sample that reads rewards that read the review queue), an area is
 * split into several groups; the report adds a split area's groups back together.
 */
import { ModelRegistry } from '../../src/models/registry.js';
import type { ModelDefinition } from '../../src/models/define-model.js';

const AREA_RULES: [area: string, test: RegExp][] = [
  ['staging', /^stg_/],
  ['attribution', /^(attribution_|survey_vs_tracked$|dark_social_share$)/],
  ['referrals', /^referral_/],
  ['cohorts-ltv', /^(cohort_|ltv_|customer_ltv$|survival_curves$)/],
  ['experiments', /^experiment_/],
  ['rewards', /^(reward_|payout_)/],
  ['fraud', /^(fraud_|review_queue$)/],
  ['advocates-roi', /^(advocate_|program_roi$|channel_cac$|roi_)/],
  ['quality', /^data_quality/],
  ['activation', /^(activation_|alerts$)/],
];

export function areaOf(model: string): string {
  return AREA_RULES.find(([, re]) => re.test(model))?.[0] ?? 'other';
}

/**
 * The models that do the same work as the hand-written baselines, by area: the stage ratio against the baseline
 * is reported both for the whole area and for these alone.
 */
export const CORE_MODELS: Readonly<Record<string, readonly string[]>> = {
  staging: ['stg_customers', 'stg_identity_map', 'stg_touches', 'stg_orders', 'stg_referral_events', 'stg_referrals'],
  attribution: ['attribution_conversions', 'attribution_journeys', 'attribution_credit'],
  'cohorts-ltv': ['cohort_retention'],
  referrals: ['referral_funnel'],
  rewards: ['reward_ledger', 'reward_liability'],
};

export interface ModelGroup {
  area: string;
  models: string[];
}

/**
 * Groups in dependency order: a topological order of the models that stays in one area while any of its models
 * is ready, then moves to the first area (in AREA_RULES order) that has a ready model.
 */
export function modelGroups(models: readonly ModelDefinition[]): ModelGroup[] {
  const ordered = new ModelRegistry(models).order();
  const rank = [...AREA_RULES.map(([a]) => a), 'other'];
  const done = new Set<string>();
  const groups: ModelGroup[] = [];
  let pending = [...ordered];
  while (pending.length > 0) {
    const ready = pending.filter((m) => m.dependsOn.every((d) => done.has(d) || !pending.some((p) => p.name === d)));
    const current = groups.at(-1);
    const same = current ? ready.filter((m) => areaOf(m.name) === current.area) : [];
    const pick =
      same[0] ??
      ready.slice().sort((a, b) => rank.indexOf(areaOf(a.name)) - rank.indexOf(areaOf(b.name)))[0] ??
      pending[0];
    if (!pick) break;
    const area = areaOf(pick.name);
    if (current && current.area === area) current.models.push(pick.name);
    else groups.push({ area, models: [pick.name] });
    done.add(pick.name);
    pending = pending.filter((m) => m !== pick);
  }
  return groups;
}
