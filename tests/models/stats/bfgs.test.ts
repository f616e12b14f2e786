import { describe, expect, it } from 'vitest';
import { minimizeBfgs } from '../../../models/stats/bfgs.js';
import { bgNbdLogLikelihoodGradientOf } from '../../../models/stats/bg-nbd-gradient.js';
import { bgNbdTotalLogLikelihood, fitBgNbd, type BgNbdParams } from '../../../models/stats/bg-nbd.js';
import { digamma } from '../../../models/stats/special-functions.js';
import { loadCdnow } from './cdnow.js';

describe('digamma', () => {
  it('matches known values', () => {
    // psi(1) = -gamma (Euler-Mascheroni); psi(1/2) = -gamma - 2 ln 2; psi(10) = H_9 - gamma (A&S 6.3.2, 6.3.3).
    const euler = 0.5772156649015329;
    expect(digamma(1)).toBeCloseTo(-euler, 14);
    expect(digamma(0.5)).toBeCloseTo(-euler - 2 * Math.LN2, 13);
    const h9 = [1, 2, 3, 4, 5, 6, 7, 8, 9].reduce((s, k) => s + 1 / k, 0);
    expect(digamma(10)).toBeCloseTo(h9 - euler, 14);
    // SciPy 1.17: scipy.special.digamma(0.01) = -100.56088545786868; large x: ln x - 1/(2x) - 1/(12x^2).
    expect(digamma(0.01)).toBeCloseTo(-100.56088545786868, 10);
    expect(digamma(1e6)).toBeCloseTo(Math.log(1e6) - 0.5e-6, 12);
  });

  it('names a bad argument', () => {
    expect(() => digamma(0)).toThrow('digamma: x must be > 0, got 0');
  });
});

describe('minimizeBfgs', () => {
  it('finds the minimum of a quadratic and of Rosenbrock', () => {
    const q = minimizeBfgs(
      ([x, y]) => ({ f: (x! - 1) ** 2 + 10 * (y! + 2) ** 2, g: [2 * (x! - 1), 20 * (y! + 2)] }),
      [0, 0],
    );
    expect(q.converged).toBe(true);
    expect(q.x[0]).toBeCloseTo(1, 8);
    expect(q.x[1]).toBeCloseTo(-2, 8);
    // Rosenbrock (1960): 100 (y - x^2)^2 + (1 - x)^2, minimum 0 at (1, 1), from the classic start (-1.2, 1).
    const r = minimizeBfgs(
      ([x, y]) => ({
        f: 100 * (y! - x! ** 2) ** 2 + (1 - x!) ** 2,
        g: [-400 * x! * (y! - x! ** 2) - 2 * (1 - x!), 200 * (y! - x! ** 2)],
      }),
      [-1.2, 1],
    );
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 6);
    expect(r.x[1]).toBeCloseTo(1, 6);
  });
});

describe('BG/NBD analytic gradient', () => {
  const customers = loadCdnow();

  it('equals the likelihood of bgNbdTotalLogLikelihood and its central differences', () => {
    const p: BgNbdParams = { r: 0.3, alpha: 5, a: 0.7, b: 2 };
    const { logLikelihood, gradient } = bgNbdLogLikelihoodGradientOf(customers)(p);
    expect(logLikelihood).toBeCloseTo(bgNbdTotalLogLikelihood(p, customers), 8);
    (['r', 'alpha', 'a', 'b'] as const).forEach((k, i) => {
      const h = 1e-6 * p[k];
      const up = bgNbdTotalLogLikelihood({ ...p, [k]: p[k] + h }, customers);
      const down = bgNbdTotalLogLikelihood({ ...p, [k]: p[k] - h }, customers);
      expect(gradient[i]! / ((up - down) / (2 * h))).toBeCloseTo(1, 5);
    });
  });

  it('is ~0 at the fit, which BFGS reaches (converged) with the published CDNOW estimates', () => {
    // FHL (2005): r = 0.243, alpha = 4.414, a = 0.793, b = 2.426.
    const fit = fitBgNbd(customers);
    expect(fit.converged).toBe(true);
    expect([fit.r, fit.alpha, fit.a, fit.b].map((v) => Number(v.toFixed(3)))).toEqual([0.243, 4.414, 0.793, 2.426]);
    const { gradient } = bgNbdLogLikelihoodGradientOf(customers)(fit);
    for (const g of gradient) expect(Math.abs(g)).toBeLessThan(1e-3);
  });
});
