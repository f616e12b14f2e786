import { describe, expect, it } from 'vitest';
import { holmAdjust } from '../../../models/stats/multiple-testing.js';

describe('holmAdjust', () => {
  it('matches R p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm")', () => {
    // Hand calculation: sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1 = 0.02, 0.03, 0.06, 0.04;
    // running maximum 0.02, 0.03, 0.06, 0.06; back in input order: 0.03 0.06 0.06 0.02
    const adj = holmAdjust([0.01, 0.04, 0.03, 0.005]);
    [0.03, 0.06, 0.06, 0.02].forEach((e, i) => expect(adj[i]).toBeCloseTo(e, 15));
  });

  it('caps at 1 and keeps ties', () => {
    // p.adjust(c(0.5, 0.2, 0.2), "holm"): 0.2 * 3 = 0.6, 0.2 * 2 = 0.4 -> 0.6, 0.5 * 1 -> max(0.6, 0.5) = 0.6
    expect(holmAdjust([0.5, 0.2, 0.2])).toEqual([0.6000000000000001, 0.6000000000000001, 0.6000000000000001]);
    expect(holmAdjust([0.9, 0.8])).toEqual([1, 1]);
    expect(holmAdjust([])).toEqual([]);
  });

  it('names the bad p-value', () => {
    expect(() => holmAdjust([0.1, 1.2])).toThrow(/pValues\[1\] .* got 1.2/);
  });
});
