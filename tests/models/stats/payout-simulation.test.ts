import { describe, expect, it } from 'vitest';
import { simulatePayouts, type PayoutModel } from '../../../models/stats/payout-simulation.js';

const fixedModel = (over: Partial<PayoutModel> = {}): PayoutModel => ({
  volume: { means: [10, 10, 10], size: null },
  conversion: { fixed: 1 },
  tiers: [{ tier: 'all', meanMinor: 500, varianceMinor: 0 }],
  tierMix: { fixed: [1] },
  reversal: { fixed: 0 },
  reversedMeanMinor: 0,
  openingLiabilityMinor: 0,
  openingApprovedMinor: 0,
  payoutLagMonths: 1,
  ...over,
});

describe('simulatePayouts', () => {
  it('gives P10 = P50 = P90 when nothing is random', () => {
    // 10 sign-ups, all rewarded at 500, nothing reversed: 5000 a month; cumulative 5000, 10000, 15000.
    // Liability with lag 2 and opening 7000 of which 3000 approved (paid in month 1): month 1 owes the held
    // 4000 + 5000 = 9000, then two months of payouts: 10000.
    const out = simulatePayouts(
      fixedModel({ openingLiabilityMinor: 7000, openingApprovedMinor: 3000, payoutLagMonths: 2 }),
      200,
      1,
    );
    expect(out.map((m) => m.monthly)).toEqual([
      { p10: 5000, p50: 5000, p90: 5000 },
      { p10: 5000, p50: 5000, p90: 5000 },
      { p10: 5000, p50: 5000, p90: 5000 },
    ]);
    expect(out.map((m) => m.cumulative.p50)).toEqual([5000, 10000, 15000]);
    expect(out.map((m) => m.liability.p50)).toEqual([9000, 10000, 10000]);
    // Paid out = owed at the start + net - owed at the end: 7000 + 5000 - 9000 = 3000 (the approved part),
    // 9000 + 5000 - 10000 = 4000 (the held part), 10000 + 5000 - 10000 = 5000 (month 1's payout).
    expect(out.map((m) => m.paidOut.p50)).toEqual([3000, 4000, 5000]);
    expect(out.map((m) => m.mean)).toEqual([5000, 5000, 5000]);
  });

  it('nets reversals at their mean size and splits fixed tier mixes exactly', () => {
    // 10 rewarded, all reversed (rate 1) at 200 each: 10 x 500 - 10 x 200 = 3000.
    expect(simulatePayouts(fixedModel({ reversal: { fixed: 1 }, reversedMeanMinor: 200 }), 50, 2)[0]!.monthly.p50).toBe(
      3000,
    );
    // Tiers 40% at 100 and 60% at 1000 with 10 referrals: multinomial with p = 0.4 is random, so use shares 0 / 1.
    const tiers = [
      { tier: 'bronze', meanMinor: 100, varianceMinor: 0 },
      { tier: 'gold', meanMinor: 1000, varianceMinor: 0 },
    ];
    const out = simulatePayouts(fixedModel({ tiers, tierMix: { fixed: [0, 1] } }), 50, 3);
    expect(out[0]!.monthly).toEqual({ p10: 10000, p50: 10000, p90: 10000 });
  });

  it('matches the hand-computed quantiles of a Poisson volume', () => {
    // Volume Poisson(2) (size Infinity), each sign-up rewarded 100: payout = 100 x Poisson(2).
    // CDF of Poisson(2): P(0) = .1353, P(<=1) = .4060, P(<=2) = .6767, P(<=3) = .8571, P(<=4) = .9473
    // (e^-2 2^k / k!), so P10 = 0, P50 = 200, P90 = 400; 4,000 draws put the sample CDF within ~0.006 of these,
    // far from the 0.1 / 0.5 / 0.9 crossings. Mean 200 (se 100 x sqrt(2 / 4000) = 2.2).
    const out = simulatePayouts(
      fixedModel({ volume: { means: [2], size: Infinity }, tiers: [{ tier: 'a', meanMinor: 100, varianceMinor: 0 }] }),
      4000,
      4,
    );
    expect(out[0]!.monthly).toEqual({ p10: 0, p50: 200, p90: 400 });
    expect(Math.abs(out[0]!.mean - 200)).toBeLessThan(9);
  });

  it('is reproducible with its seed, and orders its quantiles', () => {
    const model: PayoutModel = {
      volume: { means: [40, 42, 44, 46], size: 8 },
      conversion: { alpha: 30, beta: 10 },
      tiers: [
        { tier: 'bronze', meanMinor: 1000, varianceMinor: 40_000 },
        { tier: 'gold', meanMinor: 2000, varianceMinor: 90_000 },
      ],
      tierMix: { alpha: [20.5, 5.5] },
      reversal: { alpha: 3, beta: 40 },
      reversedMeanMinor: 1200,
      openingLiabilityMinor: 50_000,
      openingApprovedMinor: 20_000,
      payoutLagMonths: 2,
    };
    const a = simulatePayouts(model, 1000, 99);
    expect(simulatePayouts(model, 1000, 99)).toEqual(a);
    expect(simulatePayouts(model, 1000, 100)).not.toEqual(a);
    for (const m of a) {
      for (const q of [m.monthly, m.cumulative, m.liability, m.paidOut]) {
        expect(q.p10).toBeLessThanOrEqual(q.p50);
        expect(q.p50).toBeLessThanOrEqual(q.p90);
      }
      expect(m.monthly.p10).toBeLessThan(m.monthly.p90);
    }
    // Cumulative quantiles grow with the horizon (payouts are positive here).
    expect(a.map((m) => m.cumulative.p50)).toEqual([...a.map((m) => m.cumulative.p50)].sort((x, y) => x - y));
  });

  it('rejects inconsistent models', () => {
    expect(() => simulatePayouts(fixedModel(), 0, 1)).toThrow(/draws must be >= 1, got 0/);
    expect(() => simulatePayouts(fixedModel({ tierMix: { fixed: [0.5, 0.5] } }), 10, 1)).toThrow(
      /tier mix has 2 entries for 1 tiers/,
    );
    expect(() => simulatePayouts(fixedModel({ conversion: { fixed: 1.5 } }), 10, 1)).toThrow(/got 1.5/);
  });
});
