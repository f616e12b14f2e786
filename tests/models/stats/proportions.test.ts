import { describe, expect, it } from 'vitest';
import { twoProportionZTest } from '../../../models/stats/proportions.js';

describe('twoProportionZTest', () => {
  it('matches R prop.test(c(130, 100), c(1000, 1000), correct = FALSE)', () => {
    // Hand calculation (R is not installed here; prop.test reports X-squared = z^2 and the same p-value):
    // pc = 0.10, pt = 0.13, pooled = 230/2000 = 0.115
    // se_pooled = sqrt(0.115 * 0.885 * (1/1000 + 1/1000)) = sqrt(0.00020355) = 0.0142670950
    // z = 0.03 / 0.0142670950 = 2.1027406; X-squared = z^2 = 4.4215181; p = 2 * pnorm(-2.1027406) = 0.0354885
    // Wald se = sqrt(0.1 * 0.9 / 1000 + 0.13 * 0.87 / 1000) = sqrt(0.0002031) = 0.0142513157
    // 95% CI = 0.03 -/+ 1.959964 * 0.0142513157 = [0.0020679, 0.0579321] (prop.test's conf.int with correct = FALSE)
    const r = twoProportionZTest({ n: 1000, conversions: 100 }, { n: 1000, conversions: 130 });
    expect(r.estimate).toBeCloseTo(0.03, 14);
    expect(r.z).toBeCloseTo(2.1027406056, 9);
    expect(r.z ** 2).toBeCloseTo(4.4215181, 6);
    expect(r.pValue).toBeCloseTo(0.0354884505, 9);
    expect(r.ciLow).toBeCloseTo(0.0020679344, 9);
    expect(r.ciHigh).toBeCloseTo(0.0579320656, 9);
  });

  it('is symmetric: swapping the groups flips the sign and keeps p', () => {
    const a = twoProportionZTest({ n: 500, conversions: 40 }, { n: 700, conversions: 70 });
    const b = twoProportionZTest({ n: 700, conversions: 70 }, { n: 500, conversions: 40 });
    expect(b.z).toBeCloseTo(-a.z, 12);
    expect(b.pValue).toBeCloseTo(a.pValue, 12);
    expect(b.ciLow).toBeCloseTo(-a.ciHigh, 12);
  });

  it('gives p = 1 when nobody converted and rejects impossible counts', () => {
    expect(twoProportionZTest({ n: 10, conversions: 0 }, { n: 10, conversions: 0 }).pValue).toBe(1);
    expect(() => twoProportionZTest({ n: 10, conversions: 11 }, { n: 10, conversions: 0 })).toThrow(/got 11/);
  });
});
