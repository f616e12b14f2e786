/**
 * raw.fx_rates: one rate per month (rate_date = the first of the month, from the start month through the month
 * of the last observed day) for every non-USD currency the generator's regions use, to USD. The rate is
 * usdPerUnit (SYNTHETIC_TRUTHS) times a seeded factor U(1 - FX_MONTHLY_NOISE, 1 + FX_MONTHLY_NOISE), as an exact
 * 4-decimal string (e.g. '1.0912'), so stg_orders converts each order at its month's landed rate and the demo
 * exercises raw.fx_rates rather than only the config fallback.
 */
import { SYNTHETIC_TRUTHS as X } from './params.js';
import { insertLanding } from './sql.js';
import type { Gen } from './stage.js';

/**
 * Half-width of the monthly deviation from usdPerUnit: small, so amounts planted in USD (CAC, order values)
 * are recovered within their tests' tolerances, yet every month's rate differs.
 */
export const FX_MONTHLY_NOISE = 0.01;

/** The demo's reporting currency: usdPerUnit is US dollars per unit. */
const REPORTING = 'USD';

export async function insertFxRates(g: Gen): Promise<void> {
  const { d, rng, run } = g;
  const lit = d.stringLiteral;
  const currencies = [...new Set(Object.values(X.regions).map((r) => r.currency))]
    .filter((c) => c !== REPORTING)
    .sort();
  if (currencies.length === 0) return;
  const usdPerUnit = X.usdPerUnit as Readonly<Record<string, string>>;
  const start = new Date(run.startSec * 1000);
  const last = new Date((run.endSec - 1) * 1000);
  const months = (last.getUTCFullYear() - start.getUTCFullYear()) * 12 + (last.getUTCMonth() - start.getUTCMonth()) + 1;
  const firstMonth = `${start.toISOString().slice(0, 7)}-01`;
  const base = currencies
    .map((c, i) => {
      const rate = usdPerUnit[c];
      if (rate === undefined) throw new Error(`synthetic fx_rates: no usdPerUnit for region currency ${c}`);
      return `select ${lit(c)} as currency, cast(${lit(rate)} as double) as base_rate, ${i} as cur_idx`;
    })
    .join(' union all ');
  const rateDate = d.cast(d.dateAdd('month', 'm.i', `cast(${lit(firstMonth)} as date)`), 'date');
  const factor = `(1 - ${FX_MONTHLY_NOISE} + 2 * ${FX_MONTHLY_NOISE} * ${rng.u(['c.currency', 'm.i'], 'fx-rate')})`;
  const from = `(
  select c.currency, m.i, c.cur_idx, ${rateDate} as rate_date,
    cast(cast(round(c.base_rate * ${factor}, 4) as decimal(18,4)) as ${d.typeName('string')}) as rate
  from (${base}) c cross join (select range as i from range(${months})) m
) fx`;
  g.rows.fx_rates += await insertLanding(
    g.wh,
    run,
    'fx_rates',
    { rate_date: 'rate_date', currency: 'currency', reporting_currency: lit(REPORTING), rate: 'rate' },
    `(i * ${currencies.length} + cur_idx + 1)`,
    from,
  );
}
