/**
 * loadCohortRetention and loadLtv on a real in-memory DuckDB with literal mart rows; every expected number is
 * worked out by hand in the comments.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { groupInterval, loadCohortRetention, loadLtv, Z_95 } from '../../src/site/cohorts-ltv-data.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb.js';

const NOW = new Date('2026-01-02T03:04:05Z');

async function writeRetention(wh: DuckDBWarehouse): Promise<void> {
  await wh.exec(`create table main.cohort_retention as
select 'acquisition_type' as segment_type, acquisition_type as segment, acquisition_type,
  cast(cohort_month as date) as cohort_month, month_offset,
  cast(cohort_month as date) + to_months(month_offset) as activity_month,
  cast(cohort_people as bigint) as cohort_people, cast(active_people as bigint) as active_people,
  active_people * 1.0 / cohort_people as retention_rate, cast(0 as bigint) as net_revenue_minor,
  'EUR' as reporting_currency
from (values
  ('referred', '2025-01-01', 0, 10, 10), ('referred', '2025-01-01', 1, 10, 3), ('referred', '2025-01-01', 2, 10, 1),
  ('referred', '2025-02-01', 0, 5, 5), ('referred', '2025-02-01', 1, 5, 2),
  ('non_referred', '2025-01-01', 0, 20, 20), ('non_referred', '2025-01-01', 1, 20, 2),
  ('non_referred', '2025-01-01', 2, 20, 4)
) t(acquisition_type, cohort_month, month_offset, cohort_people, active_people)
union all
-- A channel segment row: the page reads only the acquisition-type segmentation, so this must not count anywhere.
select 'channel', 'Paid Search', 'non_referred', date '2025-01-01', 0, date '2025-01-01', 999, 999, 1.0, 0, 'EUR'`);
}

async function writeLtv(wh: DuckDBWarehouse, currencies = ['EUR']): Promise<void> {
  const cur = (i: number) => `'${currencies[i % currencies.length]}'`;
  await wh.exec(`create table main.customer_ltv as
select person_id, acquisition_type, cast(predicted_clv_minor as bigint) as predicted_clv_minor,
  reporting_currency, 'week' as time_unit, 52 as horizon, date '2025-06-30' as calibration_end
from (values
  ('p1', 'referred', 100, ${cur(0)}), ('p2', 'referred', 200, ${cur(1)}), ('p3', 'referred', 300, ${cur(0)}),
  ('p4', 'referred', 400, ${cur(0)}), ('p5', 'non_referred', 50, ${cur(0)}), ('p6', 'non_referred', 150, ${cur(0)}),
  ('p7', 'non_referred', null, ${cur(0)})
) t(person_id, acquisition_type, predicted_clv_minor, reporting_currency)`);
  await wh.exec(`create table main.ltv_model_fit as
select * from (values
  ('referred', 'bg_nbd', 'r', 0.25, -100.5, 4, true),
  ('referred', 'gamma_gamma', 'p', 3.0, -50.25, 2, false)
) t(acquisition_type, model, parameter, value, log_likelihood, customers, converged)`);
}

describe('site data for the Cohorts and LTV page', () => {
  let wh: DuckDBWarehouse;
  beforeEach(async () => {
    wh = await DuckDBWarehouse.open({ path: ':memory:' });
  });
  afterEach(async () => {
    await wh.close();
  });

  it('passes the retention grid through and sums the curve over cohorts', async () => {
    await writeRetention(wh);
    const data = await loadCohortRetention(wh, 'main', { now: NOW });
    expect(data.available).toBe(true);
    expect(data.generatedAt).toBe('2026-01-02T03:04:05.000Z');
    expect(data.cells).toHaveLength(8);
    expect(data.cells[0]).toEqual({
      acquisition_type: 'non_referred',
      cohort_month: '2025-01-01',
      month_offset: 0,
      cohort_people: 20,
      active_people: 20,
      retention_rate: 1,
    });
    // referred, offset 1: (3 + 2) / (10 + 5) = 1/3 over 2 cohorts; offset 2: 1 / 10 over 1 cohort.
    expect(data.curve.filter((p) => p.acquisition_type === 'referred')).toEqual([
      {
        acquisition_type: 'referred',
        month_offset: 0,
        cohorts: 2,
        cohort_people: 15,
        active_people: 15,
        retention_rate: 1,
      },
      {
        acquisition_type: 'referred',
        month_offset: 1,
        cohorts: 2,
        cohort_people: 15,
        active_people: 5,
        retention_rate: 5 / 15,
      },
      {
        acquisition_type: 'referred',
        month_offset: 2,
        cohorts: 1,
        cohort_people: 10,
        active_people: 1,
        retention_rate: 0.1,
      },
    ]);
  });

  it('computes mean, 95% interval and difference from n, sum and sum of squares', async () => {
    await writeLtv(wh);
    const data = await loadLtv(wh, 'main', { now: NOW });
    expect(data).toMatchObject({
      available: true,
      reportingCurrency: 'EUR',
      timeUnit: 'week',
      horizon: 52,
      calibrationEnd: '2025-06-30',
    });
    // referred: 100, 200, 300, 400 -> n 4, sum 1000, sum of squares 300000, mean 250,
    // variance (300000 - 1000^2/4) / 3 = 16666.67, sd 129.0994 (R: sd(c(100, 200, 300, 400))), se 64.54972,
    // 95% CI 250 -/+ 1.959964 * 64.54972 = 126.5151 -> [123.4849, 376.5151].
    const [referred, non] = data.groups;
    expect(referred).toMatchObject({
      acquisition_type: 'referred',
      n: 4,
      sum_minor: 1000,
      sum_sq: 300000,
      mean_minor: 250,
    });
    expect(referred!.sd_minor).toBeCloseTo(129.0994, 4);
    expect(referred!.ci_low_minor).toBeCloseTo(123.4849, 4);
    expect(referred!.ci_high_minor).toBeCloseTo(376.5151, 4);
    // non_referred: 50, 150 (the NULL prediction is left out) -> n 2, mean 100, variance (25000 - 200^2/2) / 1
    // = 5000, sd 70.71068, se 50, CI 100 -/+ 97.9982.
    expect(non).toMatchObject({
      acquisition_type: 'non_referred',
      n: 2,
      sum_minor: 200,
      mean_minor: 100,
      se_minor: 50,
    });
    expect(non!.ci_low_minor).toBeCloseTo(100 - 97.9982, 4);
    // difference 250 - 100 = 150, se sqrt(64.54972^2 + 50^2) = sqrt(6666.667) = 81.64966, CI 150 -/+ 160.0304.
    expect(data.difference!.diff_minor).toBe(150);
    expect(data.difference!.se_minor).toBeCloseTo(81.64966, 4);
    expect(data.difference!.ci_high_minor).toBeCloseTo(310.0304, 3);
    expect(data.parameters).toEqual([
      {
        acquisition_type: 'referred',
        model: 'bg_nbd',
        parameter: 'r',
        value: 0.25,
        customers: 4,
        converged: true,
        log_likelihood: -100.5,
      },
      {
        acquisition_type: 'referred',
        model: 'gamma_gamma',
        parameter: 'p',
        value: 3,
        customers: 2,
        converged: false,
        log_likelihood: -50.25,
      },
    ]);
  });

  it('has no interval for a single customer', () => {
    // n = 1: the sample variance divides by n - 1 = 0.
    expect(groupInterval(1, 500, 250000)).toMatchObject({ mean_minor: 500, sd_minor: null, ci_low_minor: null });
    expect(Z_95).toBeCloseTo(1.959964, 6); // qnorm(0.975) in R: 1.959964
  });

  it('reports missing marts as unavailable instead of failing the site build', async () => {
    const retention = await loadCohortRetention(wh, 'main', { now: NOW });
    expect(retention).toEqual({
      generatedAt: '2026-01-02T03:04:05.000Z',
      available: false,
      status: { table: 'cohort_retention', state: 'missing', missingColumns: [], rows: 0 },
      cells: [],
      curve: [],
    });
    const ltv = await loadLtv(wh, 'main', { now: NOW });
    expect(ltv).toMatchObject({ available: false, groups: [], difference: null, parameters: [] });
  });

  it('refuses a customer_ltv that mixes reporting currencies, naming them', async () => {
    await writeLtv(wh, ['EUR', 'USD']);
    await expect(loadLtv(wh, 'main')).rejects.toThrow('main.customer_ltv mixes reporting currencies (EUR, USD)');
  });

  it('rejects a schema that is not a plain identifier', async () => {
    await expect(loadLtv(wh, 'main; drop table x')).rejects.toThrow(/REFSTACK_SCHEMA/);
  });
});
