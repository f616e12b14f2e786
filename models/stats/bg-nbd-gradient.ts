/**
 * The BG/NBD log-likelihood with its analytic gradient, for quasi-Newton fits. With w the share of the dropout
 * term in a customer's likelihood, w = exp(A4) / (exp(A3) + exp(A4)) (0 when x = 0; A3, A4 as in the Excel note
 * of Fader, Hardie & Lee 2005), the derivatives of one customer's log-likelihood are
 *   d/dr     = psi(r + x) - psi(r) + ln alpha - (1 - w) ln(alpha + T) - w ln(alpha + t_x)
 *   d/dalpha = r / alpha - (r + x) [(1 - w) / (alpha + T) + w / (alpha + t_x)]
 *   d/da     = psi(a + b) - psi(a + b + x) + w / a
 *   d/db     = psi(a + b) + psi(b + x) - psi(b) - psi(a + b + x) - w / (b + x - 1)
 * (psi = digamma). Terms of x, t_x or T alone are computed once per distinct value, as in bgNbdLogLikelihoodOf.
 */
import type { BgNbdParams, BgNbdRow } from './bg-nbd.js';
import { digamma, logGamma } from './special-functions.js';

function distinctIndex(values: number[]): { distinct: Float64Array; index: Int32Array } {
  const sorted = [...new Set(values)].sort((p, q) => p - q);
  const at = new Map(sorted.map((v, i) => [v, i]));
  return { distinct: Float64Array.from(sorted), index: Int32Array.from(values, (v) => at.get(v)!) };
}

/**
 * (r, alpha, a, b) -> total log-likelihood of `rows` and its gradient in the order [r, alpha, a, b].
 *
 * @example bgNbdLogLikelihoodGradientOf(rows)({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }).gradient // ~[0, 0, 0, 0] at the CDNOW MLE
 */
export function bgNbdLogLikelihoodGradientOf(
  rows: BgNbdRow[],
): (params: BgNbdParams) => { logLikelihood: number; gradient: [number, number, number, number] } {
  const xs = distinctIndex(rows.map((r) => r.x));
  const txs = distinctIndex(rows.map((r) => r.tx));
  const Ts = distinctIndex(rows.map((r) => r.T));
  const counts = Float64Array.from(rows, (r) => r.count ?? 1);
  const nx = xs.distinct.length;
  const head = new Float64Array(nx);
  const logA4 = new Float64Array(nx);
  const dHeadR = new Float64Array(nx);
  const dHeadA = new Float64Array(nx);
  const dHeadB = new Float64Array(nx);
  const invB = new Float64Array(nx);
  const logAlphaT = new Float64Array(Ts.distinct.length);
  const invAlphaT = new Float64Array(Ts.distinct.length);
  const logAlphaTx = new Float64Array(txs.distinct.length);
  const invAlphaTx = new Float64Array(txs.distinct.length);
  return ({ r, alpha, a, b }) => {
    const logAlpha = Math.log(alpha);
    const base = -logGamma(r) + r * logAlpha + logGamma(a + b) - logGamma(b);
    const psiR = digamma(r);
    const psiAB = digamma(a + b);
    const psiB = digamma(b);
    xs.distinct.forEach((x, i) => {
      head[i] = base + logGamma(r + x) + logGamma(b + x) - logGamma(a + b + x);
      logA4[i] = x > 0 ? Math.log(a) - Math.log(b + x - 1) : -Infinity;
      const psiABX = digamma(a + b + x);
      dHeadR[i] = digamma(r + x) - psiR + logAlpha;
      dHeadA[i] = psiAB - psiABX;
      dHeadB[i] = psiAB + digamma(b + x) - psiB - psiABX;
      invB[i] = x > 0 ? 1 / (b + x - 1) : 0;
    });
    Ts.distinct.forEach((T, i) => {
      logAlphaT[i] = Math.log(alpha + T);
      invAlphaT[i] = 1 / (alpha + T);
    });
    txs.distinct.forEach((tx, i) => {
      logAlphaTx[i] = Math.log(alpha + tx);
      invAlphaTx[i] = 1 / (alpha + tx);
    });
    let ll = 0;
    let gr = 0;
    let gAlpha = 0;
    let ga = 0;
    let gb = 0;
    for (let k = 0; k < counts.length; k++) {
      const xi = xs.index[k]!;
      const ti = Ts.index[k]!;
      const txi = txs.index[k]!;
      const c = counts[k]!;
      const rx = r + xs.distinct[xi]!;
      const a3 = -rx * logAlphaT[ti]!;
      const a4 = logA4[xi]! - rx * logAlphaTx[txi]!;
      let rest = a3;
      let w = 0;
      if (a4 !== -Infinity) {
        if (a3 > a4) {
          const e = Math.exp(a4 - a3);
          rest = a3 + Math.log1p(e);
          w = e / (1 + e);
        } else {
          const e = Math.exp(a3 - a4);
          rest = a4 + Math.log1p(e);
          w = 1 / (1 + e);
        }
      }
      ll += c * (head[xi]! + rest);
      gr += c * (dHeadR[xi]! - (1 - w) * logAlphaT[ti]! - w * logAlphaTx[txi]!);
      gAlpha += c * (r / alpha - rx * ((1 - w) * invAlphaT[ti]! + w * invAlphaTx[txi]!));
      ga += c * (dHeadA[xi]! + w / a);
      gb += c * (dHeadB[xi]! - w * invB[xi]!);
    }
    return { logLikelihood: ll, gradient: [gr, gAlpha, ga, gb] };
  };
}
