import type { ColumnDef, LogicalType, SqlDialect } from '../../../src/warehouse/dialect.js';
import { log } from '../../../src/log.js';
import { defineModel, type ModelContext } from '../../../src/models/define-model.js';
import { bgNbdDiscountedPurchases, bgNbdProbabilityAlive, type BgNbdParams } from '../../stats/bg-nbd.js';
import type { GammaGammaParams } from '../../stats/gamma-gamma.js';
import { DAYS_PER_UNIT, ltvConfig } from './config-schema.js';
import { customerSummarySql } from './customer-summary.js';
import { fetchTriples } from './sufficient-stats.js';

const PREDICTION_COLUMNS: ColumnDef[] = [
  { name: 'acquisition_type', type: 'string' },
  { name: 'x', type: 'int64' },
  { name: 'tx_days', type: 'int64' },
  { name: 't_days', type: 'int64' },
  { name: 'p_alive', type: 'float64' },
  { name: 'expected_purchases', type: 'float64' },
  { name: 'discounted_purchases', type: 'float64' },
];

interface GroupFit {
  bg: BgNbdParams;
  gg: GammaGammaParams;
  calibrationEnd: string;
}

async function readFits(ctx: ModelContext): Promise<Map<string, GroupFit>> {
  const rows = await ctx.wh.query<{
    acquisition_type: string;
    model: string;
    parameter: string;
    value: number;
    cal: string;
  }>(
    `select acquisition_type, model, parameter, value, ${ctx.d.cast('calibration_end', 'string')} as cal
from ${ctx.ref('ltv_model_fit')}`,
  );
  const fits = new Map<string, GroupFit>();
  for (const r of rows) {
    const fit = fits.get(r.acquisition_type) ?? {
      bg: { r: NaN, alpha: NaN, a: NaN, b: NaN },
      gg: { p: NaN, q: NaN, gamma: NaN },
      calibrationEnd: r.cal.slice(0, 10),
    };
    if (r.model === 'bg_nbd') fit.bg[r.parameter as keyof BgNbdParams] = Number(r.value);
    else fit.gg[r.parameter as keyof GammaGammaParams] = Number(r.value);
    fits.set(r.acquisition_type, fit);
  }
  return fits;
}

/**
 * Predicted customer lifetime value per person from the fitted BG/NBD and Gamma-Gamma models: P(alive) at the
 * calibration end, expected repeat purchases over the horizon, and their value discounted at the configured
 * annual rate. The per-customer formulas depend on (x, t_x, T) only, so TS evaluates them once per distinct
 * triple into a scratch table (dropped in `finally`) and SQL joins them back to every person.
 */
export const customerLtv = defineModel({
  name: 'customer_ltv',
  grain: 'one row per person with at least one purchase on or before the calibration end',
  dependsOn: ['ltv_model_fit', 'stg_customers', 'stg_orders'],
  columns: {
    person_id: 'the stitched person',
    acquisition_type: 'referred | non_referred',
    x: 'repeat purchase days in the calibration period',
    t_x: 'time of the last repeat purchase after the first (time units; 0 when x = 0)',
    t_cal: 'T: time from the first purchase to the calibration end (time units)',
    monetary_minor: 'mean net value of the repeat purchase days (reporting-currency minor units; NULL when x = 0)',
    p_alive: 'P(still active at the calibration end), BG/NBD',
    expected_purchases: 'expected repeat purchases over the horizon, BG/NBD (eq. 10 of Fader, Hardie & Lee 2005)',
    discounted_purchases: 'expected purchases over the horizon discounted to the calibration end',
    expected_spend_minor: 'expected net value per future purchase, Gamma-Gamma (minor units)',
    predicted_clv_minor: 'expected_spend_minor * discounted_purchases, rounded (reporting-currency minor units)',
    reporting_currency: 'currency of the *_minor columns',
    time_unit: 'unit of t_x, t_cal and horizon',
    horizon: 'prediction horizon (time units)',
    calibration_end: 'last day of purchases used',
  },
  build: async (ctx) => {
    const { d, wh, config } = ctx;
    const cfg = ltvConfig(config);
    const fits = await readFits(ctx);
    if (fits.size === 0) {
      // Nothing fitted (no purchases or no repeat buyers yet): an empty table with the contract's columns.
      log.warn('customer_ltv: ltv_model_fit has no fitted group; customer_ltv is empty');
      await wh.exec(d.createTableAs(ctx.self, emptyLtvSql(d)));
      return;
    }
    const calEnd = [...fits.values()][0]!.calibrationEnd;
    const orders = ctx.ref('stg_orders');
    const summary = customerSummarySql(ctx, cfg, { orders, customers: ctx.ref('stg_customers') }, calEnd);
    const daysPerUnit = DAYS_PER_UNIT[cfg.timeUnit];
    const ratePerUnit = Math.pow(1 + cfg.annualDiscountRate, daysPerUnit / 365.25) - 1;
    const steps = Math.min(Math.ceil(cfg.horizon), 52);
    const rows: unknown[][] = [];
    const unfitted = new Map<string, number>();
    for (const t of await fetchTriples(ctx, summary, daysPerUnit)) {
      const fit = fits.get(t.acquisitionType);
      if (!fit) {
        unfitted.set(t.acquisitionType, (unfitted.get(t.acquisitionType) ?? 0) + t.count);
        continue;
      }
      const pAlive = bgNbdProbabilityAlive(fit.bg, t.x, t.tx, t.T);
      const { expected, discounted } = bgNbdDiscountedPurchases(
        fit.bg,
        cfg.horizon,
        steps,
        ratePerUnit,
        t.x,
        t.tx,
        t.T,
      );
      rows.push([t.acquisitionType, t.x, t.txDays, t.tDays, pAlive, expected, discounted]);
    }
    for (const [group, n] of unfitted)
      log.warn(`customer_ltv: ${n} customers of acquisition_type ${group} have no fitted model and get no prediction`);
    const scratchName = 'customer_ltv__triples';
    const scratch = d.tableRef(config.schemas.analytics, scratchName);
    const spendParams = [...fits.entries()]
      .map(
        ([g, f]) =>
          `select ${d.stringLiteral(g)} as acquisition_type, ${f.gg.p} as p, ${f.gg.q} as q, ${f.gg.gamma} as gamma`,
      )
      .join('\nunion all\n');
    try {
      await wh.exec(`drop table if exists ${scratch}`);
      await wh.exec(d.createTableIfNotExists(scratch, PREDICTION_COLUMNS));
      await wh.appendRows(config.schemas.analytics, scratchName, PREDICTION_COLUMNS, rows);
      const spend = `greatest(0, g.p * (g.gamma + s.repeat_net_minor) / (g.p * s.x + g.q - 1))`;
      await wh.exec(`drop table if exists ${ctx.self}`);
      await wh.exec(
        d.createTableAs(
          ctx.self,
          `
with summary as (${summary}),
spend_params as (
${spendParams}
)
select
  s.person_id,
  s.acquisition_type,
  s.x,
  s.tx_days / ${daysPerUnit} as t_x,
  s.t_days / ${daysPerUnit} as t_cal,
  case when s.x > 0 then ${d.cast('round(s.repeat_net_minor / s.x)', 'int64')} end as monetary_minor,
  t.p_alive,
  t.expected_purchases,
  t.discounted_purchases,
  ${d.cast(`round(${spend})`, 'int64')} as expected_spend_minor,
  ${d.cast(`round(${spend} * t.discounted_purchases)`, 'int64')} as predicted_clv_minor,
  ${d.stringLiteral(config.reportingCurrency)} as reporting_currency,
  ${d.stringLiteral(cfg.timeUnit)} as time_unit,
  ${cfg.horizon} as horizon,
  ${d.cast(d.stringLiteral(calEnd), 'date')} as calibration_end
from summary s
join ${scratch} t
  on t.acquisition_type = s.acquisition_type and t.x = s.x and t.tx_days = s.tx_days and t.t_days = s.t_days
join spend_params g on g.acquisition_type = s.acquisition_type`,
        ),
      );
    } finally {
      await wh.exec(`drop table if exists ${scratch}`);
    }
  },
});

/** A typed, empty customer_ltv (same columns as a built one). */
function emptyLtvSql(d: SqlDialect): string {
  const col = (name: string, type: LogicalType) => `${d.cast('null', type)} as ${name}`;
  return `select ${[
    col('person_id', 'string'),
    col('acquisition_type', 'string'),
    col('x', 'int64'),
    col('t_x', 'float64'),
    col('t_cal', 'float64'),
    col('monetary_minor', 'int64'),
    col('p_alive', 'float64'),
    col('expected_purchases', 'float64'),
    col('discounted_purchases', 'float64'),
    col('expected_spend_minor', 'int64'),
    col('predicted_clv_minor', 'int64'),
    col('reporting_currency', 'string'),
    col('time_unit', 'string'),
    col('horizon', 'float64'),
    col('calibration_end', 'date'),
  ].join(', ')} where false`;
}
