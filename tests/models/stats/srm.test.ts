import { describe, expect, it } from 'vitest';
import { srmTest } from '../../../models/stats/srm.js';

describe('srmTest', () => {
  it('5000 vs 5200 on a 50/50 split', () => {
    // Hand calculation: expected 5100 each; chi2 = 2 * 100^2 / 5100 = 3.9215686;
    // df = 1, so p = erfc(sqrt(chi2 / 2)) = erfc(1.4002801) = 0.0476704 (R: chisq.test(c(5000, 5200))).
    const r = srmTest([5000, 5200], [0.5, 0.5]);
    expect(r.chiSquare).toBeCloseTo(3.9215686, 6);
    expect(r.df).toBe(1);
    expect(r.pValue).toBeCloseTo(0.0476703807, 9);
  });

  it('three variants; weights need not sum to 1', () => {
    // Hand calculation: 3300 units on 1:1:1, expected 1100 each;
    // chi2 = (100^2 + 100^2 + 200^2) / 1100 = 54.5454545; df = 2, survival = exp(-chi2 / 2) = exp(-27.2727273)
    const r = srmTest([1000, 1000, 1300], [1, 1, 1]);
    expect(r.chiSquare).toBeCloseTo(54.5454545, 6);
    expect(r.pValue / Math.exp(-60000 / 2200)).toBeCloseTo(1, 10);
  });

  it('a perfect split gives chi2 = 0 and p = 1', () => {
    expect(srmTest([300, 100], [0.75, 0.25])).toEqual({ chiSquare: 0, df: 1, pValue: 1 });
  });

  it('names the bad input', () => {
    expect(() => srmTest([1, 2], [0.5])).toThrow(/2 counts but 1 weights/);
    expect(() => srmTest([1, 2], [0.5, 0])).toThrow(/weights\[1\] .* got 0/);
  });
});
