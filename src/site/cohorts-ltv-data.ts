/**
 * The data behind the site's "Cohorts and LTV" page, one function per mart area:
 * - `loadCohortRetention`: the `cohort_retention` grid as is (a few hundred rows: acquisition type x cohort month x
 *   month offset) plus the retention curve per acquisition type, weighted over cohorts in SQL;
 * - `loadLtv`: mean predicted CLV per acquisition type with a 95% normal interval from SQL sufficient statistics
 *   (n, sum, sum of squares of `customer_ltv.predicted_clv_minor`), their difference, and the `ltv_model_fit`
 *   parameters.
 * A missing or empty mart gives empty arrays (the page shows "no data yet") instead of failing the site build,
 * because Framework builds every page whichever marts a warehouse has.
 */
import { assertIdentifier } from '../warehouse/identifiers.js';
import type { Row, Warehouse } from '../warehouse/warehouse.js';
import { martStatus, type MartStatus } from './mart.js';

/** 1.96: the 97.5% quantile of the standard normal, for two-sided 95% intervals. */
export const Z_95 = 1.959963984540054;

export const COHORT_RETENTION_TABLE = 'cohort_retention';
/** The cohort_retention columns the page reads; a mart built before one of them existed is `incomplete`. */
export const COHORT_RETENTION_COLUMNS = [
  'segment_type',
  'acquisition_type',
  'cohort_month',
  'month_offset',
  'cohort_people',
  'active_people',
  'retention_rate',
] as const;
export const CUSTOMER_LTV_TABLE = 'customer_ltv';
export const LTV_MODEL_FIT_TABLE = 'ltv_model_fit';
/** The columns loadLtv reads from each mart. */
export const CUSTOMER_LTV_COLUMNS = [
  'acquisition_type',
  'predicted_clv_minor',
  'reporting_currency',
  'time_unit',
  'horizon',
  'calibration_end',
] as const;
export const LTV_MODEL_FIT_COLUMNS = [
  'acquisition_type',
  'model',
  'parameter',
  'value',
  'customers',
  'converged',
  'log_likelihood',
] as const;

export interface RetentionCell {
  acquisition_type: string;
  /** YYYY-MM-DD, first day of the cohort's month. */
  cohort_month: string;
  month_offset: number;
  cohort_people: number;
  active_people: number;
  retention_rate: number;
}

/** One point of a group's retention curve: active / cohort people summed over the cohorts that reached the offset. */
export interface RetentionCurvePoint {
  acquisition_type: string;
  month_offset: number;
  cohorts: number;
  cohort_people: number;
  active_people: number;
  retention_rate: number | null;
}

export interface CohortRetentionData {
  generatedAt: string;
  /** False when the mart does not exist in the warehouse. */
  available: boolean;
  /** Readiness of the mart; `incomplete` when it predates a column the page reads (e.g. segment_type). */
  status: MartStatus;
  cells: RetentionCell[];
  curve: RetentionCurvePoint[];
}

export interface LtvGroup {
  acquisition_type: string;
  n: number;
  sum_minor: number;
  /** Sum of squared predicted CLVs (minor units squared), a float: it only feeds the variance. */
  sum_sq: number;
  mean_minor: number;
  sd_minor: number | null;
  se_minor: number | null;
  ci_low_minor: number | null;
  ci_high_minor: number | null;
}

export interface LtvDifference {
  /** mean(referred) - mean(non_referred), minor units. */
  diff_minor: number;
  /** sqrt(se_r^2 + se_n^2): the two groups are independent samples. */
  se_minor: number;
  ci_low_minor: number;
  ci_high_minor: number;
}

export interface LtvParameter {
  acquisition_type: string;
  model: string;
  parameter: string;
  value: number;
  customers: number;
  converged: boolean;
  log_likelihood: number;
}

export interface LtvData {
  generatedAt: string;
  available: boolean;
  reportingCurrency: string | null;
  timeUnit: string | null;
  horizon: number | null;
  calibrationEnd: string | null;
  groups: LtvGroup[];
  /** Null unless both referred and non_referred have n >= 2. */
  difference: LtvDifference | null;
  parameters: LtvParameter[];
}

/** YYYY-MM-DD of a DATE value, whichever JS form the driver returns it in. */
export function isoDay(value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).slice(0, 10);
}

/** Throws when a sum is a bigint (beyond JSON's exact integer range) rather than silently rounding it. */
function exact(value: unknown, where: string): number {
  if (typeof value === 'bigint') throw new Error(`${where} (${value}) is beyond JSON's exact integer range`);
  return Number(value);
}

/**
 * Reads `<schema>.cohort_retention` for the heat map and the weighted retention curve per acquisition type.
 * @param options.now the generatedAt timestamp (tests pin it)
 */
export async function loadCohortRetention(
  wh: Warehouse,
  schema: string,
  options: { now?: Date } = {},
): Promise<CohortRetentionData> {
  assertIdentifier(schema, 'REFSTACK_SCHEMA');
  const generatedAt = (options.now ?? new Date()).toISOString();
  const status = await martStatus(wh, schema, COHORT_RETENTION_TABLE, COHORT_RETENTION_COLUMNS);
  if (status.state !== 'ready')
    return { generatedAt, available: status.state !== 'missing', status, cells: [], curve: [] };
  const d = wh.dialect;
  const ref = d.tableRef(schema, COHORT_RETENTION_TABLE);
  const int = (expr: string) => d.cast(expr, 'int64');
  const [cells, curve] = await Promise.all([
    wh.query<RetentionCell & Row>(
      `select acquisition_type, cohort_month, ${int('month_offset')} as month_offset,
  ${int('cohort_people')} as cohort_people, ${int('active_people')} as active_people,
  ${d.cast('retention_rate', 'float64')} as retention_rate
from ${ref}
where segment_type = 'acquisition_type'
order by acquisition_type, cohort_month, month_offset`,
    ),
    wh.query<RetentionCurvePoint & Row>(
      `select acquisition_type, ${int('month_offset')} as month_offset, ${int('count(*)')} as cohorts,
  ${int('sum(cohort_people)')} as cohort_people, ${int('sum(active_people)')} as active_people,
  ${d.safeDivide(d.cast('sum(active_people)', 'float64'), 'sum(cohort_people)')} as retention_rate
from ${ref}
where segment_type = 'acquisition_type'
group by acquisition_type, month_offset
order by acquisition_type, month_offset`,
    ),
  ]);
  return {
    generatedAt,
    available: true,
    status,
    cells: cells.map((c) => ({
      acquisition_type: c.acquisition_type,
      cohort_month: isoDay(c.cohort_month),
      month_offset: c.month_offset,
      cohort_people: c.cohort_people,
      active_people: c.active_people,
      retention_rate: c.retention_rate,
    })),
    curve: curve.map((p) => ({
      acquisition_type: p.acquisition_type,
      month_offset: p.month_offset,
      cohorts: p.cohorts,
      cohort_people: exact(p.cohort_people, 'cohort_retention: summed cohort_people'),
      active_people: exact(p.active_people, 'cohort_retention: summed active_people'),
      retention_rate: p.retention_rate,
    })),
  };
}

/** Mean, sd and 95% interval of one group from its sufficient statistics (n, sum, sum of squares). */
export function groupInterval(n: number, sum: number, sumSq: number): Omit<LtvGroup, 'acquisition_type'> {
  const mean = sum / n;
  // Sample variance from the sums: (sum x^2 - (sum x)^2 / n) / (n - 1), clamped at 0 against rounding.
  const variance = n > 1 ? Math.max(0, (sumSq - (sum * sum) / n) / (n - 1)) : null;
  const sd = variance === null ? null : Math.sqrt(variance);
  const se = sd === null ? null : sd / Math.sqrt(n);
  return {
    n,
    sum_minor: sum,
    sum_sq: sumSq,
    mean_minor: mean,
    sd_minor: sd,
    se_minor: se,
    ci_low_minor: se === null ? null : mean - Z_95 * se,
    ci_high_minor: se === null ? null : mean + Z_95 * se,
  };
}

/**
 * Reads `<schema>.customer_ltv` (summed per acquisition type in SQL) and `<schema>.ltv_model_fit`.
 * @throws Error when customer_ltv mixes reporting currencies
 */
export async function loadLtv(wh: Warehouse, schema: string, options: { now?: Date } = {}): Promise<LtvData> {
  assertIdentifier(schema, 'REFSTACK_SCHEMA');
  const generatedAt = (options.now ?? new Date()).toISOString();
  const empty: LtvData = {
    generatedAt,
    available: false,
    reportingCurrency: null,
    timeUnit: null,
    horizon: null,
    calibrationEnd: null,
    groups: [],
    difference: null,
    parameters: [],
  };
  // A mart absent, or built before a column read below existed, gives the empty shape (never a Binder Error).
  const usable = async (table: string, columns: readonly string[]) =>
    ['ready', 'empty'].includes((await martStatus(wh, schema, table, columns)).state);
  const [hasLtv, hasFit] = await Promise.all([
    usable(CUSTOMER_LTV_TABLE, CUSTOMER_LTV_COLUMNS),
    usable(LTV_MODEL_FIT_TABLE, LTV_MODEL_FIT_COLUMNS),
  ]);
  if (!hasLtv || !hasFit) return empty;
  const d = wh.dialect;
  const ltv = d.tableRef(schema, CUSTOMER_LTV_TABLE);
  const x = d.cast('predicted_clv_minor', 'float64');
  const [groups, meta, parameters] = await Promise.all([
    wh.query<{ acquisition_type: string; n: number; sum_minor: number | bigint; sum_sq: number } & Row>(
      `select acquisition_type, ${d.cast('count(*)', 'int64')} as n,
  ${d.cast('sum(predicted_clv_minor)', 'int64')} as sum_minor, sum(${x} * ${x}) as sum_sq
from ${ltv}
where predicted_clv_minor is not null
group by acquisition_type
order by acquisition_type desc`,
    ),
    wh.query<{ c_min: string | null; c_max: string | null; unit: string | null; horizon: number | null; cal: unknown }>(
      `select min(reporting_currency) as c_min, max(reporting_currency) as c_max, min(time_unit) as unit,
  ${d.cast('min(horizon)', 'float64')} as horizon, min(calibration_end) as cal
from ${ltv}`,
    ),
    wh.query<LtvParameter & Row>(
      `select acquisition_type, model, parameter, ${d.cast('value', 'float64')} as value,
  ${d.cast('customers', 'int64')} as customers, converged, ${d.cast('log_likelihood', 'float64')} as log_likelihood
from ${d.tableRef(schema, LTV_MODEL_FIT_TABLE)}
order by acquisition_type desc, model, parameter`,
    ),
  ]);
  const m = meta[0];
  if (m && m.c_min !== m.c_max)
    throw new Error(`${schema}.${CUSTOMER_LTV_TABLE} mixes reporting currencies (${m.c_min}, ${m.c_max})`);
  const summarized: LtvGroup[] = groups.map((g) => ({
    acquisition_type: g.acquisition_type,
    ...groupInterval(g.n, exact(g.sum_minor, `${CUSTOMER_LTV_TABLE}: sum of predicted_clv_minor`), g.sum_sq),
  }));
  const referred = summarized.find((g) => g.acquisition_type === 'referred');
  const other = summarized.find((g) => g.acquisition_type === 'non_referred');
  let difference: LtvDifference | null = null;
  if (referred?.se_minor != null && other?.se_minor != null) {
    const diff = referred.mean_minor - other.mean_minor;
    const se = Math.sqrt(referred.se_minor ** 2 + other.se_minor ** 2);
    difference = { diff_minor: diff, se_minor: se, ci_low_minor: diff - Z_95 * se, ci_high_minor: diff + Z_95 * se };
  }
  return {
    generatedAt,
    available: true,
    reportingCurrency: m?.c_min ?? null,
    timeUnit: m?.unit ?? null,
    horizon: m?.horizon ?? null,
    calibrationEnd: m?.cal == null ? null : isoDay(m.cal),
    groups: summarized,
    difference,
    parameters: parameters.map((p) => ({
      acquisition_type: p.acquisition_type,
      model: p.model,
      parameter: p.parameter,
      value: p.value,
      customers: p.customers,
      converged: Boolean(p.converged),
      log_likelihood: p.log_likelihood,
    })),
  };
}
