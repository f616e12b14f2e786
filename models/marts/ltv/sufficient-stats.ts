/**
 * The sufficient statistics the LTV fits pull into TS: distinct (acquisition_type, x, t_x, T) with counts for
 * BG/NBD, and distinct (acquisition_type, x, mean repeat value) with counts for Gamma-Gamma. Customers never
 * cross as rows; only these compressed tables do.
 */

import type { ModelContext } from '../../../src/models/define-model.js';
import type { BgNbdRow } from '../../stats/bg-nbd.js';
import type { GammaGammaRow } from '../../stats/gamma-gamma.js';

export interface TripleRow extends BgNbdRow {
  acquisitionType: string;
  txDays: number;
  tDays: number;
  count: number;
}

/** Distinct (acquisition_type, x, tx_days, t_days) of `summarySql`, with t_x and T converted to time units. */
export async function fetchTriples(ctx: ModelContext, summarySql: string, daysPerUnit: number): Promise<TripleRow[]> {
  const rows = await ctx.wh.query<{ acquisition_type: string; x: number; tx_days: number; t_days: number; n: number }>(
    `select acquisition_type, x, tx_days, t_days, count(*) as n from (${summarySql}) s group by 1, 2, 3, 4 order by 1, 2, 3, 4`,
  );
  return rows.map((r) => ({
    acquisitionType: r.acquisition_type,
    x: Number(r.x),
    txDays: Number(r.tx_days),
    tDays: Number(r.t_days),
    tx: Number(r.tx_days) / daysPerUnit,
    T: Number(r.t_days) / daysPerUnit,
    count: Number(r.n),
  }));
}

/**
 * Distinct (acquisition_type, x, mean repeat value rounded to whole minor units) over repeat customers with a
 * positive repeat value (Gamma-Gamma needs zbar > 0; fully refunded repeat buyers are left out of the spend fit).
 */
export async function fetchSpend(
  ctx: ModelContext,
  summarySql: string,
): Promise<(GammaGammaRow & { acquisitionType: string; count: number })[]> {
  const rows = await ctx.wh.query<{ acquisition_type: string; x: number; monetary: number; n: number }>(
    `select acquisition_type, x, round(repeat_net_minor / x) as monetary, count(*) as n
from (${summarySql}) s
where x > 0 and repeat_net_minor > 0
group by 1, 2, 3
order by 1, 2, 3`,
  );
  return rows
    .map((r) => ({
      acquisitionType: r.acquisition_type,
      x: Number(r.x),
      monetary: Number(r.monetary),
      count: Number(r.n),
    }))
    .filter((r) => r.monetary > 0);
}
