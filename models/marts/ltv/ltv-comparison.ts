import type { ColumnDef, SqlDialect } from '../../../src/warehouse/dialect.js';
import { defineModel } from '../../../src/models/define-model.js';
import { fromSums, welchTTest, type WelchResult } from '../../stats/welch-t-test.js';
import { ltvConfig } from './config-schema.js';

/** The comparisons, one row each; every one compares `referred` (treatment) with `non_referred` (control). */
export const COMPARISONS = {
  /** Mean predicted CLV per customer from customer_ltv (minor units). */
  predicted_clv: 'mean predicted_clv_minor per customer in customer_ltv (reporting-currency minor units)',
  /** Mean net revenue of the first 12 months after the first purchase (minor units). */
  realised_net_revenue_12m:
    'mean net revenue of purchases in the 12 months from the first purchase, people whose first purchase is at least 12 months before the data end (minor units)',
  /** Share of customer_ltv customers with a repeat purchase day in the calibration period (x > 0). */
  repeat_purchase_rate: 'share of customer_ltv customers with at least one repeat purchase day (x > 0)',
} as const;

export type ComparisonName = keyof typeof COMPARISONS;

/** Sufficient statistics of one group for one comparison, as SQL returns them. */
export interface GroupSums {
  comparison: ComparisonName;
  acquisitionType: string;
  n: number;
  sum: number;
  sumSquares: number;
}

const COLUMNS: ColumnDef[] = [
  { name: 'comparison', type: 'string', description: Object.keys(COMPARISONS).join(' | ') },
  { name: 'definition', type: 'string', description: 'what the compared value is' },
  { name: 'referred_customers', type: 'int64', description: 'referred people in the comparison' },
  { name: 'non_referred_customers', type: 'int64', description: 'non-referred people in the comparison' },
  { name: 'referred_mean', type: 'float64', description: 'mean value, referred' },
  { name: 'non_referred_mean', type: 'float64', description: 'mean value, non_referred' },
  { name: 'difference', type: 'float64', description: 'referred_mean - non_referred_mean' },
  { name: 'ci_low', type: 'float64', description: 'lower end of the 95% Welch interval of difference' },
  { name: 'ci_high', type: 'float64', description: 'upper end of the 95% Welch interval of difference' },
  { name: 'p_value', type: 'float64', description: 'two-sided Welch t test of difference = 0' },
  { name: 'relative_difference', type: 'float64', description: 'referred_mean / non_referred_mean - 1' },
  { name: 'relative_ci_low', type: 'float64', description: 'lower end, 95% delta-method interval' },
  { name: 'relative_ci_high', type: 'float64', description: 'upper end, 95% delta-method interval' },
  { name: 'unit', type: 'string', description: "'minor' (reporting-currency minor units) or 'share'" },
  { name: 'reporting_currency', type: 'string', description: 'currency of the minor-unit comparisons' },
];

/** Float sums of a value: n, sum and sum of squares (doubles: squares of minor units overflow int64). */
function sums(d: SqlDialect, expr: string): string {
  const v = d.cast(expr, 'float64');
  return `count(*) as n, sum(${v}) as s, sum(${v} * ${v}) as ss`;
}

/** SQL: (comparison, acquisition_type, n, s, ss) for the three comparisons. */
export function comparisonSumsSql(
  d: SqlDialect,
  refs: { customerLtv: string; customers: string; orders: string },
  statuses: string[],
): string {
  const inList = statuses.map((s) => d.stringLiteral(s)).join(', ');
  return `
with people as (
  select customer_id, person_id, is_referred from ${refs.customers}
),
purchases as (
  select p.person_id, o.order_date, o.net_reporting_minor
  from ${refs.orders} o join people p on p.customer_id = o.customer_id
  where o.status in (${inList})
),
acquisition as (
  select person_id, case when max(case when is_referred then 1 else 0 end) = 1 then 'referred' else 'non_referred' end
    as acquisition_type
  from people group by 1
),
firsts as (
  select person_id, min(order_date) as first_day from purchases group by 1
),
bounds as (
  select max(order_date) as data_end from purchases
),
realised as (
  select f.person_id, sum(u.net_reporting_minor) as value_minor
  from firsts f
  cross join bounds b
  join purchases u on u.person_id = f.person_id and u.order_date < ${d.toDate(d.dateAdd('month', '12', 'f.first_day'))}
  where f.first_day <= ${d.toDate(d.dateAdd('month', '-12', 'b.data_end'))}
  group by 1
)
select 'predicted_clv' as comparison, acquisition_type, ${sums(d, 'predicted_clv_minor')}
from ${refs.customerLtv} where predicted_clv_minor is not null group by 1, 2
union all
select 'repeat_purchase_rate' as comparison, acquisition_type, ${sums(d, 'case when x > 0 then 1 else 0 end')}
from ${refs.customerLtv} group by 1, 2
union all
select 'realised_net_revenue_12m' as comparison, a.acquisition_type, ${sums(d, 'r.value_minor')}
from realised r join acquisition a on a.person_id = r.person_id group by 1, 2`;
}

/**
 * One comparison row from the two groups' sums: Welch difference referred - non_referred with its 95% interval,
 * and the relative difference with its delta-method interval. Inferential columns are null when a group has
 * fewer than 2 people (no variance), or (relative only) when the non-referred mean is 0.
 */
export function compareGroups(referred: GroupSums | undefined, nonReferred: GroupSums | undefined) {
  const nR = referred?.n ?? 0;
  const nN = nonReferred?.n ?? 0;
  const meanR = nR > 0 ? referred!.sum / nR : null;
  const meanN = nN > 0 ? nonReferred!.sum / nN : null;
  let abs: WelchResult | null = null;
  let rel: WelchResult | null = null;
  if (nR >= 2 && nN >= 2) {
    const control = fromSums(nN, nonReferred!.sum, nonReferred!.sumSquares);
    const treatment = fromSums(nR, referred!.sum, referred!.sumSquares);
    if (control.variance + treatment.variance > 0) {
      abs = welchTTest(control, treatment);
      if (control.mean !== 0) rel = welchTTest(control, treatment, { relative: true });
    }
  }
  return {
    referredCustomers: nR,
    nonReferredCustomers: nN,
    referredMean: meanR,
    nonReferredMean: meanN,
    difference: meanR !== null && meanN !== null ? meanR - meanN : null,
    ciLow: abs?.ciLow ?? null,
    ciHigh: abs?.ciHigh ?? null,
    pValue: abs?.pValue ?? null,
    relativeDifference: meanR !== null && meanN ? meanR / meanN - 1 : null,
    relativeCiLow: rel?.ciLow ?? null,
    relativeCiHigh: rel?.ciHigh ?? null,
  };
}

/**
 * Referred against non-referred customers: is a referred customer worth more, by how much, and with what
 * certainty. Three comparisons (COMPARISONS): mean predicted CLV (customer_ltv), mean 12-month realised net
 * revenue (stg_orders; only people acquired at least 12 months before the data end, so every one has a full
 * year), and the repeat purchase rate (customer_ltv, x > 0). SQL returns n, sum and sum of squares per group;
 * TS runs Welch's t test (models/stats/welch-t-test.ts) with non_referred as control. For the rate, Welch on the
 * 0/1 indicator is the unpooled two-proportion interval with a t reference (n/(n-1) variance).
 */
export const ltvComparison = defineModel({
  name: 'ltv_comparison',
  grain: 'one row per comparison of referred against non-referred customers',
  dependsOn: ['customer_ltv', 'stg_customers', 'stg_orders'],
  columns: Object.fromEntries(COLUMNS.map((c) => [c.name, c.description ?? ''])),
  build: async (ctx) => {
    const { d, wh, config } = ctx;
    const cfg = ltvConfig(config);
    const refs = {
      customerLtv: ctx.ref('customer_ltv'),
      customers: ctx.ref('stg_customers'),
      orders: ctx.ref('stg_orders'),
    };
    const raw = await wh.query<{
      comparison: ComparisonName;
      acquisition_type: string;
      n: number;
      s: number;
      ss: number;
    }>(comparisonSumsSql(d, refs, cfg.purchaseStatuses));
    const byKey = new Map<string, GroupSums>();
    for (const r of raw) {
      byKey.set(`${r.comparison}|${r.acquisition_type}`, {
        comparison: r.comparison,
        acquisitionType: r.acquisition_type,
        n: Number(r.n),
        sum: Number(r.s ?? 0),
        sumSquares: Number(r.ss ?? 0),
      });
    }
    const rows: unknown[][] = [];
    for (const [name, definition] of Object.entries(COMPARISONS) as [ComparisonName, string][]) {
      const c = compareGroups(byKey.get(`${name}|referred`), byKey.get(`${name}|non_referred`));
      rows.push([
        name,
        definition,
        c.referredCustomers,
        c.nonReferredCustomers,
        c.referredMean,
        c.nonReferredMean,
        c.difference,
        c.ciLow,
        c.ciHigh,
        c.pValue,
        c.relativeDifference,
        c.relativeCiLow,
        c.relativeCiHigh,
        name === 'repeat_purchase_rate' ? 'share' : 'minor',
        config.reportingCurrency,
      ]);
    }
    await wh.exec(`drop table if exists ${ctx.self}`);
    await wh.exec(d.createTableIfNotExists(ctx.self, COLUMNS));
    await wh.appendRows(config.schemas.analytics, 'ltv_comparison', COLUMNS, rows);
  },
});
