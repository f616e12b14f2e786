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
  it('counts active people and net revenue per cohort month and offset, with zero rows filled in', async () => {
    const registry = defaultRegistry();
    await runModels({ wh, config: testConfig(), registry, select: ['cohort_retention'] });
    const rows = await wh.query(`
      select acquisition_type, strftime(cohort_month, '%Y-%m') as cohort, month_offset,
        strftime(activity_month, '%Y-%m') as activity, cohort_people, active_people, retention_rate,
        net_revenue_minor, reporting_currency
      from cohort_retention order by 1, 2, 3`);
    const r = (t: string, c: string, k: number, m: string, n: number, act: number, rate: number, rev: number) => ({
      acquisition_type: t,
      cohort: c,
      month_offset: k,
      activity: m,
      cohort_people: n,
      active_people: act,
      retention_rate: rate,
      net_revenue_minor: rev,
      reporting_currency: 'USD',
    });
    expect(rows).toEqual([
      r('non_referred', '2025-01', 0, '2025-01', 2, 2, 1, 2200), // A 1000 + 500, B 700
      r('non_referred', '2025-01', 1, '2025-02', 2, 0, 0, 0), // B's canceled order does not count
      r('non_referred', '2025-01', 2, '2025-03', 2, 1, 0.5, 2000), // A
      r('referred', '2025-02', 0, '2025-02', 1, 1, 1, 300),
      r('referred', '2025-02', 1, '2025-03', 1, 1, 1, 0), // the refunded order is a purchase with net 0
    ]);
  });
});
