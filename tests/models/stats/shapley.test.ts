import { describe, expect, it } from 'vitest';
import type { AttributionPath, ChannelCredit } from '../../../models/stats/markov.js';
import { SHAPLEY_MAX_CHANNELS, shapleyAttribution, shapleyByEnumeration } from '../../../models/stats/shapley.js';

const round = (rows: ChannelCredit[]) =>
  rows.map((r) => ({ ...r, conversions: +r.conversions.toFixed(10), value: +r.value.toFixed(10) }));

// "Data-driven marketing attribution", Towards Data Science
// (https://towardsdatascience.com/data-driven-marketing-attribution-1a28d2e613a0), as reproduced in the
// notebook github.com/tomgorb/misc "Data Driven Attribution.ipynb": coalition conversion ratios F 0.2, O 0.1,
// L 0.17, F+O 0.17, F+L 0.3, L+O 0, F+L+O 0.06 (100 journeys), worths [0.2, 0.1, 0.17, 0.47, 0.67, 0.27, 1.0]
// and printed Shapley values F 0.455, O 0.205, L 0.34, i.e. 45.5, 20.5 and 34 of 100 conversions.
const tdsExample: AttributionPath[] = [
  { channels: ['F'], conversions: 20, nulls: 0 },
  { channels: ['O'], conversions: 10, nulls: 0 },
  { channels: ['L'], conversions: 17, nulls: 0 },
  { channels: ['O', 'F'], conversions: 17, nulls: 0 },
  { channels: ['L', 'F'], conversions: 30, nulls: 0 },
  { channels: ['F', 'O', 'L'], conversions: 6, nulls: 0 },
];

describe('shapleyAttribution', () => {
  it('reproduces the Towards Data Science example: F 45.5, L 34, O 20.5', () => {
    const expected = [
      { channel: 'F', conversions: 45.5, value: 0 },
      { channel: 'L', conversions: 34, value: 0 },
      { channel: 'O', conversions: 20.5, value: 0 },
    ];
    expect(round(shapleyAttribution(tdsExample))).toEqual(expected);
    expect(round(shapleyByEnumeration(tdsExample))).toEqual(expected);
  });

  it('matches the subset formula written out by hand', () => {
    // Journeys: A (6 conv, value 60), A>B (4 conv, value 40), B>C>B (3 conv, value 30), C (0 conv, 9 nulls).
    // Worths v(S) (conversions of journeys whose channel set is within S): v({}) = 0, v(A) = 6, v(B) = 0,
    // v(C) = 0, v(AB) = 10, v(AC) = 6, v(BC) = 3, v(ABC) = 13. Weights for n = 3: |S| = 0 -> 1/3, 1 -> 1/6,
    // 2 -> 1/3.
    // phi_C = 1/3 (v(C) - v({})) + 1/6 (v(AC) - v(A)) + 1/6 (v(BC) - v(B)) + 1/3 (v(ABC) - v(AB))
    //       = 0 + 0 + 3/6 + 3/3 = 1.5
    // phi_B = 1/3 (0) + 1/6 (v(AB) - v(A) = 4) + 1/6 (v(BC) - v(C) = 3) + 1/3 (v(ABC) - v(AC) = 7) = 3.5
    // phi_A = 13 - 3.5 - 1.5 = 8 (efficiency; directly: 1/3 x 6 + 1/6 x 10 + 1/6 x 6 + 1/3 x 10 = 8).
    // Value follows the same game with v in value units: 80, 35, 15.
    const paths: AttributionPath[] = [
      { channels: ['A'], conversions: 6, nulls: 0, value: 60 },
      { channels: ['A', 'B'], conversions: 4, nulls: 0, value: 40 },
      { channels: ['B', 'C', 'B'], conversions: 3, nulls: 0, value: 30 },
      { channels: ['C'], conversions: 0, nulls: 9 },
    ];
    const expected = [
      { channel: 'A', conversions: 8, value: 80 },
      { channel: 'B', conversions: 3.5, value: 35 },
      { channel: 'C', conversions: 1.5, value: 15 },
    ];
    expect(round(shapleyAttribution(paths))).toEqual(expected);
    expect(round(shapleyByEnumeration(paths))).toEqual(expected);
  });

  it('agrees with full enumeration on 12 channels and many distinct sets', () => {
    // A deterministic pseudo-random input (LCG) so the two computations are compared on a non-trivial game.
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const channels = Array.from({ length: 12 }, (_, i) => `ch${String(i).padStart(2, '0')}`);
    const paths: AttributionPath[] = Array.from({ length: 60 }, () => ({
      channels: Array.from({ length: 1 + Math.floor(next() * 5) }, () => channels[Math.floor(next() * 12)]!),
      conversions: Math.floor(next() * 10),
      nulls: Math.floor(next() * 10),
      value: Math.floor(next() * 1000),
    }));
    const a = shapleyAttribution(paths);
    const b = shapleyByEnumeration(paths);
    expect(a.map((r) => r.channel)).toEqual(b.map((r) => r.channel));
    a.forEach((r, i) => {
      expect(r.conversions).toBeCloseTo(b[i]!.conversions, 9);
      expect(r.value).toBeCloseTo(b[i]!.value, 9);
    });
    const total = paths.reduce((s, p) => s + p.conversions, 0);
    expect(a.reduce((s, r) => s + r.conversions, 0)).toBeCloseTo(total, 9);
  });

  it(`refuses to enumerate more than ${SHAPLEY_MAX_CHANNELS} channels, naming the count`, () => {
    const paths = [{ channels: Array.from({ length: 21 }, (_, i) => `c${i}`), conversions: 1, nulls: 0 }];
    expect(() => shapleyByEnumeration(paths)).toThrow('21 distinct channels exceed the cap of 20');
    // The closed form has no cap: 21 channels in one journey split 1 conversion equally.
    expect(shapleyAttribution(paths)[0]!.conversions).toBeCloseTo(1 / 21, 12);
  });

  it('returns nothing for empty input', () => {
    expect(shapleyAttribution([])).toEqual([]);
    expect(shapleyByEnumeration([])).toEqual([]);
  });

  it('ignores nulls: a channel seen only in unconverted journeys gets 0', () => {
    expect(
      shapleyAttribution([
        { channels: ['A'], conversions: 2, nulls: 100, value: 20 },
        { channels: ['B', 'C'], conversions: 0, nulls: 50 },
      ]),
    ).toEqual([
      { channel: 'A', conversions: 2, value: 20 },
      { channel: 'B', conversions: 0, value: 0 },
      { channel: 'C', conversions: 0, value: 0 },
    ]);
  });

  it('gives a single-channel world all the credit, and 0 when nothing converted', () => {
    expect(shapleyAttribution([{ channels: ['email', 'email'], conversions: 3, nulls: 5, value: 300 }])).toEqual([
      { channel: 'email', conversions: 3, value: 300 },
    ]);
    expect(shapleyAttribution([{ channels: ['A', 'B'], conversions: 0, nulls: 4 }])).toEqual([
      { channel: 'A', conversions: 0, value: 0 },
      { channel: 'B', conversions: 0, value: 0 },
    ]);
  });
});
