import type { ColumnDef } from '../../../src/warehouse/dialect.js';
import { defineModel } from '../../../src/models/define-model.js';
import { freshTable } from '../../../src/models/fresh-table.js';
import { log } from '../../../src/log.js';
import { fitBgNbd } from '../../stats/bg-nbd.js';
import { fitGammaGamma } from '../../stats/gamma-gamma.js';
import { DAYS_PER_UNIT, ltvConfig } from './config-schema.js';
import { calibrationEndDate, customerSummarySql } from './customer-summary.js';
import { fetchSpend, fetchTriples } from './sufficient-stats.js';

const COLUMNS: ColumnDef[] = [
  { name: 'acquisition_type', type: 'string', description: 'referred | non_referred' },
  { name: 'model', type: 'string', description: 'bg_nbd | gamma_gamma' },
  { name: 'parameter', type: 'string', description: 'bg_nbd: r, alpha, a, b; gamma_gamma: p, q, gamma' },
  { name: 'value', type: 'float64', description: 'maximum-likelihood estimate' },
  { name: 'log_likelihood', type: 'float64', description: "the model's maximized log-likelihood for the group" },
  { name: 'customers', type: 'int64', description: 'customers the model was fitted on' },
  { name: 'converged', type: 'bool', description: 'the optimizer met its tolerances' },
  { name: 'time_unit', type: 'string', description: 'unit of alpha (a rate per unit) and of t_x, T' },
  { name: 'calibration_end', type: 'date', description: 'last day of purchases used' },
  { name: 'reporting_currency', type: 'string', description: 'currency of the gamma_gamma scale (minor units)' },
  {
    name: 'fitted_at',
    type: 'timestamp',
    description: 'as-of time of the fit: the latest landing time (_loaded_at) of the orders, so a rerun is identical',
  },
];

const calDateOf = (day: string) => new Date(`${day}T00:00:00Z`);

/**
 * BG/NBD and Gamma-Gamma fits per acquisition type. SQL reduces customers to distinct (x, t_x, T) triples and
 * (x, mean repeat value) pairs with counts; the maximum-likelihood fits run in TS (models/stats) and only the
 * parameter table is written back.
 */
export const ltvModelFit = defineModel({
  name: 'ltv_model_fit',
  grain: 'one row per acquisition type, model and parameter',
  dependsOn: ['stg_customers', 'stg_orders'],
  columns: Object.fromEntries(COLUMNS.map((c) => [c.name, c.description ?? ''])),
  build: async (ctx) => {
    const { d, wh, config } = ctx;
    const cfg = ltvConfig(config);
    const orders = ctx.ref('stg_orders');
    const calEnd = await calibrationEndDate(ctx, cfg, orders);
    await freshTable(ctx, COLUMNS);
    if (calEnd === null) {
      log.warn(
        `ltv_model_fit: no purchases yet (statuses ${cfg.purchaseStatuses.join(', ')}); the LTV marts are empty`,
      );
      return;
    }
    const summary = customerSummarySql(ctx, cfg, { orders, customers: ctx.ref('stg_customers') }, calEnd);
    const triples = await fetchTriples(ctx, summary, DAYS_PER_UNIT[cfg.timeUnit]);
    const spend = await fetchSpend(ctx, summary);
    // No wall clock in a model: the fit is "as of" the newest orders it could see.
    const [loaded] = await wh.query<{ at: Date | null }>(`select max(_loaded_at) as at from ${ctx.source('orders')}`);
    const fittedAt = loaded?.at ?? calDateOf(calEnd);
    const calDate = calDateOf(calEnd);
    const rows: unknown[][] = [];
    const common = [cfg.timeUnit, calDate, config.reportingCurrency, fittedAt];
    for (const group of [...new Set(triples.map((t) => t.acquisitionType))].sort()) {
      const where = `ltv_model_fit, acquisition_type ${group}`;
      let bg;
      let gg;
      try {
        bg = fitBgNbd(triples.filter((t) => t.acquisitionType === group));
        gg = fitGammaGamma(spend.filter((s) => s.acquisitionType === group));
      } catch (err) {
        // Too little data to fit a group (no repeat buyers yet) is a state of the data, not a failure: the
        // group gets no parameters (and no predictions), and the run says so. Anything else is a bug.
        if (err instanceof RangeError && /no customers|none of the|need at least/.test(err.message)) {
          log.warn(`${where}: not fitted: ${err.message}`);
          continue;
        }
        throw new Error(`${where}: ${(err as Error).message}`, { cause: err });
      }
      for (const p of ['r', 'alpha', 'a', 'b'] as const) {
        rows.push([group, 'bg_nbd', p, bg[p], bg.logLikelihood, bg.customers, bg.converged, ...common]);
      }
      for (const p of ['p', 'q', 'gamma'] as const) {
        rows.push([group, 'gamma_gamma', p, gg[p], gg.logLikelihood, gg.customers, gg.converged, ...common]);
      }
    }
    await wh.appendRows(config.schemas.analytics, 'ltv_model_fit', COLUMNS, rows);
  },
});
