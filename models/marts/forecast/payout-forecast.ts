import type { ColumnDef } from '../../../src/warehouse/dialect.js';
import { defineModel, type ModelContext } from '../../../src/models/define-model.js';
import { log } from '../../../src/log.js';
import { simulatePayouts } from '../../stats/payout-simulation.js';
import { forecastConfig } from './config-schema.js';
import { fitPayoutModel, scenarioSeed } from './fit.js';
import { freshTable } from '../../../src/models/fresh-table.js';
import { columnDocs, utcDay } from './forecast-table.js';
import { addMonths, fetchPayoutHistory, lastCompleteMonth } from './history.js';

const COLUMNS: ColumnDef[] = [
  { name: 'scenario', type: 'string', description: 'growth scenario (config forecast.scenarios[].name)' },
  { name: 'month', type: 'date', description: 'first day of the forecast month' },
  { name: 'horizon', type: 'int64', description: '1 for the first month after the last complete month of history' },
  { name: 'p10_minor', type: 'int64', description: "10th percentile of the month's net reward cost over draws" },
  { name: 'p50_minor', type: 'int64', description: 'median net reward cost of the month' },
  { name: 'p90_minor', type: 'int64', description: '90th percentile net reward cost of the month' },
  { name: 'mean_minor', type: 'int64', description: 'mean net reward cost of the month over draws (rounded)' },
  { name: 'cumulative_p10_minor', type: 'int64', description: '10th percentile of the cost summed from horizon 1' },
  { name: 'cumulative_p50_minor', type: 'int64', description: 'median of the cost summed from horizon 1' },
  { name: 'cumulative_p90_minor', type: 'int64', description: '90th percentile of the cost summed from horizon 1' },
  { name: 'liability_p10_minor', type: 'int64', description: '10th percentile of the unpaid balance at month end' },
  { name: 'liability_p50_minor', type: 'int64', description: 'median unpaid balance (held + approved) at month end' },
  { name: 'liability_p90_minor', type: 'int64', description: '90th percentile of the unpaid balance at month end' },
  { name: 'paid_out_p10_minor', type: 'int64', description: '10th percentile of cash paid out in the month' },
  {
    name: 'paid_out_p50_minor',
    type: 'int64',
    description: 'median cash paid out in the month (forecast.payoutLagMonths)',
  },
  { name: 'paid_out_p90_minor', type: 'int64', description: '90th percentile of cash paid out in the month' },
  { name: 'expected_signups', type: 'float64', description: 'projected mean referred sign-ups of the month' },
  { name: 'monthly_growth', type: 'float64', description: 'monthly growth of sign-ups the scenario used' },
  { name: 'currency', type: 'string', description: 'reporting currency of the *_minor columns' },
  { name: 'simulations', type: 'int64', description: 'Monte Carlo draws per scenario' },
  { name: 'seed', type: 'int64', description: 'the configured seed (each scenario mixes in a hash of its name)' },
  { name: 'as_of', type: 'date', description: 'history cutoff: the ledger as-of date' },
];

/**
 * The date history is known to: the ledger's as_of, else the latest referred sign-up; null without either.
 */
export async function forecastAsOf(ctx: ModelContext): Promise<string | null> {
  const { d, wh, ref } = ctx;
  const [row] = await wh.query(
    `select ${d.cast(
      `coalesce((select max(as_of) from ${ref('reward_ledger')}),
      (select max(${d.toDate('signed_up_at')}) from ${ref('stg_referrals')}))`,
      'string',
    )} as as_of`,
  );
  const v = row?.['as_of'];
  return v === null || v === undefined ? null : String(v).slice(0, 10);
}

/**
 * Seeded Monte Carlo of net reward cost (what accrues, net of caps, voids and clawbacks: what the program will
 * have to pay) for the next `horizonMonths` months per growth scenario, with the unpaid balance it implies.
 * SQL returns monthly counts and sums (history.ts); fit.ts turns them into the simulation's inputs; the draws
 * run in TS (models/stats/payout-simulation.ts). Forecast months start after the last complete month of
 * history. Same data, config and seed -> the identical table. Assumptions are in fit.ts and the simulation.
 */
export const payoutForecast = defineModel({
  name: 'payout_forecast',
  grain: 'one row per growth scenario and forecast month',
  dependsOn: ['reward_ledger', 'stg_referrals'],
  columns: columnDocs(COLUMNS),
  build: async (ctx) => {
    const { wh, config } = ctx;
    const cfg = forecastConfig(config);
    await freshTable(ctx, COLUMNS);
    const asOf = await forecastAsOf(ctx);
    if (asOf === null) return;
    const history = await fetchPayoutHistory(ctx, asOf);
    const first = addMonths(lastCompleteMonth(asOf), 1);
    const rows: unknown[][] = [];
    for (const scenario of cfg.scenarios) {
      const fitted = fitPayoutModel(history, cfg, scenario, cfg.horizonMonths);
      if (fitted === null) {
        log.warn(`payout_forecast: no complete month of history before ${asOf}; the forecast is empty`);
        return;
      }
      const sims = simulatePayouts(fitted.model, cfg.simulations, scenarioSeed(cfg.seed, scenario.name));
      for (const s of sims) {
        rows.push([
          scenario.name,
          utcDay(addMonths(first, s.horizon - 1)),
          s.horizon,
          s.monthly.p10,
          s.monthly.p50,
          s.monthly.p90,
          Math.round(s.mean),
          s.cumulative.p10,
          s.cumulative.p50,
          s.cumulative.p90,
          s.liability.p10,
          s.liability.p50,
          s.liability.p90,
          s.paidOut.p10,
          s.paidOut.p50,
          s.paidOut.p90,
          fitted.model.volume.means[s.horizon - 1]!,
          fitted.growth,
          config.reportingCurrency,
          cfg.simulations,
          cfg.seed,
          utcDay(asOf),
        ]);
      }
    }
    await wh.appendRows(config.schemas.analytics, 'payout_forecast', COLUMNS, rows);
  },
});
