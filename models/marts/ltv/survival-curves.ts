import type { ColumnDef, SqlDialect } from '../../../src/warehouse/dialect.js';
import { defineModel } from '../../../src/models/define-model.js';
import { freshTable } from '../../../src/models/fresh-table.js';
import { chiSquareSurvival, normalQuantile } from '../../stats/distributions.js';
import type { KaplanMeierPoint } from '../../stats/kaplan-meier.js';
import type { LogRankResult } from '../../stats/log-rank.js';
import { ltvConfig, ltvConfigSchema } from './config-schema.js';

/** The default churn gap G in days (config `ltv.churnGapDays`): a quarter without an order. */
export const CHURN_GAP_DAYS = ltvConfigSchema.parse({}).churnGapDays;

/** One aggregate row from SQL: `count` people of a group with the same follow-up time and status. */
export interface CountedSurvivalRow {
  time: number;
  event: boolean;
  count: number;
}

/**
 * Kaplan-Meier on counted rows: the same estimator, tie rule (censored at an event time stay at risk), Greenwood
 * variance and 'log' band as `kaplanMeier` in models/stats/kaplan-meier.ts (R's `survfit` default), but the
 * input is one row per distinct (time, event) with a count, so no per-person rows reach JS.
 *
 * @example
 * kaplanMeierCounted([{ time: 1, event: true, count: 1 }, { time: 2, event: false, count: 2 }])
 * // [{ time: 1, atRisk: 3, events: 1, survival: 2/3, ... }]
 */
export function kaplanMeierCounted(rows: CountedSurvivalRow[], confLevel = 0.95): KaplanMeierPoint[] {
  const z = normalQuantile(1 - (1 - confLevel) / 2);
  const byTime = new Map<number, { events: number; total: number }>();
  let atRisk = 0;
  rows.forEach((r, i) => {
    if (!Number.isFinite(r.time) || r.time < 0 || !Number.isInteger(r.count) || r.count < 0) {
      throw new RangeError(
        `kaplanMeierCounted: row ${i} needs time >= 0 and an integer count >= 0, got ${r.time}, ${r.count}`,
      );
    }
    const cell = byTime.get(r.time) ?? { events: 0, total: 0 };
    cell.total += r.count;
    if (r.event) cell.events += r.count;
    byTime.set(r.time, cell);
    atRisk += r.count;
  });
  let survival = 1;
  let greenwood = 0;
  const out: KaplanMeierPoint[] = [];
  for (const time of [...byTime.keys()].sort((a, b) => a - b)) {
    const { events, total } = byTime.get(time)!;
    if (events > 0) {
      survival *= 1 - events / atRisk;
      // Greenwood's sum is infinite once S reaches 0 (d = n): the band is undefined there, reported as [0, 0].
      greenwood += events === atRisk ? Infinity : events / (atRisk * (atRisk - events));
      const seLog = Math.sqrt(greenwood);
      const lower = survival > 0 ? survival * Math.exp(-z * seLog) : 0;
      const upper = survival > 0 ? Math.min(1, survival * Math.exp(z * seLog)) : 0;
      out.push({ time, atRisk, events, survival, stdErr: survival * seLog, lower, upper });
    }
    atRisk -= total;
  }
  return out;
}

/**
 * Log-rank (Mantel-Haenszel) test of group A against group B on counted rows: the same statistic as
 * `logRankTest` in models/stats/log-rank.ts (R's `survdiff`, rho = 0), with counts instead of repeated rows.
 */
export function logRankCounted(groupA: CountedSurvivalRow[], groupB: CountedSurvivalRow[]): LogRankResult {
  const cells = new Map<number, { dA: number; dB: number; cA: number; cB: number }>();
  let nA = 0;
  let nB = 0;
  for (const [rows, isA] of [
    [groupA, true],
    [groupB, false],
  ] as const) {
    for (const r of rows) {
      const cell = cells.get(r.time) ?? { dA: 0, dB: 0, cA: 0, cB: 0 };
      if (isA) r.event ? (cell.dA += r.count) : (cell.cA += r.count);
      else r.event ? (cell.dB += r.count) : (cell.cB += r.count);
      cells.set(r.time, cell);
      if (isA) nA += r.count;
      else nB += r.count;
    }
  }
  if (nA === 0 || nB === 0) throw new RangeError(`logRankCounted: both groups need people (A: ${nA}, B: ${nB})`);
  let observedA = 0;
  let observedB = 0;
  let expectedA = 0;
  let variance = 0;
  for (const time of [...cells.keys()].sort((a, b) => a - b)) {
    const { dA, dB, cA, cB } = cells.get(time)!;
    const n = nA + nB;
    const d = dA + dB;
    if (d > 0) {
      observedA += dA;
      observedB += dB;
      expectedA += (d * nA) / n;
      if (n > 1) variance += (d * (nA / n) * (nB / n) * (n - d)) / (n - 1);
    }
    nA -= dA + cA;
    nB -= dB + cB;
  }
  if (!(variance > 0)) throw new RangeError('logRankCounted: zero variance (no event time with both groups at risk)');
  const chiSquare = (observedA - expectedA) ** 2 / variance;
  const expectedB = observedA + observedB - expectedA;
  return { chiSquare, pValue: chiSquareSurvival(chiSquare, 1), observedA, expectedA, observedB, expectedB, variance };
}

const COLUMNS: ColumnDef[] = [
  { name: 'acquisition_type', type: 'string', description: 'referred | non_referred' },
  { name: 'time_days', type: 'int64', description: 'days since the first purchase (an event time)' },
  { name: 'at_risk', type: 'int64', description: 'people not churned and not censored before time_days' },
  { name: 'events', type: 'int64', description: 'people whose churn falls on time_days' },
  { name: 'survival', type: 'float64', description: 'Kaplan-Meier S(time_days): share not yet churned' },
  { name: 'std_err', type: 'float64', description: 'Greenwood standard error of survival' },
  { name: 'lower', type: 'float64', description: "lower end of the pointwise 95% band ('log' transform)" },
  { name: 'upper', type: 'float64', description: "upper end of the pointwise 95% band ('log' transform)" },
  { name: 'logrank_chi_square', type: 'float64', description: 'log-rank referred vs non_referred (same on every row)' },
  { name: 'logrank_p_value', type: 'float64', description: 'chi-square(1) upper tail of logrank_chi_square' },
  { name: 'churn_gap_days', type: 'int64', description: 'G, the churn gap used' },
  { name: 'data_end', type: 'date', description: 'latest purchase day: the censoring date' },
];

/**
 * SQL for the sufficient statistics: one row per (acquisition_type, time_days, event) with the number of people.
 * A person's purchase days are scanned in order; the first purchase followed by no purchase within G days (the
 * next one more than G days later, or none while the data end is at least G days after it) ends the first active
 * spell, and the churn happens when that gap completes: time = that purchase + G - first purchase. Otherwise the
 * person is censored at the data end: time = data end - first purchase.
 */
export function survivalCountsSql(
  d: SqlDialect,
  refs: { customers: string; orders: string },
  statuses: string[],
  gapDays: number,
): string {
  const inList = statuses.map((s) => d.stringLiteral(s)).join(', ');
  return `
with people as (
  select customer_id, person_id, is_referred from ${refs.customers}
),
days as (
  select distinct p.person_id, o.order_date as day
  from ${refs.orders} o
  join people p on p.customer_id = o.customer_id
  where o.status in (${inList})
),
acquisition as (
  select person_id, case when max(case when is_referred then 1 else 0 end) = 1 then 'referred' else 'non_referred' end
    as acquisition_type
  from people group by 1
),
bounds as (
  select max(day) as data_end from days
),
sequenced as (
  select person_id, day,
    min(day) over (partition by person_id) as first_day,
    lead(day) over (partition by person_id order by day) as next_day
  from days
),
spell_end as (
  select s.person_id, min(s.first_day) as first_day, min(s.day) as last_day
  from sequenced s cross join bounds b
  where (s.next_day is not null and ${d.dateDiff('day', 's.day', 's.next_day')} > ${gapDays})
    or (s.next_day is null and ${d.dateDiff('day', 's.day', 'b.data_end')} >= ${gapDays})
  group by 1
),
per_person as (
  select s.person_id,
    case when e.last_day is not null then ${d.dateDiff('day', 's.first_day', 'e.last_day')} + ${gapDays}
      else ${d.dateDiff('day', 's.first_day', 'b.data_end')} end as time_days,
    case when e.last_day is not null then 1 else 0 end as event
  from (select person_id, min(day) as first_day from days group by 1) s
  cross join bounds b
  left join spell_end e on e.person_id = s.person_id
)
select a.acquisition_type, p.time_days, p.event, count(*) as n
from per_person p join acquisition a on a.person_id = p.person_id
group by 1, 2, 3
order by 1, 2, 3`;
}

/**
 * Kaplan-Meier curves of time to churn per acquisition type, with Greenwood bands and the log-rank test of
 * referred against non-referred. Churn = no purchase within `ltv.churnGapDays` (G, default 90) days; purchases are orders whose
 * status is in `ltv.purchaseStatuses`; time 0 is a person's first purchase day; people whose last purchase is
 * less than G days before the data end (the latest purchase day) are right-censored there. SQL returns only the
 * counted (acquisition_type, time, event) rows; TS computes the curves. The log-rank result is repeated on every
 * row (simpler than a second one-row model); it is NULL when either group is missing.
 */
export const survivalCurves = defineModel({
  name: 'survival_curves',
  grain: 'one row per acquisition type and event time (a day since first purchase on which someone churned)',
  dependsOn: ['stg_customers', 'stg_orders'],
  columns: Object.fromEntries(COLUMNS.map((c) => [c.name, c.description ?? ''])),
  build: async (ctx) => {
    const { d, wh, config } = ctx;
    const cfg = ltvConfig(config);
    const refs = { customers: ctx.ref('stg_customers'), orders: ctx.ref('stg_orders') };
    const counted = await wh.query<{ acquisition_type: string; time_days: number; event: number; n: number }>(
      survivalCountsSql(d, refs, cfg.purchaseStatuses, cfg.churnGapDays),
    );
    const end = await wh.query<{ data_end: string | null }>(
      `select ${d.cast('max(order_date)', 'string')} as data_end from ${refs.orders}
where status in (${cfg.purchaseStatuses.map((s) => d.stringLiteral(s)).join(', ')})`,
    );
    const dataEnd = end[0]?.data_end ? new Date(`${end[0].data_end.slice(0, 10)}T00:00:00Z`) : null;
    const groups = new Map<string, CountedSurvivalRow[]>();
    for (const r of counted) {
      const rows = groups.get(r.acquisition_type) ?? [];
      rows.push({ time: Number(r.time_days), event: Number(r.event) === 1, count: Number(r.n) });
      groups.set(r.acquisition_type, rows);
    }
    const referred = groups.get('referred');
    const nonReferred = groups.get('non_referred');
    let test: LogRankResult | null = null;
    if (referred && nonReferred) {
      try {
        test = logRankCounted(referred, nonReferred);
      } catch (err) {
        // No event time with both groups at risk (tiny data): no test, the curves still stand.
        if (!(err instanceof RangeError)) throw err;
      }
    }
    const out: unknown[][] = [];
    for (const group of [...groups.keys()].sort()) {
      for (const p of kaplanMeierCounted(groups.get(group)!)) {
        out.push([
          group,
          p.time,
          p.atRisk,
          p.events,
          p.survival,
          Number.isFinite(p.stdErr) ? p.stdErr : null,
          p.lower,
          p.upper,
          test?.chiSquare ?? null,
          test?.pValue ?? null,
          cfg.churnGapDays,
          dataEnd,
        ]);
      }
    }
    await freshTable(ctx, COLUMNS);
    await wh.appendRows(config.schemas.analytics, 'survival_curves', COLUMNS, out);
  },
});
