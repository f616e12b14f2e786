/**
 * Gamma-Gamma model of monetary value: a customer's transaction values are i.i.d. Gamma(shape p, rate nu), and nu
 * varies across customers as Gamma(shape q, rate gamma). It is fitted on repeat customers only (x >= 1 repeat
 * transactions, monetary = their mean repeat transaction value zbar) and assumes spend is independent of
 * purchase frequency.
 *
 * The density of a customer's mean zbar over x transactions (Fader & Hardie 2013, eq. 4) is
 * f(zbar | p, q, gamma; x) = Gamma(p x + q) / (Gamma(p x) Gamma(q)) * gamma^q zbar^(p x - 1) x^(p x)
 *   / (gamma + x zbar)^(p x + q),
 * and the posterior mean transaction value (eq. 5) is
 * E[Z | p, q, gamma; x, zbar] = p (gamma + x zbar) / (p x + q - 1),
 * a weighted mean of the population mean p gamma / (q - 1) and the customer's zbar.
 *
 * References:
 * - P. S. Fader, B. G. S. Hardie and K. L. Lee (2005), "RFM and CLV: using iso-value contours to assess your
 *   customer base", Journal of Marketing Research 42(4), 415-430.
 * - P. S. Fader and B. G. S. Hardie (2013), "The Gamma-Gamma model of monetary value" (note at brucehardie.com):
 *   CDNOW estimates p = 6.25, q = 3.74, gamma = 15.44.
 */

import { minimize } from './optimize.js';
import { logGamma } from './special-functions.js';

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

/** A repeat customer (or `count` of them sharing x and monetary): x >= 1 repeat transactions of mean `monetary`. */
export interface GammaGammaRow {
  x: number;
  monetary: number;
  count?: number;
}

export interface GammaGammaFit extends GammaGammaParams {
  logLikelihood: number;
  /** Repeat customers used (sum of counts). */
  customers: number;
  converged: boolean;
}

function checkRow(row: GammaGammaRow, i: number | string): void {
  const ok = Number.isInteger(row.x) && row.x >= 1 && Number.isFinite(row.monetary) && row.monetary > 0;
  if (!ok || (row.count !== undefined && !(Number.isInteger(row.count) && row.count >= 0))) {
    throw new RangeError(
      `gamma-gamma: row ${i} needs integer x >= 1, monetary > 0 and an integer count >= 0; got ${JSON.stringify(row)}` +
        ' (fit repeat customers only)',
    );
  }
}

/** Log-density of one customer's mean transaction value (Fader & Hardie 2013, eq. 4). */
export function gammaGammaLogLikelihood(params: GammaGammaParams, x: number, monetary: number): number {
  const { p, q, gamma } = params;
  const px = p * x;
  return (
    logGamma(px + q) -
    logGamma(px) -
    logGamma(q) +
    q * Math.log(gamma) +
    (px - 1) * Math.log(monetary) +
    px * Math.log(x) -
    (px + q) * Math.log(gamma + x * monetary)
  );
}

/**
 * Maximum-likelihood Gamma-Gamma fit over log(p, q, gamma), restarted Nelder-Mead from three starting points.
 *
 * @example
 * fitGammaGamma([{ x: 2, monetary: 22.35 }, { x: 1, monetary: 11.77 }, ...]) // { p, q, gamma, logLikelihood, ... }
 */
export function fitGammaGamma(rows: GammaGammaRow[]): GammaGammaFit {
  rows.forEach(checkRow);
  const used = rows.filter((r) => (r.count ?? 1) > 0);
  const customers = used.reduce((s, r) => s + (r.count ?? 1), 0);
  if (customers < 2) throw new RangeError(`fitGammaGamma: need at least 2 repeat customers, got ${customers}`);
  const mean = used.reduce((s, r) => s + (r.count ?? 1) * r.monetary, 0) / customers;
  // Population mean spend is p gamma / (q - 1); the starts put it at the sample mean.
  const starts = [
    [1, 2, mean],
    [5, 4, (3 * mean) / 5],
    [20, 10, (9 * mean) / 20],
  ].map((v) => v.map(Math.log));
  const objective = (v: number[]): number => {
    const [p, q, gamma] = v.map(Math.exp) as [number, number, number];
    let ll = 0;
    for (const r of used) ll += (r.count ?? 1) * gammaGammaLogLikelihood({ p, q, gamma }, r.x, r.monetary);
    return -ll;
  };
  const best = minimize(objective, starts);
  const [p, q, gamma] = best.x.map(Math.exp) as [number, number, number];
  return { p, q, gamma, logLikelihood: -best.fx, customers, converged: best.converged };
}

/**
 * Expected mean transaction value of a customer with x repeat transactions of mean `monetary` (eq. 5). With
 * x = 0 it is the population mean p gamma / (q - 1) (needs q > 1).
 *
 * @example gammaGammaExpectedSpend({ p: 6.25, q: 3.74, gamma: 15.44 }, 2, 22.35) // ≈ 6.25 * (15.44 + 44.70) / 14.24
 */
export function gammaGammaExpectedSpend(params: GammaGammaParams, x: number, monetary: number): number {
  const { p, q, gamma } = params;
  for (const [k, v] of [
    ['p', p],
    ['q', q],
    ['gamma', gamma],
  ] as const) {
    if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`gammaGammaExpectedSpend: ${k} must be > 0, got ${v}`);
  }
  if (!(Number.isInteger(x) && x >= 0))
    throw new RangeError(`gammaGammaExpectedSpend: x must be an integer >= 0, got ${x}`);
  if (x > 0 && !(Number.isFinite(monetary) && monetary >= 0)) {
    throw new RangeError(`gammaGammaExpectedSpend: monetary must be >= 0 when x > 0, got ${monetary}`);
  }
  if (p * x + q <= 1) throw new RangeError(`gammaGammaExpectedSpend: needs p x + q > 1 (p=${p}, q=${q}, x=${x})`);
  return (p * (gamma + x * (x > 0 ? monetary : 0))) / (p * x + q - 1);
}
