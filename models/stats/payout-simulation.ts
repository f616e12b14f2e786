/**
 * Monte Carlo of future reward payouts. Each draw first draws the uncertain rates once (parameter uncertainty:
 * Beta posteriors of conversion and reversal, a Dirichlet tier mix), then simulates each month:
 *
 *   sign-ups S_h ~ NegBin(mean m_h, size)            referral volume (Poisson when size = Infinity)
 *   rewarded C_h ~ Binomial(S_h, conversion)          referrals that earn a reward
 *   by tier  C_h,t ~ Multinomial(C_h, tier mix)       tier migration enters through the mix
 *   amount   A_h,t ~ Normal(C_h,t mu_t, C_h,t var_t)  sum of per-referral rewards (CLT), floored at 0
 *   reversed R_h ~ Binomial(C_h, reversal rate)       refunds/chargebacks voided or clawed back, at mean size
 *   net payout P_h = sum_t A_h,t - R_h x reversed mean
 *
 * and the unpaid balance it implies: what is approved now is paid in the first month (the next payout run), what
 * is held now by the end of month `payoutLagMonths`, and each month's net payout stays owed for `payoutLagMonths`
 * months (holding period plus the payout run); the cash paid out in a month is what was owed at its start plus
 * its net payout minus what is owed at its end. Quantiles are taken per month over draws for the monthly payout,
 * the cumulative payout, the unpaid balance and the cash paid out (each its own distribution: a cumulative P90
 * is not the sum of monthly P90s).
 *
 * Pure: no I/O; the same model, draws and seed give identical output.
 *
 * References: the variates in random-variates.ts; Beta-Binomial / Gamma-Poisson posterior predictive simulation
 * as in A. Gelman et al. (2013), "Bayesian Data Analysis", 3rd ed., ch. 2 and 6.
 */
import { quantiles } from './quantile.js';
import { Xoshiro128StarStar, type RandomSource } from './random.js';
import { beta, binomial, dirichlet, multinomial, negativeBinomial, normal } from './random-variates.js';

/** A rate: fixed, or drawn once per simulation from Beta(alpha, beta). */
export type RateParameter = { fixed: number } | { alpha: number; beta: number };

export interface TierParameter {
  tier: string;
  /** Mean net-of-caps reward per rewarded referral in this tier (all lines: advocate, referee, milestones). */
  meanMinor: number;
  /** Variance of the reward per referral (0 for fixed rewards). */
  varianceMinor: number;
}

export interface PayoutModel {
  /** Expected sign-ups per future month (length = horizon) and the negative-binomial size (Infinity: Poisson; null: exactly the mean, rounded). */
  volume: { means: readonly number[]; size: number | null };
  conversion: RateParameter;
  tiers: readonly TierParameter[];
  /** Tier mix: fixed shares, or Dirichlet concentrations drawn once per simulation (same order as `tiers`). */
  tierMix: { fixed: readonly number[] } | { alpha: readonly number[] };
  reversal: RateParameter;
  /** Mean amount taken back per reversed referral (positive minor units). */
  reversedMeanMinor: number;
  /** Unpaid balance (held + approved) at the start of the forecast. */
  openingLiabilityMinor: number;
  /** The part of it already approved: paid in the first month (the next payout run); the rest (held) after the lag. */
  openingApprovedMinor: number;
  payoutLagMonths: number;
}

export interface PayoutQuantiles {
  p10: number;
  p50: number;
  p90: number;
}

export interface PayoutForecastMonth {
  /** 1 for the first forecast month. */
  horizon: number;
  monthly: PayoutQuantiles;
  cumulative: PayoutQuantiles;
  liability: PayoutQuantiles;
  /** Cash paid out in the month: unpaid at the start + the month's net payout - unpaid at the end. */
  paidOut: PayoutQuantiles;
  /** Mean monthly payout over draws. */
  mean: number;
}

const rate = (rng: RandomSource, r: RateParameter, what: string): number => {
  if ('fixed' in r) {
    if (!(r.fixed >= 0 && r.fixed <= 1)) throw new RangeError(`${what}: fixed rate must be in [0, 1], got ${r.fixed}`);
    return r.fixed;
  }
  return beta(rng, r.alpha, r.beta);
};

const q3 = (xs: number[]): PayoutQuantiles => {
  const [p10, p50, p90] = quantiles(xs, [0.1, 0.5, 0.9]).map((x) => Math.round(x)) as [number, number, number];
  return { p10, p50, p90 };
};

/** One simulated path of net payouts per month. */
function simulatePath(rng: RandomSource, model: PayoutModel): number[] {
  const conversion = rate(rng, model.conversion, 'conversion');
  const reversal = rate(rng, model.reversal, 'reversal');
  const mix = 'fixed' in model.tierMix ? [...model.tierMix.fixed] : dirichlet(rng, model.tierMix.alpha);
  const { means, size } = model.volume;
  return means.map((m) => {
    const signups = size === null ? Math.round(m) : negativeBinomial(rng, m, size);
    const rewarded = binomial(rng, signups, conversion);
    const byTier = model.tiers.length === 1 ? [rewarded] : multinomial(rng, rewarded, mix);
    let amount = 0;
    model.tiers.forEach((t, i) => {
      const n = byTier[i]!;
      if (n === 0) return;
      const sd = Math.sqrt(n * t.varianceMinor);
      amount += Math.max(0, n * t.meanMinor + (sd > 0 ? sd * normal(rng) : 0));
    });
    const reversed = reversal > 0 ? binomial(rng, rewarded, reversal) : 0;
    return amount - reversed * model.reversedMeanMinor;
  });
}

/**
 * Quantiles of monthly and cumulative net payouts and of the implied unpaid balance, over `draws` paths.
 *
 * @example
 * simulatePayouts({ volume: { means: [10], size: null }, conversion: { fixed: 1 },
 *   tiers: [{ tier: 'all', meanMinor: 500, varianceMinor: 0 }], tierMix: { fixed: [1] },
 *   reversal: { fixed: 0 }, reversedMeanMinor: 0, openingLiabilityMinor: 0, openingApprovedMinor: 0,
 *   payoutLagMonths: 1 }, 100, 1)
 * // [{ horizon: 1, monthly: { p10: 5000, p50: 5000, p90: 5000 }, ... }]
 */
export function simulatePayouts(model: PayoutModel, draws: number, seed: number): PayoutForecastMonth[] {
  if (!Number.isInteger(draws) || draws < 1) throw new RangeError(`simulatePayouts: draws must be >= 1, got ${draws}`);
  if (model.tiers.length === 0) throw new RangeError('simulatePayouts: needs at least one tier');
  const mixLength = 'fixed' in model.tierMix ? model.tierMix.fixed.length : model.tierMix.alpha.length;
  if (mixLength !== model.tiers.length)
    throw new RangeError(`simulatePayouts: tier mix has ${mixLength} entries for ${model.tiers.length} tiers`);
  if (!Number.isInteger(model.payoutLagMonths) || model.payoutLagMonths < 0)
    throw new RangeError(
      `simulatePayouts: payoutLagMonths must be a non-negative integer, got ${model.payoutLagMonths}`,
    );
  const horizon = model.volume.means.length;
  const rng = Xoshiro128StarStar.fromSeed(seed);
  const monthly = Array.from({ length: horizon }, () => new Array<number>(draws));
  const cumulative = Array.from({ length: horizon }, () => new Array<number>(draws));
  const liability = Array.from({ length: horizon }, () => new Array<number>(draws));
  const paidOut = Array.from({ length: horizon }, () => new Array<number>(draws));
  const lag = model.payoutLagMonths;
  for (let d = 0; d < draws; d++) {
    const path = simulatePath(rng, model);
    let cum = 0;
    let owedBefore = model.openingLiabilityMinor;
    path.forEach((p, h) => {
      cum += p;
      monthly[h]![d] = p;
      cumulative[h]![d] = cum;
      // Owed at the end of month h (0-based): the opening held balance until it is paid (lag months; the opening
      // approved balance goes in the first payout run), plus the net payouts of the last `lag` months.
      let owed = h + 1 < lag ? model.openingLiabilityMinor - model.openingApprovedMinor : 0;
      for (let j = Math.max(0, h - lag + 1); j <= h; j++) owed += path[j]!;
      liability[h]![d] = owed;
      paidOut[h]![d] = owedBefore + p - owed;
      owedBefore = owed;
    });
  }
  return monthly.map((xs, h) => ({
    horizon: h + 1,
    monthly: q3(xs),
    cumulative: q3(cumulative[h]!),
    liability: q3(liability[h]!),
    paidOut: q3(paidOut[h]!),
    mean: xs.reduce((s, x) => s + x, 0) / draws,
  }));
}
