import { describe, expect, it } from 'vitest';
import { powerTwoProportions } from '../../../models/stats/power.js';

describe('powerTwoProportions', () => {
  it("matches R's documented power.prop.test examples", () => {
    // R: power.prop.test(n = 50, p1 = .50, p2 = .75) -> power = 0.7401659
    expect(powerTwoProportions({ p1: 0.5, p2: 0.75, n: 50 }).power).toBeCloseTo(0.7401659, 7);
    // R: power.prop.test(p1 = .50, p2 = .75, power = .90) -> n = 76.70693
    expect(powerTwoProportions({ p1: 0.5, p2: 0.75, power: 0.9 }).n).toBeCloseTo(76.70693, 5);
  });

  it('strict adds the second tail', () => {
    // Hand calculation for power.prop.test(n = 50, p1 = .5, p2 = .75, strict = TRUE):
    // z = 1.959964, spread = sqrt(1.25 * 0.75 / 2) = 0.6846532, sd = sqrt(0.25 + 0.1875) = 0.6614378
    // second tail = pnorm((-sqrt(50) * 0.25 - 1.959964 * 0.6846532) / 0.6614378) = pnorm(-4.701368) = 1.2921e-6
    // 0.7401659013 + 0.0000012921 = 0.7401671935
    const r = powerTwoProportions({ p1: 0.5, p2: 0.75, n: 50, strict: true });
    expect(r.power).toBeCloseTo(0.7401671935, 9);
  });

  it('round-trips and is symmetric in p1, p2', () => {
    const { n } = powerTwoProportions({ p1: 0.1, p2: 0.12, power: 0.8 });
    expect(powerTwoProportions({ p1: 0.1, p2: 0.12, n }).power).toBeCloseTo(0.8, 9);
    expect(powerTwoProportions({ p1: 0.12, p2: 0.1, power: 0.8 }).n).toBeCloseTo(n, 4);
  });

  it('names the bad input', () => {
    expect(() => powerTwoProportions({ p1: 0.5, p2: 0.75 })).toThrow(/exactly one of n and power/);
    expect(() => powerTwoProportions({ p1: 1.5, p2: 0.75, n: 10 })).toThrow(/p1 .* got 1.5/);
  });
});
