import { describe, expect, it } from 'vitest';
import { madOfCounts, medianOfCounts, robustBaseline } from '../../../models/stats/robust.js';

const table = (values: number[]) => values.map((value) => ({ value, count: 1 }));

describe('medianOfCounts', () => {
  it('takes the middle observation, or the mean of the two middle ones', () => {
    // R: median(c(1, 1, 2, 2, 3, 25)) = 2 (middle pair 2, 2); median(c(4, 1, 7)) = 4; median(c(1, 2, 3, 10)) = 2.5.
    expect(
      medianOfCounts([
        { value: 25, count: 1 },
        { value: 1, count: 2 },
        { value: 3, count: 1 },
        { value: 2, count: 2 },
      ]),
    ).toBe(2);
    expect(medianOfCounts(table([4, 1, 7]))).toBe(4);
    expect(medianOfCounts(table([1, 2, 3, 10]))).toBe(2.5);
  });

  it('ignores zero counts and sums repeated values', () => {
    // Expanded: 5, 5, 5, 9 -> R: median(c(5, 5, 5, 9)) = 5.
    expect(
      medianOfCounts([
        { value: 100, count: 0 },
        { value: 5, count: 2 },
        { value: 9, count: 1 },
        { value: 5, count: 1 },
      ]),
    ).toBe(5);
  });

  it('names the bad row', () => {
    expect(() => medianOfCounts([{ value: 1, count: 1.5 }])).toThrow('table[0].count must be a non-negative integer');
    expect(() => medianOfCounts([{ value: 1, count: 0 }])).toThrow('holds no observations');
  });
});

describe('madOfCounts', () => {
  it('matches R mad()', () => {
    // R: mad(c(1, 1, 2, 2, 3, 25)) = 1.4826. By hand: median 2, |x - 2| = 1, 1, 0, 0, 1, 23, median 1, x 1.4826.
    expect(madOfCounts(table([1, 1, 2, 2, 3, 25]))).toBeCloseTo(1.4826, 12);
    // R: mad(c(2, 4, 4, 4, 5, 5, 7, 9)) = 0.7413. By hand: median 4.5, deviations sorted .5 .5 .5 .5 .5 2.5 2.5
    // 4.5, middle pair .5 and .5 -> 0.5 x 1.4826 = 0.7413.
    expect(madOfCounts(table([2, 4, 4, 4, 5, 5, 7, 9]))).toBeCloseTo(0.7413, 12);
    // R: mad(c(1, 2, 3, 4, 100), constant = 1) = 1 (median 3, deviations 2 1 0 1 97).
    expect(madOfCounts(table([1, 2, 3, 4, 100]), 1)).toBe(1);
  });
});

describe('robustBaseline', () => {
  it('is median + k * MAD', () => {
    // median 2, MAD 1.4826 (above), k = 3: 2 + 3 * 1.4826 = 6.4478.
    const b = robustBaseline(table([1, 1, 2, 2, 3, 25]), 3);
    expect(b.n).toBe(6);
    expect(b.median).toBe(2);
    expect(b.threshold).toBeCloseTo(6.4478, 12);
  });

  it('collapses to the median when most observations are equal', () => {
    // 1, 1, 1, 1, 3: median 1, deviations 0 0 0 0 2 -> MAD 0, threshold 1.
    expect(robustBaseline([...table([3]), { value: 1, count: 4 }], 3)).toEqual({
      n: 5,
      median: 1,
      mad: 0,
      threshold: 1,
    });
  });

  it('rejects a negative k', () => {
    expect(() => robustBaseline(table([1]), -1)).toThrow('k must be a finite number >= 0, got -1');
  });
});
