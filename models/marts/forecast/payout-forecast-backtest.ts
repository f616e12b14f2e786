import type { ColumnDef } from '../../../src/warehouse/dialect.js';
import { defineModel, type ModelContext } from '../../../src/models/define-model.js';
import { simulatePayouts } from '../../stats/payout-simulation.js';
import { forecastConfig, type ForecastConfig } from './config-schema.js';
import { fitPayoutModel, scenarioSeed } from './fit.js';
import { freshTable } from '../../../src/models/fresh-table.js';
import { columnDocs, utcDay } from './forecast-table.js';
import { addMonths, fetchPayoutHistory, lastCompleteMonth, monthEnd } from './history.js';
import { forecastAsOf } from './payout-forecast.js';

const COLUMNS: ColumnDef[] = [
  { name: 'scenario', type: 'string', description: "the scenario backtested: 'base' when configured, else the first" },
  { name: 'cutoff', type: 'date', description: 'last day of history the fit saw' },
  { name: 'month', type: 'date', description: 'first day of the forecast (held-out) month' },
  { name: 'horizon', type: 'int64', description: '1 for the first month after the cutoff' },
  {
    name: 'actual_minor',
    type: 'int64',
    description: 'net reward cost the ledger booked in the month (by effective_at)',
  },
  { name: 'p10_minor', type: 'int64', description: 'forecast 10th percentile' },
  { name: 'p50_minor', type: 'int64', description: 'forecast median' },
  { name: 'p90_minor', type: 'int64', description: 'forecast 90th percentile' },
  { name: 'abs_pct_error', type: 'float64', description: '|p50 - actual| / |actual|; NULL when actual is 0' },
  { name: 'inside_p10_p90', type: 'bool', description: 'p10 <= actual <= p90' },
  { name: 'mape', type: 'float64', description: 'mean abs_pct_error over the held-out months (same on every row)' },
  { name: 'coverage', type: 'float64', description: 'share of held-out months inside p10-p90 (same on every row)' },
  { name: 'currency', type: 'string', description: 'reporting currency' },
  { name: 'simulations', type: 'int64', description: 'Monte Carlo draws' },
  { name: 'seed', type: 'int64', description: 'configured forecast seed' },
];

export interface BacktestMonth {
  month: string;
  horizon: number;
  actual: number;
  p10: number;
  p50: number;
  p90: number;
  absPctError: number | null;
  inside: boolean;
}

export interface PayoutBacktest {
  scenario: string;
  cutoff: string;
  months: BacktestMonth[];
  /** Mean absolute percentage error of the monthly P50 (months with a non-zero actual). */
  mape: number | null;
  /** Share of months whose actual lies within P10-P90. */
  coverage: number;
}

/**
 * Fits the forecast on history up to the end of the month `backtestMonths` before the last complete month,
 * forecasts the held-out months and compares the P50 with the net reward cost the ledger booked. Null when the
 * history is too short (fewer than 3 complete months before the cutoff).
 */
export async function backtestPayoutForecast(ctx: ModelContext, cfg: ForecastConfig): Promise<PayoutBacktest | null> {
  const asOf = await forecastAsOf(ctx);
  if (asOf === null) return null;
  const last = lastCompleteMonth(asOf);
  const firstHeldOut = addMonths(last, 1 - cfg.backtestMonths);
  const cutoff = monthEnd(addMonths(firstHeldOut, -1));
  const [fitHistory, fullHistory] = [await fetchPayoutHistory(ctx, cutoff), await fetchPayoutHistory(ctx, asOf)];
  if (fitHistory.months.length < 3) return null;
  const scenario = cfg.scenarios.find((s) => s.name === 'base') ?? cfg.scenarios[0]!;
  const fitted = fitPayoutModel(fitHistory, cfg, scenario, cfg.backtestMonths)!;
  const sims = simulatePayouts(fitted.model, cfg.simulations, scenarioSeed(cfg.seed, scenario.name));
  const months = sims.map((s) => {
    const month = addMonths(firstHeldOut, s.horizon - 1);
    const i = fullHistory.months.indexOf(month);
    const actual = i >= 0 ? fullHistory.netMinor[i]! : 0;
    const { p10, p50, p90 } = s.monthly;
    return {
      month,
      horizon: s.horizon,
      actual,
      p10,
      p50,
      p90,
      absPctError: actual === 0 ? null : Math.abs(p50 - actual) / Math.abs(actual),
      inside: p10 <= actual && actual <= p90,
    };
  });
  const errors = months.flatMap((m) => (m.absPctError === null ? [] : [m.absPctError]));
  return {
    scenario: scenario.name,
    cutoff,
    months,
    mape: errors.length === 0 ? null : errors.reduce((s, e) => s + e, 0) / errors.length,
    coverage: months.filter((m) => m.inside).length / months.length,
  };
}

/** The backtest as a table: how far the forecast's P50 was from what the ledger then booked. */
export const payoutForecastBacktest = defineModel({
  name: 'payout_forecast_backtest',
  grain: 'one row per held-out month of the backtest of the base scenario',
  dependsOn: ['reward_ledger', 'stg_referrals'],
  columns: columnDocs(COLUMNS),
  build: async (ctx) => {
    const { wh, config } = ctx;
    const cfg = forecastConfig(config);
    await freshTable(ctx, COLUMNS);
    const bt = await backtestPayoutForecast(ctx, cfg);
    if (bt === null) return;
    const rows = bt.months.map((m) => [
      bt.scenario,
      utcDay(bt.cutoff),
      utcDay(m.month),
      m.horizon,
      m.actual,
      m.p10,
      m.p50,
      m.p90,
      m.absPctError,
      m.inside,
      bt.mape,
      bt.coverage,
      config.reportingCurrency,
      cfg.simulations,
      cfg.seed,
    ]);
    await wh.appendRows(config.schemas.analytics, 'payout_forecast_backtest', COLUMNS, rows);
  },
});
