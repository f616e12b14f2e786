/**
 * The data behind the Executive overview (index) page, one function per mart:
 * - `loadProgramRoi`: `program_roi` per month and program (F2's mart, a few hundred rows at most), so the page can
 *   filter by program and date range and derive its headline numbers from sums (see `roiHeadline`);
 * - `loadOrderRevenue`: `stg_orders` net revenue per month and program, the denominator of the referral share;
 * - `loadPayoutForecast`: `payout_forecast` per scenario and month, the P10-P90 fan.
 * A mart that is absent, empty or lacks a contract column gives `status.state` other than 'ready' and no rows,
 * so the page says "no data yet" instead of failing the build.
 */
import type { Row, Warehouse } from '../warehouse/warehouse.js';
import { isoDay } from './cohorts-ltv-data.js';
import { exactNumber, martStatus, numberOrNull, singleCurrency, type MartStatus } from './mart.js';

export const PROGRAM_ROI_COLUMNS = [
  'month',
  'program_id',
  'currency',
  'referred_customers',
  'referral_revenue_minor',
  'predicted_ltv_minor',
  'reward_cost_cash_minor',
  'reward_cost_non_cash_minor',
  'referral_cac_minor',
  'paid_cac_minor',
  'roi',
  'payback_months',
  'k_factor',
  'invites',
  'conversions',
] as const;

export const PAYOUT_FORECAST_COLUMNS = [
  'scenario',
  'month',
  'p10_minor',
  'p50_minor',
  'p90_minor',
  'cumulative_p10_minor',
  'cumulative_p50_minor',
  'cumulative_p90_minor',
  'liability_p50_minor',
  'currency',
  'simulations',
  'seed',
] as const;

export interface RoiMonth {
  month: string;
  program_id: string;
  referred_customers: number;
  referral_revenue_minor: number;
  predicted_ltv_minor: number;
  reward_cost_cash_minor: number;
  reward_cost_non_cash_minor: number;
  referral_cac_minor: number | null;
  paid_cac_minor: number | null;
  roi: number | null;
  payback_months: number | null;
  k_factor: number | null;
  invites: number;
  conversions: number;
}

export interface ProgramRoiData {
  generatedAt: string;
  status: MartStatus;
  currency: string | null;
  programs: string[];
  months: string[];
  rows: RoiMonth[];
}

export interface RevenueMonth {
  month: string;
  program_id: string | null;
  orders: number;
  net_revenue_minor: number;
}

export interface OrderRevenueData {
  generatedAt: string;
  status: MartStatus;
  currency: string | null;
  rows: RevenueMonth[];
}

export interface ForecastMonth {
  scenario: string;
  month: string;
  p10_minor: number;
  p50_minor: number;
  p90_minor: number;
  cumulative_p10_minor: number;
  cumulative_p50_minor: number;
  cumulative_p90_minor: number;
  liability_p50_minor: number;
}

export interface PayoutForecastData {
  generatedAt: string;
  status: MartStatus;
  currency: string | null;
  scenarios: string[];
  simulations: number | null;
  seed: number | null;
  rows: ForecastMonth[];
}

const stamp = (options: { now?: Date }) => (options.now ?? new Date()).toISOString();

/** Reads `<schema>.program_roi` summed per month and program (the mart's grain; the sum guards against duplicates). */
export async function loadProgramRoi(
  wh: Warehouse,
  schema: string,
  options: { now?: Date } = {},
): Promise<ProgramRoiData> {
  const generatedAt = stamp(options);
  const status = await martStatus(wh, schema, 'program_roi', PROGRAM_ROI_COLUMNS);
  if (status.state !== 'ready') return { generatedAt, status, currency: null, programs: [], months: [], rows: [] };
  const d = wh.dialect;
  const ref = d.tableRef(schema, 'program_roi');
  const rows = await wh.query<Row>(
    `select month, program_id, min(currency) as c_min, max(currency) as c_max,
  ${d.cast('sum(referred_customers)', 'int64')} as referred_customers,
  ${d.cast('sum(referral_revenue_minor)', 'int64')} as referral_revenue_minor,
  ${d.cast('sum(predicted_ltv_minor)', 'int64')} as predicted_ltv_minor,
  ${d.cast('sum(reward_cost_cash_minor)', 'int64')} as reward_cost_cash_minor,
  ${d.cast('sum(reward_cost_non_cash_minor)', 'int64')} as reward_cost_non_cash_minor,
  max(referral_cac_minor) as referral_cac_minor, max(paid_cac_minor) as paid_cac_minor, max(roi) as roi,
  max(payback_months) as payback_months, max(k_factor) as k_factor,
  ${d.cast('sum(invites)', 'int64')} as invites, ${d.cast('sum(conversions)', 'int64')} as conversions
from ${ref}
group by month, program_id
order by month, program_id`,
  );
  const where = 'program_roi: summed money';
  const currencies = new Set(rows.map((r) => singleCurrency(r, 'program_roi')));
  if (currencies.size > 1) throw new Error(`program_roi mixes currencies (${[...currencies].join(', ')})`);
  const out: RoiMonth[] = rows.map((r) => ({
    month: isoDay(r['month']),
    program_id: String(r['program_id']),
    referred_customers: exactNumber(r['referred_customers'], where),
    referral_revenue_minor: exactNumber(r['referral_revenue_minor'], where),
    predicted_ltv_minor: exactNumber(r['predicted_ltv_minor'], where),
    reward_cost_cash_minor: exactNumber(r['reward_cost_cash_minor'], where),
    reward_cost_non_cash_minor: exactNumber(r['reward_cost_non_cash_minor'], where),
    referral_cac_minor: numberOrNull(r['referral_cac_minor']),
    paid_cac_minor: numberOrNull(r['paid_cac_minor']),
    roi: numberOrNull(r['roi']),
    payback_months: numberOrNull(r['payback_months']),
    k_factor: numberOrNull(r['k_factor']),
    invites: exactNumber(r['invites'], where),
    conversions: exactNumber(r['conversions'], where),
  }));
  return {
    generatedAt,
    status,
    currency: [...currencies][0] ?? null,
    programs: [...new Set(out.map((r) => r.program_id))].sort(),
    months: [...new Set(out.map((r) => r.month))].sort(),
    rows: out,
  };
}

/** Reads `<schema>.stg_orders`: net revenue (reporting currency) per month and program, the share's denominator. */
export async function loadOrderRevenue(
  wh: Warehouse,
  schema: string,
  options: { now?: Date } = {},
): Promise<OrderRevenueData> {
  const generatedAt = stamp(options);
  const status = await martStatus(wh, schema, 'stg_orders', [
    'ordered_at',
    'program_id',
    'net_reporting_minor',
    'reporting_currency',
  ]);
  if (status.state !== 'ready') return { generatedAt, status, currency: null, rows: [] };
  const d = wh.dialect;
  const rows = await wh.query<Row>(
    `select ${d.dateTrunc('month', 'ordered_at')} as month, program_id, ${d.cast('count(*)', 'int64')} as orders,
  ${d.cast('sum(net_reporting_minor)', 'int64')} as net_revenue_minor,
  min(reporting_currency) as c_min, max(reporting_currency) as c_max
from ${d.tableRef(schema, 'stg_orders')}
group by 1, 2 order by 1, 2`,
  );
  const currencies = new Set(rows.map((r) => singleCurrency(r, 'stg_orders')));
  if (currencies.size > 1) throw new Error(`stg_orders mixes reporting currencies (${[...currencies].join(', ')})`);
  return {
    generatedAt,
    status,
    currency: [...currencies][0] ?? null,
    rows: rows.map((r) => ({
      month: isoDay(r['month']),
      program_id: r['program_id'] == null ? null : String(r['program_id']),
      orders: exactNumber(r['orders'], 'stg_orders: orders'),
      net_revenue_minor: exactNumber(r['net_revenue_minor'], 'stg_orders: summed net_reporting_minor'),
    })),
  };
}

/** Reads `<schema>.payout_forecast` (one row per scenario and month). */
export async function loadPayoutForecast(
  wh: Warehouse,
  schema: string,
  options: { now?: Date } = {},
): Promise<PayoutForecastData> {
  const generatedAt = stamp(options);
  const status = await martStatus(wh, schema, 'payout_forecast', PAYOUT_FORECAST_COLUMNS);
  const empty = { generatedAt, status, currency: null, scenarios: [], simulations: null, seed: null, rows: [] };
  if (status.state !== 'ready') return empty;
  const d = wh.dialect;
  const int = (c: string) => `${d.cast(c, 'int64')} as ${c}`;
  const rows = await wh.query<Row>(
    `select scenario, month, ${int('p10_minor')}, ${int('p50_minor')}, ${int('p90_minor')},
  ${int('cumulative_p10_minor')}, ${int('cumulative_p50_minor')}, ${int('cumulative_p90_minor')},
  ${int('liability_p50_minor')}, currency, ${int('simulations')}, ${d.cast('seed', 'int64')} as seed
from ${d.tableRef(schema, 'payout_forecast')}
order by scenario, month`,
  );
  const currencies = new Set(rows.map((r) => String(r['currency'])));
  if (currencies.size > 1) throw new Error(`payout_forecast mixes currencies (${[...currencies].join(', ')})`);
  const where = 'payout_forecast: money';
  const first = rows[0];
  return {
    generatedAt,
    status,
    currency: [...currencies][0] ?? null,
    scenarios: [...new Set(rows.map((r) => String(r['scenario'])))],
    simulations: first ? numberOrNull(first['simulations']) : null,
    seed: first ? numberOrNull(first['seed']) : null,
    rows: rows.map((r) => ({
      scenario: String(r['scenario']),
      month: isoDay(r['month']),
      p10_minor: exactNumber(r['p10_minor'], where),
      p50_minor: exactNumber(r['p50_minor'], where),
      p90_minor: exactNumber(r['p90_minor'], where),
      cumulative_p10_minor: exactNumber(r['cumulative_p10_minor'], where),
      cumulative_p50_minor: exactNumber(r['cumulative_p50_minor'], where),
      cumulative_p90_minor: exactNumber(r['cumulative_p90_minor'], where),
      liability_p50_minor: exactNumber(r['liability_p50_minor'], where),
    })),
  };
}
