/** The newer site components' pure parts: unit formatting, quarterly cohorts and the overview's headline formulas. */
import { describe, expect, it } from 'vitest';
import { quarterlyCohorts } from '../../../dashboards/src/components/cohort-grain.js';
import {
  formatCountOf,
  formatMoneyMean,
  formatQuarter,
  formatRatio,
  formatUnit,
} from '../../../dashboards/src/components/format.js';
import { roiHeadline } from '../../../dashboards/src/components/overview-metrics.js';
import type { RoiMonth } from '../../../src/site/overview-data.js';

describe('unit formatting', () => {
  it('puts the unit on every number and a dash on a missing one', () => {
    expect(formatRatio(5.7234)).toBe('5.72×');
    expect(formatRatio(null)).toBe('–');
    expect(formatUnit(2.66, 'months')).toBe('2.7 months');
    expect(formatUnit(1234.5, 'h', 1)).toBe('1,234.5 h');
    expect(formatMoneyMean(1874.5, 'USD')).toBe('USD 18.75');
    expect(formatMoneyMean(-1874.5, 'USD')).toBe('USD -18.75');
    expect(formatCountOf(1, 'referral')).toBe('1 referral');
    expect(formatCountOf(1200, 'referral')).toBe('1,200 referrals');
    expect(formatQuarter('2025-11-01')).toBe('2025 Q4');
  });
});

describe('quarterlyCohorts', () => {
  it('sums people over the quarter’s monthly cohorts per offset', () => {
    const cell = (cohort_month: string, month_offset: number, cohort_people: number, active_people: number) => ({
      acquisition_type: 'referred',
      cohort_month,
      month_offset,
      cohort_people,
      active_people,
    });
    // Jan (100 people, 30 active at offset 1) and Mar (50, 20) -> Q1 at offset 1: 50 of 150 = 1/3.
    const q = quarterlyCohorts([
      cell('2025-01-01', 1, 100, 30),
      cell('2025-03-01', 1, 50, 20),
      cell('2025-04-01', 1, 10, 1),
    ]);
    expect(q).toEqual([
      { ...cell('2025-01-01', 1, 150, 50), retention_rate: 50 / 150 },
      { ...cell('2025-04-01', 1, 10, 1), retention_rate: 0.1 },
    ]);
  });
});

describe('roiHeadline', () => {
  const row = (month: string, over: Partial<RoiMonth>): RoiMonth => ({
    month,
    program_id: 'friends',
    referred_customers: 0,
    referral_revenue_minor: 0,
    predicted_ltv_minor: 0,
    reward_cost_cash_minor: 0,
    reward_cost_non_cash_minor: 0,
    referral_cac_minor: null,
    paid_cac_minor: null,
    roi: null,
    payback_months: null,
    k_factor: null,
    invites: 0,
    conversions: 0,
    ...over,
  });

  it('re-weights ratios so they equal the ratio of the sums', () => {
    // Month 1: value 500, cost 100 -> roi 4; month 2: value 100, cost 300 -> roi -2/3.
    // Overall (600 - 400) / 400 = 0.5 = (4·100 + (-2/3)·300) / 400.
    // CAC: 100/10 = 10 and 300/20 = 15 -> 400/30 = 13.33 = (10·10 + 15·20) / 30.
    const rows = [
      row('2026-01-01', {
        referred_customers: 10,
        reward_cost_cash_minor: 100,
        roi: 4,
        referral_cac_minor: 10,
        conversions: 6,
        k_factor: 0.2,
        referral_revenue_minor: 700,
      }),
      row('2026-02-01', {
        referred_customers: 20,
        reward_cost_cash_minor: 250,
        reward_cost_non_cash_minor: 50,
        roi: -2 / 3,
        referral_cac_minor: 15,
        paid_cac_minor: 40,
        conversions: 10,
        k_factor: 0.4,
        referral_revenue_minor: 300,
      }),
    ];
    const h = roiHeadline(rows, [{ net_revenue_minor: 4000 }]);
    expect(h.roi).toBeCloseTo(0.5, 12);
    expect(h.referralCac).toBeCloseTo(400 / 30, 12);
    expect(h.paidCac).toBe(40);
    // K: (0.2·10 + 0.4·20) / 30 = 1/3.
    expect(h.kFactor).toBeCloseTo(1 / 3, 12);
    expect(h.velocity).toBe(8);
    expect(h.referralRevenue).toBe(1000);
    expect(h.share).toBe(0.25);
    expect(h.rewardCost).toBe(400);
  });

  it('gives nulls, not zeros or NaN, with no rows', () => {
    const h = roiHeadline([], []);
    expect([h.roi, h.referralCac, h.paidCac, h.payback, h.kFactor, h.velocity, h.share]).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
  });
});
