import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runModels } from '../../../../src/models/runner.js';
import { ModelRegistry } from '../../../../src/models/registry.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { defaultRegistry } from '../../../../models/index.js';
import { cohortRetention } from '../../../../models/marts/cohorts/cohort-retention.js';
import { land, memoryWarehouse, testConfig } from '../../../helpers/landing.js';

/*
 * Written out by hand: A and B are not referred, C was referred by A's code.
 * A buys Jan 5 (1000), Jan 20 (500), Mar 2 (2000); B buys Jan 10 (700) and has a canceled Feb order (ignored);
 * C buys Feb 15 (300) and Mar 15 (fully refunded: a purchase with net 0). Last month with purchases: March.
 */
let wh: Warehouse;

beforeEach(async () => {
  wh = await memoryWarehouse();
  await land(wh, 'customers', [
    { customer_id: 'A', created_at: '2025-01-01', referral_code: 'ACODE' },
    { customer_id: 'B', created_at: '2025-01-02' },
    { customer_id: 'C', created_at: '2025-02-01', referred_by_code: 'ACODE' },
  ]);
  const order = (order_id: string, customer_id: string, ordered_at: string, gross: number, status = 'paid') => ({
    order_id,
    customer_id,
    ordered_at,
    currency: 'USD',
    gross_minor: gross,
    discount_minor: 0,
    tax_minor: 0,
    refunded_minor: status === 'refunded' ? gross : 0,
    status,
  });
  await land(wh, 'orders', [
    order('a1', 'A', '2025-01-05T10:00:00Z', 1000),
    order('a2', 'A', '2025-01-20T10:00:00Z', 500),
    order('a3', 'A', '2025-03-02T10:00:00Z', 2000),
    order('b1', 'B', '2025-01-10T10:00:00Z', 700),
    order('b2', 'B', '2025-02-11T10:00:00Z', 999, 'canceled'),
    order('c1', 'C', '2025-02-15T10:00:00Z', 300),
    order('c2', 'C', '2025-03-15T10:00:00Z', 400, 'refunded'),
  ]);
});

afterEach(async () => {
  await wh.close();
});

describe('cohort_retention', () => {
  it('counts active people, orders and net revenue per cohort month and offset, with zero rows filled in', async () => {
    const registry = defaultRegistry();
    await runModels({ wh, config: testConfig(), registry, select: ['cohort_retention'] });
    const rows = await wh.query(`
      select acquisition_type, cohort_grain, strftime(cohort_start, '%Y-%m') as cohort, period_offset,
        strftime(activity_start, '%Y-%m') as activity, cohort_people, active_people, retention_rate, orders,
        net_revenue_minor, cumulative_net_revenue_minor, cumulative_net_revenue_per_customer, repeat_purchasers,
        repeat_purchase_rate, reporting_currency,
        cohort_month = cohort_start and month_offset = period_offset and activity_month = activity_start as aliases
      from cohort_retention where segment_type = 'acquisition_type' order by 1, 3, 4`);
    const r = (
      t: string,
      c: string,
      k: number,
      m: string,
      [n, act, rate, orders, rev, cum, perCustomer, repeaters, repeatRate]: number[],
    ) => ({
      acquisition_type: t,
      cohort_grain: 'month',
      cohort: c,
      period_offset: k,
      activity: m,
      cohort_people: n,
      active_people: act,
      retention_rate: rate,
      orders,
      net_revenue_minor: rev,
      cumulative_net_revenue_minor: cum,
      cumulative_net_revenue_per_customer: perCustomer,
      repeat_purchasers: repeaters,
      repeat_purchase_rate: repeatRate,
      reporting_currency: 'USD',
      aliases: true,
    });
    expect(rows).toEqual([
      // A 1000 + 500 (second purchase day Jan 20: a repeat buyer in month 0), B 700
      r('non_referred', '2025-01', 0, '2025-01', [2, 2, 1, 3, 2200, 2200, 1100, 1, 0.5]),
      // B's canceled order does not count
      r('non_referred', '2025-01', 1, '2025-02', [2, 0, 0, 0, 0, 2200, 1100, 1, 0.5]),
      r('non_referred', '2025-01', 2, '2025-03', [2, 1, 0.5, 1, 2000, 4200, 2100, 1, 0.5]), // A
      r('referred', '2025-02', 0, '2025-02', [1, 1, 1, 1, 300, 300, 300, 0, 0]),
      // the refunded order is a purchase with net 0, and C's repeat
      r('referred', '2025-02', 1, '2025-03', [1, 1, 1, 1, 0, 300, 300, 1, 1]),
    ]);
  });

  it('also splits cohorts by acquisition channel: last touch before sign-up, Referral Program for the referred', async () => {
    // A arrived from a Google ad (google / cpc -> Paid Search) the day before signing up; a later touch does not
    // count. B has no touch (Unassigned); C was referred.
    await land(wh, 'touches', [
      {
        touch_id: 't1',
        anonymous_id: 'v1',
        customer_id: 'A',
        occurred_at: '2024-12-31T09:00:00Z',
        touch_type: 'click',
        utm_source: 'google',
        utm_medium: 'cpc',
      },
      {
        touch_id: 't2',
        anonymous_id: 'v1',
        customer_id: 'A',
        occurred_at: '2025-01-03T09:00:00Z',
        touch_type: 'click',
        utm_source: 'newsletter',
        utm_medium: 'email',
      },
    ]);
    await runModels({ wh, config: testConfig(), registry: defaultRegistry(), select: ['cohort_retention'] });
    const rows = await wh.query(`
      select segment, acquisition_type, strftime(cohort_start, '%Y-%m') as cohort, period_offset, cohort_people,
        active_people, net_revenue_minor, cumulative_net_revenue_minor
      from cohort_retention where segment_type = 'channel' order by 1, 3, 4`);
    expect(rows).toEqual([
      {
        segment: 'Paid Search',
        acquisition_type: 'non_referred',
        cohort: '2025-01',
        period_offset: 0,
        cohort_people: 1,
        active_people: 1,
        net_revenue_minor: 1500,
        cumulative_net_revenue_minor: 1500,
      },
      {
        segment: 'Paid Search',
        acquisition_type: 'non_referred',
        cohort: '2025-01',
        period_offset: 1,
        cohort_people: 1,
        active_people: 0,
        net_revenue_minor: 0,
        cumulative_net_revenue_minor: 1500,
      },
      {
        segment: 'Paid Search',
        acquisition_type: 'non_referred',
        cohort: '2025-01',
        period_offset: 2,
        cohort_people: 1,
        active_people: 1,
        net_revenue_minor: 2000,
        cumulative_net_revenue_minor: 3500,
      },
      {
        segment: 'Referral Program',
        acquisition_type: 'referred',
        cohort: '2025-02',
        period_offset: 0,
        cohort_people: 1,
        active_people: 1,
        net_revenue_minor: 300,
        cumulative_net_revenue_minor: 300,
      },
      {
        segment: 'Referral Program',
        acquisition_type: 'referred',
        cohort: '2025-02',
        period_offset: 1,
        cohort_people: 1,
        active_people: 1,
        net_revenue_minor: 0,
        cumulative_net_revenue_minor: 300,
      },
      {
        segment: 'Unassigned',
        acquisition_type: 'non_referred',
        cohort: '2025-01',
        period_offset: 0,
        cohort_people: 1,
        active_people: 1,
        net_revenue_minor: 700,
        cumulative_net_revenue_minor: 700,
      },
      {
        segment: 'Unassigned',
        acquisition_type: 'non_referred',
        cohort: '2025-01',
        period_offset: 1,
        cohort_people: 1,
        active_people: 0,
        net_revenue_minor: 0,
        cumulative_net_revenue_minor: 700,
      },
      {
        segment: 'Unassigned',
        acquisition_type: 'non_referred',
        cohort: '2025-01',
        period_offset: 2,
        cohort_people: 1,
        active_people: 0,
        net_revenue_minor: 0,
        cumulative_net_revenue_minor: 700,
      },
    ]);
    // Within one segment type the cohorts partition the people: channel rows add up to the acquisition-type rows.
    const totals = await wh.query(`
      select segment_type, sum(cohort_people) as people, sum(net_revenue_minor) as revenue
      from cohort_retention where period_offset = 0 group by 1 order by 1`);
    expect(totals).toEqual([
      { segment_type: 'acquisition_type', people: 3, revenue: 2500 },
      { segment_type: 'channel', people: 3, revenue: 2500 },
    ]);
  });

  it('uses ISO weeks (from Monday) when ltv.cohortGrain is week', async () => {
    const registry = defaultRegistry();
    await runModels({
      wh,
      config: testConfig({ ltv: { cohortGrain: 'week' } }),
      registry,
      select: ['cohort_retention'],
    });
    const rows = await wh.query<Record<string, unknown>>(`
      select acquisition_type, cohort_grain, strftime(cohort_start, '%Y-%m-%d') as cohort, period_offset,
        strftime(activity_start, '%Y-%m-%d') as activity, cohort_people, active_people, net_revenue_minor,
        cumulative_net_revenue_minor, repeat_purchasers
      from cohort_retention where segment_type = 'acquisition_type' order by 1, 3, 4`);
    // By hand: A's first purchase Sun 2025-01-05 -> week of Mon 2024-12-30; B's Fri 01-10 -> week of 01-06; C's
    // Sat 02-15 -> week of 02-10. The last purchase, Sat 03-15, is in the week of 03-10: offsets 0..10 for A's
    // cohort (70 days), 0..9 for B's (63 days), 0..4 for C's (28 days): 26 rows.
    expect(rows.length).toBe(26);
    expect(new Set(rows.map((x) => x.cohort_grain))).toEqual(new Set(['week']));
    const at = (cohort: string, k: number) => {
      const x = rows.find((row) => row.cohort === cohort && row.period_offset === k)!;
      return [
        x.activity,
        x.cohort_people,
        x.active_people,
        x.net_revenue_minor,
        x.cumulative_net_revenue_minor,
        x.repeat_purchasers,
      ];
    };
    expect(at('2024-12-30', 0)).toEqual(['2024-12-30', 1, 1, 1000, 1000, 0]);
    expect(at('2024-12-30', 2)).toEqual(['2025-01-13', 1, 0, 0, 1000, 0]);
    expect(at('2024-12-30', 3)).toEqual(['2025-01-20', 1, 1, 500, 1500, 1]); // Mon Jan 20: A's repeat
    expect(at('2024-12-30', 8)).toEqual(['2025-02-24', 1, 1, 2000, 3500, 1]); // Sun Mar 2 is in the week of Feb 24
    expect(at('2025-01-06', 9)).toEqual(['2025-03-10', 1, 0, 0, 700, 0]);
    expect(at('2025-02-10', 4)).toEqual(['2025-03-10', 1, 1, 0, 300, 1]);
  });
});
