import { describe, expect, it } from 'vitest';
import { betaChanceToWin, betaChanceToWinIntegrated } from '../../../models/stats/bayesian.js';

describe('betaChanceToWin', () => {
  it('closed forms by hand', () => {
    // Control Beta(1, 1) (uniform), treatment Beta(2, 1) (density 2t):
    // P(T > C) = integral_0^1 2t * P(C < t) dt = integral 2t^2 dt = 2/3.
    // Miller's sum, b.alpha = 2: i = 0: B(1, 2) / (1 * B(1, 1) * B(1, 1)) = 1/2; i = 1: B(2, 2) / (2 * B(2, 1)) = (1/6) / 1 = 1/6.
    const r = betaChanceToWin({ alpha: 1, beta: 1 }, { alpha: 2, beta: 1 });
    expect(r.method).toBe('exact');
    expect(r.probability).toBeCloseTo(2 / 3, 14);
    // Treatment Beta(1, 2) (density 2(1 - t)): P(T > C) = E[T] = 1/3.
    expect(betaChanceToWin({ alpha: 1, beta: 1 }, { alpha: 1, beta: 2 }).probability).toBeCloseTo(1 / 3, 14);
  });

  it('identical posteriors give 1/2 by symmetry, by both methods', () => {
    expect(betaChanceToWin({ alpha: 30, beta: 970 }, { alpha: 30, beta: 970 }).probability).toBeCloseTo(0.5, 13);
    const j = betaChanceToWin({ alpha: 30.5, beta: 970.5 }, { alpha: 30.5, beta: 970.5 });
    expect(j.method).toBe('integration');
    expect(Math.abs(j.probability - 0.5)).toBeLessThanOrEqual(j.errorBound);
    // Jeffreys-like U-shaped densities with infinite ends: harder for quadrature, the bound is still honest.
    const u = betaChanceToWin({ alpha: 0.5, beta: 0.5 }, { alpha: 0.5, beta: 0.5 });
    expect(Math.abs(u.probability - 0.5)).toBeLessThanOrEqual(u.errorBound);
    expect(u.errorBound).toBeLessThan(1e-8);
  });

  it('every exact route agrees with integration within the stated bounds', () => {
    // Reference 0.923183438973559753... : mpmath.quad of the integral at 30 digits (mpmath 1.3).
    const c = { alpha: 101, beta: 901 };
    const t = { alpha: 121, beta: 881 };
    const exact = betaChanceToWin(c, t);
    const integrated = betaChanceToWinIntegrated(c, t);
    expect(exact.method).toBe('exact');
    expect(Math.abs(exact.probability - 0.92318343897356)).toBeLessThanOrEqual(exact.errorBound);
    expect(Math.abs(integrated.probability - 0.92318343897356)).toBeLessThanOrEqual(integrated.errorBound);
    // The four exact routes (integer alpha or beta on either side) must give the same number.
    expect(betaChanceToWin({ alpha: 101.5, beta: 900.5 }, { alpha: 121, beta: 880.5 }).probability).toBeCloseTo(
      betaChanceToWinIntegrated({ alpha: 101.5, beta: 900.5 }, { alpha: 121, beta: 880.5 }).probability,
      10,
    );
    expect(betaChanceToWin({ alpha: 101, beta: 900.5 }, { alpha: 121.5, beta: 880.5 }).probability).toBeCloseTo(
      betaChanceToWinIntegrated({ alpha: 101, beta: 900.5 }, { alpha: 121.5, beta: 880.5 }).probability,
      10,
    );
    expect(betaChanceToWin({ alpha: 101.5, beta: 900.5 }, { alpha: 121.5, beta: 881 }).probability).toBeCloseTo(
      betaChanceToWinIntegrated({ alpha: 101.5, beta: 900.5 }, { alpha: 121.5, beta: 881 }).probability,
      10,
    );
    expect(betaChanceToWin({ alpha: 101.5, beta: 901 }, { alpha: 121.5, beta: 880.5 }).probability).toBeCloseTo(
      betaChanceToWinIntegrated({ alpha: 101.5, beta: 901 }, { alpha: 121.5, beta: 880.5 }).probability,
      10,
    );
  });

  it('large samples stay accurate', () => {
    // Reference 0.97896171748053322...: Miller's sum evaluated in mpmath at 40 digits (5001 terms);
    // scipy.integrate.quad of the integral gives 0.9789617174815668.
    const c = { alpha: 5001, beta: 95001 };
    const t = { alpha: 5201, beta: 94801 };
    for (const r of [betaChanceToWin(c, t), betaChanceToWinIntegrated(c, t)]) {
      expect(Math.abs(r.probability - 0.9789617174805332)).toBeLessThanOrEqual(r.errorBound);
      expect(r.errorBound).toBeLessThan(1e-9);
    }
  });

  it('a non-integer case against an independent reference', () => {
    // Reference 0.85752401220912197...: mpmath.quad of integral f_C(x) (1 - I_x(15.5, 85.5)) dx at 30 digits.
    const r = betaChanceToWin({ alpha: 10.5, beta: 90.5 }, { alpha: 15.5, beta: 85.5 });
    expect(r.method).toBe('integration');
    expect(Math.abs(r.probability - 0.857524012209122)).toBeLessThanOrEqual(r.errorBound);
  });

  it('names a bad parameter', () => {
    expect(() => betaChanceToWin({ alpha: 0, beta: 1 }, { alpha: 1, beta: 1 })).toThrow(/control.alpha .* got 0/);
  });
});
