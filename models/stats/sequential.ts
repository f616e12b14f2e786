/**
 * Always-valid inference for a difference in means: the mixture sequential probability ratio test (mSPRT) with a
 * normal mixing distribution, its always-valid p-value and confidence sequence. Results can be looked at after
 * every batch of data without inflating the false-positive rate (Ville's inequality), at the price of wider
 * intervals than a fixed-horizon test.
 *
 * References:
 * - R. Johari, P. Koomen, L. Pekelis, D. Walsh (2017/2022), "Always Valid Inference: Continuous Monitoring of
 *   A/B Tests", Operations Research 70(3); preprint arXiv:1512.04922, section 4 (normal mixture, eq. for
 *   Lambda_n) and section 5 (two-stream difference of means).
 * - H. Robbins (1970), "Statistical methods related to the law of the iterated logarithm" (normal mixtures).
 *
 * With theta_hat the estimated difference, V its variance (sigma_T^2/n_T + sigma_C^2/n_C) and the mixing
 * distribution N(theta0, tau^2), the mixture likelihood ratio is
 *   Lambda = sqrt(V / (V + tau^2)) * exp(tau^2 (theta_hat - theta0)^2 / (2 V (V + tau^2))).
 * The always-valid p-value is the running minimum of 1 / Lambda (capped at 1) and the 1 - alpha confidence
 * sequence is the set of theta0 with Lambda(theta0) < 1 / alpha:
 *   |theta_hat - theta0| < sqrt(V (V + tau^2) / tau^2 * (2 ln(1/alpha) + ln((V + tau^2) / V))).
 * Plugging in estimated variances is the usual large-sample approximation (the paper assumes them known).
 */
import type { MeanSummary } from './welch-t-test.js';

export interface MsprtOptions {
  /** Mixing variance tau^2 on the scale of the difference; set it near the squared effect sizes you expect. */
  tau2: number;
  /** Level of the confidence sequence; default 0.05. */
  alpha?: number;
}

export interface MsprtLook {
  /** Estimated difference treatment - control at this look. */
  estimate: number;
  /** Variance of `estimate` at this look (sigma_T^2/n_T + sigma_C^2/n_C). */
  variance: number;
}

export interface MsprtResult {
  estimate: number;
  /** Mixture likelihood ratio against theta0 = 0. */
  lambda: number;
  /** Always-valid p-value (for a single look: min(1, 1 / lambda)). */
  pValue: number;
  ciLow: number;
  ciHigh: number;
}

function checkOptions(fn: string, tau2: number, alpha: number): void {
  if (!(tau2 > 0) || !Number.isFinite(tau2)) throw new RangeError(`${fn}: tau2 must be a positive number, got ${tau2}`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`${fn}: alpha must be in (0, 1), got ${alpha}`);
}

/**
 * The mSPRT statistic, p-value and confidence interval at one look, without the running minimum/intersection
 * over earlier looks (use {@link msprtSequence} when there were earlier looks).
 *
 * @example msprtNormal({ estimate: 0.5, variance: 0.04 }, { tau2: 1 }) // lambda 3.95808, p 0.252648
 */
export function msprtNormal(look: MsprtLook, options: MsprtOptions): MsprtResult {
  const { tau2, alpha = 0.05 } = options;
  checkOptions('msprtNormal', tau2, alpha);
  const { estimate, variance: v } = look;
  if (!Number.isFinite(estimate)) throw new RangeError(`msprtNormal: estimate must be finite, got ${estimate}`);
  if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`msprtNormal: variance must be > 0, got ${v}`);
  const logLambda = 0.5 * Math.log(v / (v + tau2)) + (tau2 * estimate * estimate) / (2 * v * (v + tau2));
  const lambda = Math.exp(logLambda);
  const halfWidth = Math.sqrt(((v * (v + tau2)) / tau2) * (2 * Math.log(1 / alpha) + Math.log((v + tau2) / v)));
  return {
    estimate,
    lambda,
    pValue: Math.min(1, Math.exp(-logLambda)),
    ciLow: estimate - halfWidth,
    ciHigh: estimate + halfWidth,
  };
}

/**
 * Always-valid results after each of a series of looks (in time order): the p-value is the running minimum and
 * the interval the running intersection, as Johari et al. define them.
 */
export function msprtSequence(looks: readonly MsprtLook[], options: MsprtOptions): MsprtResult[] {
  const out: MsprtResult[] = [];
  let p = 1;
  let lo = -Infinity;
  let hi = Infinity;
  for (const look of looks) {
    const r = msprtNormal(look, options);
    p = Math.min(p, r.pValue);
    lo = Math.max(lo, r.ciLow);
    hi = Math.min(hi, r.ciHigh);
    out.push({ ...r, pValue: p, ciLow: lo, ciHigh: hi });
  }
  return out;
}

/**
 * One look from group summaries: estimate = treatment mean - control mean, variance = vT/nT + vC/nC.
 *
 * @example msprtDifferenceInMeans({ n: 100, mean: 1, variance: 2 }, { n: 100, mean: 1.5, variance: 2 }, { tau2: 1 })
 */
export function msprtDifferenceInMeans(
  control: MeanSummary,
  treatment: MeanSummary,
  options: MsprtOptions,
): MsprtResult {
  if (!(control.n >= 1) || !(treatment.n >= 1)) {
    throw new RangeError(`msprtDifferenceInMeans: both groups need n >= 1, got ${control.n} and ${treatment.n}`);
  }
  return msprtNormal(
    {
      estimate: treatment.mean - control.mean,
      variance: control.variance / control.n + treatment.variance / treatment.n,
    },
    options,
  );
}
