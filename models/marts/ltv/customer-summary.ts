/**
 * The per-person RFM summary both LTV models read: x (repeat purchase days), t_x and T (in days) and the net
 * value of the repeat purchases, from purchases on or before the calibration end. Purchases are counted per
 * calendar day (UTC), as in lifetimes' `summary_data_from_transaction_data`: several orders on one day are one
 * transaction whose value is their sum; the first purchase day starts the clock and is not a repeat.
 */

import type { ModelContext } from '../../../src/models/define-model.js';
import type { LtvConfig } from './config-schema.js';

/**
 * The calibration end as a SQL date expression, resolved once so every query of a build agrees; null when there
 * are no purchases at all (a new warehouse), so the LTV marts can be written empty instead of failing the run.
 */
export async function calibrationEndDate(ctx: ModelContext, cfg: LtvConfig, ordersRef: string): Promise<string | null> {
  const { d, wh } = ctx;
  if (cfg.calibrationEnd) return cfg.calibrationEnd;
  const statuses = cfg.purchaseStatuses.map((s) => d.stringLiteral(s)).join(', ');
  const [row] = await wh.query<{ last_day: string | null }>(
    `select ${d.cast('max(order_date)', 'string')} as last_day from ${ordersRef} where status in (${statuses})`,
  );
  return row?.last_day ? row.last_day.slice(0, 10) : null;
}

/**
 * SQL for one row per person with at least one purchase by `calEnd`: person_id, acquisition_type
 * ('referred' when any of the person's customer records was referred, else 'non_referred'), x, tx_days, t_days,
 * repeat_net_minor (reporting-currency minor units, sum over repeat days); tx_days and t_days are rounded to
 * multiples of `resolutionDays`.
 */
export function customerSummarySql(
  ctx: ModelContext,
  cfg: LtvConfig,
  refs: { orders: string; customers: string },
  calEnd: string,
): string {
  const { d } = ctx;
  const cal = d.cast(d.stringLiteral(calEnd), 'date');
  const statuses = cfg.purchaseStatuses.map((s) => d.stringLiteral(s)).join(', ');
  const r = cfg.resolutionDays;
  // Rounding both to the same grid is monotone, so t_x <= T still holds.
  const snap = (days: string) => (r === 1 ? days : `${d.cast(`round((${days}) / ${r}.0)`, 'int64')} * ${r}`);
  return `
with people as (
  select customer_id, person_id, is_referred from ${refs.customers}
),
per_day as (
  select p.person_id, o.order_date, sum(o.net_reporting_minor) as net_minor
  from ${refs.orders} o
  join people p on p.customer_id = o.customer_id
  where o.status in (${statuses}) and o.order_date <= ${cal}
  group by 1, 2
),
firsts as (
  select person_id, min(order_date) as first_date from per_day group by 1
),
acquisition as (
  select person_id, max(case when is_referred then 1 else 0 end) as referred from people group by 1
)
select
  f.person_id,
  case when a.referred = 1 then 'referred' else 'non_referred' end as acquisition_type,
  count(*) - 1 as x,
  ${snap(d.dateDiff('day', 'f.first_date', 'max(p.order_date)'))} as tx_days,
  ${snap(d.dateDiff('day', 'f.first_date', cal))} as t_days,
  sum(case when p.order_date > f.first_date then p.net_minor else 0 end) as repeat_net_minor
from per_day p
join firsts f on f.person_id = p.person_id
join acquisition a on a.person_id = f.person_id
group by f.person_id, f.first_date, a.referred`;
}
