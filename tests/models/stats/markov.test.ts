import { describe, expect, it } from 'vitest';
import {
  MARKOV_MAX_TOUCHES,
  markovAttribution,
  markovRemovalEffects,
  type AttributionPath,
  type ChannelCredit,
} from '../../../models/stats/markov.js';

/** Rounds credits so literal expectations can be compared with toEqual (12 decimals, far below any rule). */
const round = (rows: ChannelCredit[]) =>
  rows.map((r) => ({ ...r, conversions: +r.conversions.toFixed(12), value: +r.value.toFixed(12) }));

describe('markovAttribution', () => {
  it("attributes Bryl's (2016) three-journey example: RE C1 0.5, C2 1, C3 1; credit 0.2, 0.4, 0.4", () => {
    // Journeys from http://analyzecore.com/2016/08/03/attribution-model-r-part-1/ (C1>C2>C3 -> conv,
    // C1 -> null, C2>C3 -> null); the numbers below are the hand calculation (the post's own figures were
    // not visible in the excerpts we could read). Transitions: start->C1 2/3, start->C2 1/3, C1->C2 1/2,
    // C1->null 1/2, C2->C3 1, C3->conv 1/2, C3->null 1/2.
    // P(conv) = 2/3 x 1/2 x 1 x 1/2 + 1/3 x 1 x 1/2 = 1/6 + 1/6 = 1/3.
    // Without C1: only start->C2->C3->conv = 1/3 x 1/2 = 1/6, RE = 1 - (1/6)/(1/3) = 0.5.
    // Without C2 or C3 no path reaches conversion: RE = 1. Shares 0.5/2.5, 1/2.5, 1/2.5 = 0.2, 0.4, 0.4.
    const paths: AttributionPath[] = [
      { channels: ['C1', 'C2', 'C3'], conversions: 1, nulls: 0, value: 1000 },
      { channels: ['C1'], conversions: 0, nulls: 1 },
      { channels: ['C2', 'C3'], conversions: 0, nulls: 1 },
    ];
    const re = markovRemovalEffects(paths);
    expect(re.conversionProbability).toBeCloseTo(1 / 3, 12);
    expect(re.removalEffects.map((r) => +r.removalEffect.toFixed(12))).toEqual([0.5, 1, 1]);
    expect(round(markovAttribution(paths))).toEqual([
      { channel: 'C1', conversions: 0.2, value: 200 },
      { channel: 'C2', conversions: 0.4, value: 400 },
      { channel: 'C3', conversions: 0.4, value: 400 },
    ]);
  });

  it('attributes Puzyrov (2019) "Simple Explanation Of Removal Effect": google ads 2.4, mailing 1.6', () => {
    // Source: https://serhiipuzyrov.com/2019/07/markov-chain-attribution-simple-explanation-of-removal-effect/
    // prints the journeys and the transition table start->google ads 0.8, start->mailing 0.2, google ads->conv 0.5,
    // google ads->mailing 0.25, google ads->null 0.25, mailing->conv 1. Hand calculation from it:
    // P(conv) = 0.8 x (0.5 + 0.25 x 1) + 0.2 x 1 = 0.8. Without google ads: 0.2, RE = 1 - 0.2/0.8 = 0.75.
    // Without mailing: 0.8 x 0.5 = 0.4, RE = 1 - 0.4/0.8 = 0.5. 4 conversions x 0.75/1.25 = 2.4, x 0.5/1.25 = 1.6.
    const paths: AttributionPath[] = [
      { channels: ['google ads'], conversions: 2, nulls: 1 },
      { channels: ['mailing'], conversions: 1, nulls: 0 },
      { channels: ['google ads', 'mailing'], conversions: 1, nulls: 0 },
    ];
    expect(markovRemovalEffects(paths).conversionProbability).toBeCloseTo(0.8, 12);
    expect(round(markovAttribution(paths))).toEqual([
      { channel: 'google ads', conversions: 2.4, value: 0 },
      { channel: 'mailing', conversions: 1.6, value: 0 },
    ]);
  });

  it('solves a chain with a loop between channels exactly (hand calculation)', () => {
    // Paths A>B>A (1 conv), B (1 null), A (1 null). Counts: start->A 2, start->B 1; A->B 1, A->conv 1,
    // A->null 1 (A out 3); B->A 1, B->null 1 (B out 2).
    // x_A = 1/3 + 1/3 x_B, x_B = 1/2 x_A  =>  x_A = 2/5, x_B = 1/5.  P = 2/3 x 2/5 + 1/3 x 1/5 = 1/3.
    // Without A: nothing converts, RE_A = 1. Without B: x_A = 1/3, P = 2/9, RE_B = 1 - (2/9)/(1/3) = 1/3.
    // Credit of 1 conversion: A = 1/(4/3) = 0.75, B = (1/3)/(4/3) = 0.25; value 80 -> 60 and 20.
    const paths: AttributionPath[] = [
      { channels: ['A', 'B', 'A'], conversions: 1, nulls: 0, value: 80 },
      { channels: ['B'], conversions: 0, nulls: 1 },
      { channels: ['A'], conversions: 0, nulls: 1 },
    ];
    const re = markovRemovalEffects(paths);
    expect(re.conversionProbability).toBeCloseTo(1 / 3, 12);
    expect(re.removalEffects.map((r) => +r.removalEffect.toFixed(12))).toEqual([1, +(1 / 3).toFixed(12)]);
    expect(round(markovAttribution(paths))).toEqual([
      { channel: 'A', conversions: 0.75, value: 60 },
      { channel: 'B', conversions: 0.25, value: 20 },
    ]);
  });

  it('keeps repeated consecutive channels as self-loops, which gives the same credit as collapsing them', () => {
    // A self-loop at state i rescales its other outgoing probabilities by 1/(1 - p_ii), so absorption
    // probabilities are unchanged (see the TSDoc); the transition counts differ, the credits must not.
    const repeated: AttributionPath[] = [
      { channels: ['A', 'A', 'B', 'B', 'B'], conversions: 2, nulls: 1, value: 30 },
      { channels: ['B', 'A', 'A'], conversions: 1, nulls: 3, value: 10 },
      { channels: ['C', 'C'], conversions: 0, nulls: 2 },
      { channels: ['C', 'A'], conversions: 1, nulls: 0, value: 5 },
    ];
    const collapsed = repeated.map((p) => ({ ...p, channels: p.channels.filter((c, i) => c !== p.channels[i - 1]) }));
    expect(round(markovAttribution(repeated))).toEqual(round(markovAttribution(collapsed)));
    const credits = markovAttribution(repeated);
    expect(credits.reduce((s, r) => s + r.conversions, 0)).toBeCloseTo(4, 12);
    expect(credits.reduce((s, r) => s + r.value, 0)).toBeCloseTo(45, 12);
  });

  it('returns nothing for empty input', () => {
    expect(markovAttribution([])).toEqual([]);
  });

  it('gives a channel seen only in journeys without conversion no credit', () => {
    // B never reaches conversion: removing it leaves P(conv) unchanged, RE_B = 0; A takes all 3.
    expect(
      round(
        markovAttribution([
          { channels: ['A'], conversions: 3, nulls: 1, value: 90 },
          { channels: ['B'], conversions: 0, nulls: 4 },
        ]),
      ),
    ).toEqual([
      { channel: 'A', conversions: 3, value: 90 },
      { channel: 'B', conversions: 0, value: 0 },
    ]);
  });

  it('gives a single-channel world all the credit', () => {
    expect(markovAttribution([{ channels: ['email'], conversions: 3, nulls: 5, value: 300 }])).toEqual([
      { channel: 'email', conversions: 3, value: 300 },
    ]);
  });

  it('credits 0 everywhere when nothing converted', () => {
    expect(markovAttribution([{ channels: ['A', 'B'], conversions: 0, nulls: 4 }])).toEqual([
      { channel: 'A', conversions: 0, value: 0 },
      { channel: 'B', conversions: 0, value: 0 },
    ]);
  });

  it(`keeps the last ${MARKOV_MAX_TOUCHES} touches of a long path`, () => {
    // 21 touches: OLD falls off the front, so the chain sees 20 x NEW (credit: all) and OLD gets 0.
    const long = ['OLD', ...Array<string>(20).fill('NEW')];
    expect(markovAttribution([{ channels: long, conversions: 2, nulls: 1 }])).toEqual([
      { channel: 'NEW', conversions: 2, value: 0 },
      { channel: 'OLD', conversions: 0, value: 0 },
    ]);
    // Exactly 20 touches: FIRST is kept. Removing either channel leaves no way to convert: RE 1 and 1, so
    // the 2 conversions split 1 and 1.
    const twenty = ['FIRST', ...Array<string>(19).fill('NEW')];
    expect(markovAttribution([{ channels: twenty, conversions: 2, nulls: 1 }])).toEqual([
      { channel: 'FIRST', conversions: 1, value: 0 },
      { channel: 'NEW', conversions: 1, value: 0 },
    ]);
  });

  it('names the bad path and value', () => {
    expect(() =>
      markovAttribution([
        { channels: ['A'], conversions: 1, nulls: 0 },
        { channels: ['B'], conversions: -1, nulls: 0 },
      ]),
    ).toThrow('paths[1].conversions: expected a finite number >= 0, got -1');
    expect(() => markovAttribution([{ channels: [], conversions: 1, nulls: 0 }])).toThrow(
      'paths[0].channels: a journey needs at least one channel, got []',
    );
  });
});
