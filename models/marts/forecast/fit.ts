/**
 * From history (history.ts) and a scenario to the Monte Carlo's inputs (models/stats/payout-simulation.ts):
 * - volume: referred sign-ups projected from the level of the last `levelMonths` complete months at the scenario's
 *   growth (the fitted log-linear trend, damped by `trendDamping`, unless the scenario fixes a growth; plus the
 *   scenario's delta, undamped), with the fitted negative-binomial dispersion;
 * - over the last `rateMonths` complete months: conversion = rewarded referrals / sign-ups, Beta(rewarded + 1,
 *   sign-ups - rewarded + 1); the tier mix of rewarded referrals, Dirichlet(count + 0.5) (tier migration shows up
 *   as the recent mix); per tier the mean and variance of what a rewarded referral was granted (net of caps, all
 *   lines); reversal = referrals with a void or clawback / rewarded, Beta(+1, +1), at their mean reversed amount.
 * Reversals of the latest months are partly still to come (censored), so the fitted reversal rate leans low.
 */
import type { PayoutModel } from '../../stats/payout-simulation.js';
import { fitVolumeTrend, projectVolume } from '../../stats/volume-trend.js';
import type { ForecastConfig } from './config-schema.js';
import type { PayoutHistory } from './history.js';

export type Scenario = ForecastConfig['scenarios'][number];

export interface FittedScenario {
  model: PayoutModel;
  /** The monthly growth the projection used (trend + delta; the trend part is damped over the horizon). */
  growth: number;
}

/** The model for one scenario, or null when there is no history at all. */
export function fitPayoutModel(
  history: PayoutHistory,
  cfg: ForecastConfig,
  scenario: Scenario,
  horizon: number,
): FittedScenario | null {
  if (history.months.length === 0) return null;
  const trend = fitVolumeTrend(history.signups, { levelMonths: cfg.levelMonths, trendMonths: cfg.trendMonths });
  // A scenario's fixed growth replaces the (damped) fitted trend; its delta is added undamped.
  const fixed = scenario.monthlyGrowth !== undefined;
  const growth = (fixed ? scenario.monthlyGrowth! : trend.growth) + scenario.growthDelta;
  const means = projectVolume(
    trend,
    fixed
      ? { trend: 0, damping: 1, extra: growth }
      : { trend: trend.growth, damping: cfg.trendDamping, extra: scenario.growthDelta },
    horizon,
    cfg.levelMonths,
  );

  const window = new Set(history.months.slice(-cfg.rateMonths));
  const signups = history.months.reduce((s, m, i) => s + (window.has(m) ? history.signups[i]! : 0), 0);
  const tiers = new Map<string, { n: number; sum: number; squares: number }>();
  let rewarded = 0;
  let reversed = 0;
  let reversedMinor = 0;
  for (const t of history.tierMonths) {
    if (!window.has(t.month)) continue;
    const acc = tiers.get(t.tier) ?? { n: 0, sum: 0, squares: 0 };
    acc.n += t.rewarded;
    acc.sum += t.grantedMinor;
    acc.squares += t.grantedSquares;
    tiers.set(t.tier, acc);
    rewarded += t.rewarded;
    reversed += t.reversed;
    reversedMinor += t.reversedMinor;
  }
  const names = [...tiers.keys()].sort();
  const tierParams =
    names.length === 0
      ? [{ tier: '', meanMinor: 0, varianceMinor: 0 }]
      : names.map((tier) => {
          const { n, sum, squares } = tiers.get(tier)!;
          const mean = sum / n;
          return { tier, meanMinor: mean, varianceMinor: Math.max(0, squares / n - mean * mean) };
        });
  const mix = names.length === 0 ? [1] : names.map((t) => tiers.get(t)!.n + 0.5);
  const converted = Math.min(rewarded, signups);
  return {
    growth,
    model: {
      volume: { means, size: trend.size },
      conversion: { alpha: converted + 1, beta: signups - converted + 1 },
      tiers: tierParams,
      tierMix: names.length <= 1 ? { fixed: [1] } : { alpha: mix },
      reversal: { alpha: reversed + 1, beta: Math.max(0, rewarded - reversed) + 1 },
      reversedMeanMinor: reversed > 0 ? reversedMinor / reversed : 0,
      openingLiabilityMinor: history.openingLiabilityMinor,
      openingApprovedMinor: history.openingApprovedMinor,
      payoutLagMonths: cfg.payoutLagMonths,
    },
  };
}

/** A scenario's simulation seed: the configured seed mixed with a FNV-1a hash of its name (stable under reordering). */
export function scenarioSeed(seed: number, name: string): number {
  let h = 0x811c9dc5;
  for (const ch of name) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return (seed ^ h) >>> 0;
}
