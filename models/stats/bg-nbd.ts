/**
 * BG/NBD ("beta-geometric / negative binomial distribution") model of repeat purchasing in a non-contractual
 * setting: while alive a customer buys at Poisson rate lambda ~ Gamma(shape r, rate alpha); after each purchase
 * she drops out with probability p ~ Beta(a, b). A customer is summarized by x (repeat purchases in (0, T]),
 * t_x (time of the last repeat purchase, 0 when x = 0) and T (time from her first purchase to the end of the
 * calibration period), all in one time unit.
 *
 * References:
 * - P. S. Fader, B. G. S. Hardie and K. L. Lee (2005), "'Counting your customers' the easy way: an alternative to
 *   the Pareto/NBD model", Marketing Science 24(2), 275-284: likelihood eq. 6, P(alive) eq. 13 (appendix),
 *   conditional expectation eq. 10; CDNOW fit r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4.
 * - P. S. Fader, B. G. S. Hardie and K. L. Lee (2005), "Implementing the BG/NBD model for customer base analysis
 *   in Excel" (note at brucehardie.com): the log-likelihood split into A1..A4 used below.
 */

import { hyp2f1 } from './hypergeometric.js';
import { minimizeBfgs } from './bfgs.js';
import { bgNbdLogLikelihoodGradientOf } from './bg-nbd-gradient.js';
import { minimize } from './optimize.js';
import { logGamma } from './special-functions.js';

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** One customer, or `count` customers sharing the same (x, t_x, T) (a sufficient-statistics row). */
export interface BgNbdRow {
  x: number;
  tx: number;
  T: number;
  count?: number;
}

export interface BgNbdFit extends BgNbdParams {
  /** Maximized log-likelihood (natural log, summed over customers). */
  logLikelihood: number;
  /** Customers (sum of counts). */
  customers: number;
  /** True when the optimizer met its convergence tolerances. */
  converged: boolean;
}

function checkParams(p: BgNbdParams, where: string): void {
  for (const k of ['r', 'alpha', 'a', 'b'] as const) {
    if (!(Number.isFinite(p[k]) && p[k] > 0)) throw new RangeError(`${where}: ${k} must be > 0, got ${p[k]}`);
  }
}

function checkRow(row: BgNbdRow, i: number | string): void {
  const { x, tx, T } = row;
  const ok = Number.isInteger(x) && x >= 0 && Number.isFinite(tx) && Number.isFinite(T) && tx >= 0 && tx <= T;
  if (!ok || (x === 0 && tx !== 0) || (row.count !== undefined && !(Number.isInteger(row.count) && row.count >= 0))) {
    throw new RangeError(
      `bg-nbd: row ${i} needs integer x >= 0, 0 <= t_x <= T (t_x = 0 when x = 0) and an integer count >= 0; got ${JSON.stringify(row)}`,
    );
  }
}

/**
 * Log-likelihood of one customer's (x, t_x, T) (FHL 2005 eq. 6), computed as ln(exp(A3) + [x > 0] exp(A4)) plus
 * A1 + A2 with a log-sum-exp, so that long histories do not underflow.
 */
export function bgNbdLogLikelihood(params: BgNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = params;
  const a1 = logGamma(r + x) - logGamma(r) + r * Math.log(alpha);
  const a2 = logGamma(a + b) + logGamma(b + x) - logGamma(b) - logGamma(a + b + x);
  const a3 = -(r + x) * Math.log(alpha + T);
  if (x === 0) return a1 + a2 + a3;
  const a4 = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx);
  const m = Math.max(a3, a4);
  return a1 + a2 + m + Math.log(Math.exp(a3 - m) + Math.exp(a4 - m));
}

/** Index of each value in the sorted distinct values of `values`. */
function distinctIndex(values: number[]): { distinct: Float64Array; index: Int32Array } {
  const sorted = [...new Set(values)].sort((p, q) => p - q);
  const at = new Map(sorted.map((v, i) => [v, i]));
  return { distinct: Float64Array.from(sorted), index: Int32Array.from(values, (v) => at.get(v)!) };
}

/**
 * The total log-likelihood of fixed rows as a function of the parameters, for fits that evaluate it thousands of
 * times. Every term that depends on one of x, t_x or T alone is computed once per distinct value per evaluation
 * (warehouse data has few distinct x and, at day resolution, at most a few hundred distinct t_x and T), so a row
 * costs one exp and one log.
 */
export function bgNbdLogLikelihoodOf(rows: BgNbdRow[]): (params: BgNbdParams) => number {
  const xs = distinctIndex(rows.map((r) => r.x));
  const txs = distinctIndex(rows.map((r) => r.tx));
  const Ts = distinctIndex(rows.map((r) => r.T));
  const counts = Float64Array.from(rows, (r) => r.count ?? 1);
  const head = new Float64Array(xs.distinct.length);
  const logA4 = new Float64Array(xs.distinct.length);
  const logAlphaT = new Float64Array(Ts.distinct.length);
  const logAlphaTx = new Float64Array(txs.distinct.length);
  return ({ r, alpha, a, b }) => {
    const base = -logGamma(r) + r * Math.log(alpha) + logGamma(a + b) - logGamma(b);
    xs.distinct.forEach((x, i) => {
      head[i] = base + logGamma(r + x) + logGamma(b + x) - logGamma(a + b + x);
      logA4[i] = x > 0 ? Math.log(a) - Math.log(b + x - 1) : -Infinity;
    });
    Ts.distinct.forEach((T, i) => (logAlphaT[i] = Math.log(alpha + T)));
    txs.distinct.forEach((tx, i) => (logAlphaTx[i] = Math.log(alpha + tx)));
    let ll = 0;
    for (let k = 0; k < counts.length; k++) {
      const xi = xs.index[k]!;
      const rx = r + xs.distinct[xi]!;
      const a3 = -rx * logAlphaT[Ts.index[k]!]!;
      const a4 = logA4[xi]! - rx * logAlphaTx[txs.index[k]!]!;
      // ln(exp(a3) + exp(a4)) without overflow; a4 = -Infinity when x = 0.
      const rest =
        a4 === -Infinity ? a3 : a3 > a4 ? a3 + Math.log1p(Math.exp(a4 - a3)) : a4 + Math.log1p(Math.exp(a3 - a4));
      ll += counts[k]! * (head[xi]! + rest);
    }
    return ll;
  };
}

/** Total log-likelihood of sufficient-statistics rows (each weighted by its count, default 1). */
export function bgNbdTotalLogLikelihood(params: BgNbdParams, rows: BgNbdRow[]): number {
  return bgNbdLogLikelihoodOf(rows)(params);
}

/**
 * Maximum-likelihood BG/NBD fit. Optimizes over log(r, alpha, a, b) by BFGS with the analytic gradient
 * (bg-nbd-gradient.ts) from three starting points (alpha scaled to the data's purchase rate), falling back to
 * restarted Nelder-Mead when it does not converge, and reports whether the optimizer converged.
 *
 * @example
 * fitBgNbd([{ x: 2, tx: 30.43, T: 38.86 }, { x: 0, tx: 0, T: 38.86, count: 3 }, ...])
 * // { r, alpha, a, b, logLikelihood, customers, converged }
 */
export function fitBgNbd(rows: BgNbdRow[]): BgNbdFit {
  rows.forEach(checkRow);
  const used = rows.filter((r) => (r.count ?? 1) > 0);
  const customers = used.reduce((s, r) => s + (r.count ?? 1), 0);
  if (customers === 0) throw new RangeError('fitBgNbd: no customers to fit');
  const sumX = used.reduce((s, r) => s + (r.count ?? 1) * r.x, 0);
  const sumT = used.reduce((s, r) => s + (r.count ?? 1) * r.T, 0);
  if (sumX === 0) throw new RangeError(`fitBgNbd: none of the ${customers} customers made a repeat purchase`);
  // Mean purchase rate sumX / sumT ~ r / alpha, so with r = 1 a natural alpha is sumT / sumX.
  const scale = sumT / sumX;
  const starts = [
    [1, scale, 1, 1],
    [0.3, 0.3 * scale, 0.8, 2.5],
    [3, 3 * scale, 3, 10],
  ].map((p) => p.map(Math.log));
  // Quasi-Newton (BFGS) with the analytic gradient on log-parameters from every start; the best optimum wins. If it
  // does not converge (a flat or awkward likelihood), restarted Nelder-Mead polishes from there.
  const withGradient = bgNbdLogLikelihoodGradientOf(used);
  const fg = (v: number[]) => {
    const [r, alpha, a, b] = v.map(Math.exp) as [number, number, number, number];
    const { logLikelihood, gradient } = withGradient({ r, alpha, a, b });
    // Chain rule for log-parameters: d/d(log theta) = theta d/d(theta); minimizing the negative.
    return { f: -logLikelihood, g: gradient.map((gi, i) => -gi * [r, alpha, a, b][i]!) };
  };
  const runs = starts.map((s) => minimizeBfgs(fg, s));
  let best: { x: number[]; fx: number; converged: boolean } = runs.reduce((p, q) => (q.fx < p.fx ? q : p));
  if (!best.converged) {
    const logLikelihood = bgNbdLogLikelihoodOf(used);
    const objective = (v: number[]): number => {
      const [r, alpha, a, b] = v.map(Math.exp) as [number, number, number, number];
      return -logLikelihood({ r, alpha, a, b });
    };
    best = minimize(objective, [best.x]);
  }
  const [r, alpha, a, b] = best.x.map(Math.exp) as [number, number, number, number];
  return { r, alpha, a, b, logLikelihood: -best.fx, customers, converged: best.converged };
}

/**
 * P(customer is still alive at T | x, t_x, T) (FHL 2005, eq. 13 in the appendix):
 * 1 / (1 + [x > 0] a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x)).
 *
 * @example bgNbdProbabilityAlive({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, 0, 0, 38.86) // 1
 */
export function bgNbdProbabilityAlive(params: BgNbdParams, x: number, tx: number, T: number): number {
  checkParams(params, 'bgNbdProbabilityAlive');
  checkRow({ x, tx, T }, 'bgNbdProbabilityAlive');
  if (x === 0) return 1;
  const { r, alpha, a, b } = params;
  const logOdds = Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * Expected repeat purchases in (T, T + t] of a customer with history (x, t_x, T) (FHL 2005, eq. 10):
 * (a + b + x - 1)/(a - 1) * [1 - ((alpha + T)/(alpha + T + t))^(r + x) 2F1(r + x, b + x; a + b + x - 1;
 * t/(alpha + T + t))] / (1 + [x > 0] a/(b + x - 1) ((alpha + T)/(alpha + t_x))^(r + x)). Requires a != 1.
 *
 * @example bgNbdExpectedPurchases({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, 39, 2, 30.43, 38.86) // ≈ 1.226
 */
export function bgNbdExpectedPurchases(params: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  checkParams(params, 'bgNbdExpectedPurchases');
  checkRow({ x, tx, T }, 'bgNbdExpectedPurchases');
  if (!(Number.isFinite(t) && t >= 0)) throw new RangeError(`bgNbdExpectedPurchases: t must be >= 0, got ${t}`);
  const { r, alpha, a, b } = params;
  if (Math.abs(a - 1) < 1e-9) throw new RangeError(`bgNbdExpectedPurchases: eq. 10 is undefined at a = 1 (a = ${a})`);
  if (t === 0) return 0;
  const z = t / (alpha + T + t);
  const lead = (a + b + x - 1) / (a - 1);
  const tail = Math.exp((r + x) * Math.log((alpha + T) / (alpha + T + t))) * hyp2f1(r + x, b + x, a + b + x - 1, z);
  return lead * (1 - tail) * bgNbdProbabilityAlive(params, x, tx, T);
}

/**
 * Expected purchases in (0, t] of a randomly chosen new customer (FHL 2005, eq. 9):
 * (a + b - 1)/(a - 1) [1 - (alpha/(alpha + t))^r 2F1(r, b; a + b - 1; t/(alpha + t))].
 *
 * @example bgNbdExpectedPurchasesNew({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, 39)
 */
export function bgNbdExpectedPurchasesNew(params: BgNbdParams, t: number): number {
  checkParams(params, 'bgNbdExpectedPurchasesNew');
  const { r, alpha, a, b } = params;
  if (Math.abs(a - 1) < 1e-9) throw new RangeError(`bgNbdExpectedPurchasesNew: undefined at a = 1 (a = ${a})`);
  const tail = Math.pow(alpha / (alpha + t), r) * hyp2f1(r, b, a + b - 1, t / (alpha + t));
  return ((a + b - 1) / (a - 1)) * (1 - tail);
}

/**
 * Discounted expected repeat purchases over (T, T + horizon]: the horizon is cut into `steps` equal periods, the
 * expected purchases of period k (eq. 10 at the period's end minus at its start) are discounted to T at
 * `ratePerUnit` compounded per time unit, as 1 / (1 + ratePerUnit)^(end of period k). Multiplying by an expected
 * spend per purchase gives a discounted CLV (the period-sum approximation of Fader, Hardie & Lee 2005, "RFM and
 * CLV", whose DERL integral it approaches as steps grow).
 *
 * @example bgNbdDiscountedPurchases({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, 52, 52, 0.0018, 2, 30.43, 38.86)
 */
export function bgNbdDiscountedPurchases(
  params: BgNbdParams,
  horizon: number,
  steps: number,
  ratePerUnit: number,
  x: number,
  tx: number,
  T: number,
): { expected: number; discounted: number } {
  if (!(Number.isInteger(steps) && steps >= 1))
    throw new RangeError(`bgNbdDiscountedPurchases: steps must be >= 1, got ${steps}`);
  if (!(ratePerUnit > -1))
    throw new RangeError(`bgNbdDiscountedPurchases: ratePerUnit must be > -1, got ${ratePerUnit}`);
  let previous = 0;
  let discounted = 0;
  for (let k = 1; k <= steps; k++) {
    const end = (horizon * k) / steps;
    const cumulative = bgNbdExpectedPurchases(params, end, x, tx, T);
    discounted += (cumulative - previous) / Math.pow(1 + ratePerUnit, end);
    previous = cumulative;
  }
  return { expected: previous, discounted };
}
