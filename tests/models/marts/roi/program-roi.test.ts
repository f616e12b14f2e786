import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RefstackConfig } from '../../../../src/config.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { attributionConfig, ruleVersion } from '../../../../models/marts/attribution/config-schema.js';
import { advocateRoi } from '../../../../models/marts/roi/advocate-roi.js';
import { channelCac } from '../../../../models/marts/roi/channel-cac.js';
import { roiConfig } from '../../../../models/marts/roi/config-schema.js';
import { programRoi } from '../../../../models/marts/roi/program-roi.js';
import { memoryWarehouse, testConfig } from '../../../helpers/landing.js';
import { contextFor, landRoiInputs } from './fixture.js';

let wh: Warehouse;
beforeEach(async () => {
  wh = await memoryWarehouse();
});
afterEach(async () => {
  await wh.close();
});

const baseConfig = testConfig({
  programs: [
    { id: 'friends', name: 'Friends' },
    { id: 'partners', name: 'Partners', kind: 'partner' },
  ],
});
const withRoi = (roi: object): RefstackConfig => ({ ...baseConfig, roi }) as RefstackConfig;

async function programRows(config: RefstackConfig) {
  await landRoiInputs(wh, config, ruleVersion(attributionConfig(config).ruleSet));
  const sql = (await programRoi.build(contextFor(wh, config, 'program_roi'))) as string;
  return wh.query(`select cast(month as varchar) as month, * exclude (month) from (${sql}) order by month, program_id`);
}

describe('program_roi', () => {
  it('computes referral and paid CAC, ROI, payback and K from literal rows', async () => {
    const rows = await programRows(baseConfig);
    expect(rows).toEqual([
      {
        month: '2025-03-01',
        program_id: 'friends',
        currency: 'USD',
        // C2 converted in March (C3 converts in April; C4 never; C1 is a self-referral).
        referred_customers: 1,
        // Sign-ups in March: C2, C3, C4 (not the self-referral).
        conversions: 3,
        // Four 'invited' events dated March (the clicked event does not count).
        invites: 4,
        // attribution_summary, last_touch, 'Referral Program', March: 5200 (Paid Search and first_touch ignored).
        referral_revenue_minor: 5200,
        // customer_ltv of C2's person P2.
        predicted_ltv_minor: 2600,
        // Cash: accrued 1000 - capped 200 (the approval moves money, costs nothing); non-cash: 500.
        reward_cost_cash_minor: 800,
        reward_cost_non_cash_minor: 500,
        reward_cost_minor: 1300,
        // 1300 / 1 referred customer.
        referral_cac_minor: 1300,
        // Last touch before sign-up: C10 Paid Search, C11 Paid Social (its later Paid Search touch is after sign-up),
        // C12 Email (no spend: not a paid channel), C13 Paid Search in partners. 'all' Paid Search 3000 splits by
        // Paid Search customers 1 (friends) : 1 (partners) -> 1500 each. Friends: 4500 + 6000 + 1500 = 12000 over
        // 2 customers = 6000.
        paid_spend_minor: 12_000,
        paid_customers: 2,
        paid_cac_minor: 6000,
        // (5200 - 1300) / 1300 = 3; (2600 - 1300) / 1300 = 1.
        roi: 3,
        ltv_roi: 1,
        // C2's paid orders: March 1000 (< 1300), April +500 = 1500 >= 1300 -> one month after (the unpaid one ignored).
        payback_months: 1,
        // referral_growth's March cohort.
        k_factor: 0.75,
        referral_velocity: 0.1,
        attribution_model: 'last_touch',
        paid_acquisition: 'signup_last_touch',
      },
      {
        month: '2025-03-01',
        program_id: 'partners',
        currency: 'USD',
        referred_customers: 0,
        conversions: 0,
        invites: 0,
        referral_revenue_minor: 0,
        predicted_ltv_minor: 0,
        // C20's accrual of 700.
        reward_cost_cash_minor: 700,
        reward_cost_non_cash_minor: 0,
        reward_cost_minor: 700,
        referral_cac_minor: null,
        // Half of the 'all' Paid Search spend over C13.
        paid_spend_minor: 1500,
        paid_customers: 1,
        paid_cac_minor: 1500,
        // (0 - 700) / 700.
        roi: -1,
        ltv_roi: -1,
        payback_months: null,
        k_factor: null,
        referral_velocity: null,
        attribution_model: 'last_touch',
        paid_acquisition: 'signup_last_touch',
      },
      {
        month: '2025-04-01',
        program_id: 'friends',
        currency: 'USD',
        referred_customers: 1,
        conversions: 0,
        invites: 1,
        referral_revenue_minor: 3000,
        predicted_ltv_minor: 4000,
        // R2 accrued 1000 and was voided in the same month: no cost, so no ROI and no payback.
        reward_cost_cash_minor: 0,
        reward_cost_non_cash_minor: 0,
        reward_cost_minor: 0,
        referral_cac_minor: 0,
        paid_spend_minor: 0,
        paid_customers: 0,
        paid_cac_minor: null,
        roi: null,
        ltv_roi: null,
        payback_months: null,
        k_factor: null,
        referral_velocity: null,
        attribution_model: 'last_touch',
        paid_acquisition: 'signup_last_touch',
      },
    ]);
  });

  it('counts paid customers by an attribution model on first orders when configured', async () => {
    const rows = await programRows(withRoi({ paidAcquisition: 'linear', attributionModel: 'first_touch' }));
    const march = rows.find((r) => r['program_id'] === 'friends' && r['month'] === '2025-03-01')!;
    // linear credit on first orders: O10 Paid Search 0.5 (its Email half has no spend), O11 Paid Social 1; O12 is a
    // second order. All Paid Search credit is friends', so the 'all' 3000 goes to friends: 4500 + 6000 + 3000 =
    // 13500 over 1.5 customers = 9000. Referral revenue now first_touch's 7777: (7777 - 1300) / 1300 = 4.982308.
    expect(march['paid_customers']).toBe(1.5);
    expect(march['paid_spend_minor']).toBe(13_500);
    expect(march['paid_cac_minor']).toBe(9000);
    expect(march['referral_revenue_minor']).toBe(7777);
    expect(march['roi']).toBeCloseTo((7777 - 1300) / 1300, 12);
    expect(rows.find((r) => r['program_id'] === 'partners')!['paid_cac_minor']).toBe(null);
  });

  it('rejects an unknown attribution model, naming the key', () => {
    expect(() => roiConfig({ roi: { attributionModel: 'magic' } })).toThrow(/config roi.attributionModel/);
  });
});

describe('advocate_roi', () => {
  it('reports referrals, credited revenue, reward cost and ROI per advocate and program', async () => {
    const config = baseConfig;
    await landRoiInputs(wh, config, ruleVersion(attributionConfig(config).ruleSet));
    const sql = (await advocateRoi.build(contextFor(wh, config, 'advocate_roi'))) as string;
    const rows = await wh.query(
      `select * exclude (first_referral_at, last_referral_at), cast(first_referral_at as varchar) as first_at
       from (${sql}) order by program_id, advocate_id`,
    );
    expect(rows).toEqual([
      {
        program_id: 'friends',
        program_kind: 'customer_referral',
        advocate_id: 'C1',
        // C2, C3, C4 (the self-referral left out); C2 and C3 converted.
        referrals: 3,
        converted_referrals: 2,
        // last_touch credits of the current rule version: 2000 + 3200 (the old version's and first_touch's ignored).
        referral_revenue_minor: 5200,
        // 1000 - 200 + (1000 - 1000) cash; 500 non-cash.
        reward_cost_cash_minor: 800,
        reward_cost_non_cash_minor: 500,
        reward_cost_minor: 1300,
        // (5200 - 1300) / 1300.
        roi: 3,
        currency: 'USD',
        attribution_model: 'last_touch',
        first_at: '2025-03-02 10:00:00',
      },
      {
        program_id: 'partners',
        program_kind: 'partner',
        advocate_id: 'C20',
        referrals: 0,
        converted_referrals: 0,
        referral_revenue_minor: 0,
        reward_cost_cash_minor: 700,
        reward_cost_non_cash_minor: 0,
        reward_cost_minor: 700,
        roi: -1,
        currency: 'USD',
        attribution_model: 'last_touch',
        first_at: null,
      },
    ]);
  });
});

describe('channel_cac', () => {
  it('puts the referral channel beside each paid channel group', async () => {
    const config = baseConfig;
    await landRoiInputs(wh, config, ruleVersion(attributionConfig(config).ruleSet));
    const sql = (await channelCac.build(contextFor(wh, config, 'channel_cac'))) as string;
    const rows = await wh.query(
      `select cast(month as varchar) as month, program_id, channel_group, kind, cost_minor, customers, cac_minor
       from (${sql}) order by month, program_id, kind, channel_group`,
    );
    expect(rows).toEqual([
      // Friends, March: Paid Search 4500 + half of the 'all' 3000 over C10; Paid Social 6000 over C11.
      {
        month: '2025-03-01',
        program_id: 'friends',
        channel_group: 'Paid Search',
        kind: 'paid',
        cost_minor: 6000,
        customers: 1,
        cac_minor: 6000,
      },
      {
        month: '2025-03-01',
        program_id: 'friends',
        channel_group: 'Paid Social',
        kind: 'paid',
        cost_minor: 6000,
        customers: 1,
        cac_minor: 6000,
      },
      // Reward cost 1300 over C2.
      {
        month: '2025-03-01',
        program_id: 'friends',
        channel_group: 'Referral Program',
        kind: 'referral',
        cost_minor: 1300,
        customers: 1,
        cac_minor: 1300,
      },
      {
        month: '2025-03-01',
        program_id: 'partners',
        channel_group: 'Paid Search',
        kind: 'paid',
        cost_minor: 1500,
        customers: 1,
        cac_minor: 1500,
      },
      // C20's 700 with no referred customer: no CAC.
      {
        month: '2025-03-01',
        program_id: 'partners',
        channel_group: 'Referral Program',
        kind: 'referral',
        cost_minor: 700,
        customers: 0,
        cac_minor: null,
      },
      // April: C3 converted, R2's reward voided in the month: a referred customer at no cost.
      {
        month: '2025-04-01',
        program_id: 'friends',
        channel_group: 'Referral Program',
        kind: 'referral',
        cost_minor: 0,
        customers: 1,
        cac_minor: 0,
      },
    ]);
  });
});
