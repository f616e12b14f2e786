/**
 * The data behind the site's "Attribution" page, one function a mart (each loader runs one of them):
 * - `loadAttributionSummary`: credited conversions and revenue per attribution model and channel, per program and
 *   over all programs (GROUPING SETS), with each channel's share of its model's total computed in SQL;
 * - `loadAttributionReconciliation`: per model, order revenue against attributed + unattributed revenue, and the
 *   days on which they differ (a sum of differences could net to zero while single days are off);
 * - `loadDarkSocialShare`: survey respondents, word-of-mouth answers and the dark-social share per program and
 *   over all programs.
 * Money stays integer minor units summed in SQL, with its currency code.
 *
 * A mart that exists but lacks a column read here (built by an older refstack) gives the page's empty shape with
 * `status.state === 'incomplete'` (the page says "rerun refstack run"); a missing mart still throws.
 */
import { assertIdentifier } from '../warehouse/identifiers.js';
import type { Row, Warehouse } from '../warehouse/warehouse.js';
import { martStatus, type MartStatus } from './mart.js';
import { MissingMartError } from './referral-funnel-data.js';

export interface AttributionCell {
  /** null on rows summed over all programs. */
  program_id: string | null;
  model: string;
  channel: string;
  /** Credited (fractional) conversions. */
  conversions: number;
  revenue_minor: number;
  assisted_conversions: number;
  /** conversions / the model's conversions in the same program selection; null when that is 0. */
  conversion_share: number | null;
  revenue_share: number | null;
}

/**
 * Credit of one program, model, channel and conversion month (summed over the mart's rows of that month). The page
 * sums these over a From/To month range; per-program rows only (all programs = their sum on the page).
 */
export interface AttributionMonthCell {
  program_id: string;
  model: string;
  channel: string;
  /** First day of the conversion month, YYYY-MM-DD. */
  month: string;
  conversions: number;
  revenue_minor: number;
  assisted_conversions: number;
}

export interface AttributionSummaryData {
  generatedAt: string;
  /** Readiness of attribution_summary ('incomplete': older mart, rerun `refstack run`). */
  status: MartStatus;
  currency: string | null;
  ruleVersion: string | null;
  /** First and last conversion month (YYYY-MM-DD); null when the mart is empty. */
  firstMonth: string | null;
  lastMonth: string | null;
  programs: string[];
  models: string[];
  /** Channels by credited conversions over all models and programs, largest first. */
  channels: string[];
  cells: AttributionCell[];
  /** The same credit per conversion month (for the page's From/To range); sorted by month, program, model, channel. */
  monthly: AttributionMonthCell[];
}

export interface ReconciliationRow {
  model: string;
  days: number;
  conversions: number;
  order_revenue_minor: number;
  attributed_revenue_minor: number;
  unattributed_revenue_minor: number;
  /** Sum over days of order - attributed - unattributed. */
  difference_minor: number;
  /** Sum over days of |difference|: zero exactly when every day reconciles. */
  abs_difference_minor: number;
  days_off: number;
  credit_sum: number;
  reconciled: boolean;
}

export interface AttributionReconciliationData {
  generatedAt: string;
  status: MartStatus;
  currency: string | null;
  ruleVersion: string | null;
  models: ReconciliationRow[];
}

export interface DarkSocialRow {
  /** null on the row summed over all programs. */
  program_id: string | null;
  respondents: number;
  word_of_mouth: number;
  unreferred_respondents: number;
  dark_social: number;
  dark_social_share: number | null;
  dark_social_share_unreferred: number | null;
}

export interface DarkSocialData {
  generatedAt: string;
  status: MartStatus;
  programs: string[];
  rows: DarkSocialRow[];
}

export const ATTRIBUTION_SUMMARY_TABLE = 'attribution_summary';
export const ATTRIBUTION_RECONCILIATION_TABLE = 'attribution_reconciliation';
export const DARK_SOCIAL_SHARE_TABLE = 'dark_social_share';

/** The columns each loader reads (an older mart lacking one is `incomplete`, not a Binder Error). */
export const ATTRIBUTION_SUMMARY_COLUMNS = [
  'program_id',
  'model',
  'channel',
  'month',
  'conversions',
  'revenue_minor',
  'currency',
  'assisted_conversions',
  'rule_version',
] as const;
export const ATTRIBUTION_RECONCILIATION_COLUMNS = [
  'model',
  'conversions',
  'order_revenue_minor',
  'attributed_revenue_minor',
  'unattributed_revenue_minor',
  'difference_minor',
  'credit_sum',
  'currency',
  'rule_version',
] as const;
export const DARK_SOCIAL_SHARE_COLUMNS = [
  'program_id',
  'respondents',
  'word_of_mouth',
  'unreferred_respondents',
  'dark_social',
] as const;

/** The mart's table reference and status; throws only when the table is missing. */
async function mart(
  wh: Warehouse,
  schema: string,
  table: string,
  columns: readonly string[],
): Promise<{ ref: string; status: MartStatus }> {
  assertIdentifier(schema, 'REFSTACK_SCHEMA');
  const status = await martStatus(wh, schema, table, columns);
  if (status.state === 'missing') throw new MissingMartError(schema, table, wh.location);
  return { ref: wh.dialect.tableRef(schema, table), status };
}

/** Throws when a summed integer left JSON's exact range (the driver returns those as bigint). */
function assertSafe(table: string, rows: Row[], columns: string[]): void {
  for (const r of rows)
    for (const c of columns)
      if (typeof r[c] === 'bigint')
        throw new Error(`${table}: sum of ${c} (${r[c]}) is beyond JSON's exact integer range`);
}

function assertOneCurrency(table: string, min: unknown, max: unknown): void {
  if (min !== max)
    throw new Error(`${table} mixes currencies (${min}, ${max}); its *_minor columns must all be in one currency`);
}

const isoDay = (v: unknown): string | null =>
  v === null || v === undefined ? null : v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10);

/** Reads `<schema>.attribution_summary` summed per (program, model, channel) and per (model, channel). */
export async function loadAttributionSummary(
  wh: Warehouse,
  schema: string,
  options: { now?: Date } = {},
): Promise<AttributionSummaryData> {
  const { ref: table, status } = await mart(wh, schema, ATTRIBUTION_SUMMARY_TABLE, ATTRIBUTION_SUMMARY_COLUMNS);
  const generatedAt = (options.now ?? new Date()).toISOString();
  if (status.state === 'incomplete')
    return {
      generatedAt,
      status,
      currency: null,
      ruleVersion: null,
      firstMonth: null,
      lastMonth: null,
      programs: [],
      models: [],
      channels: [],
      cells: [],
      monthly: [],
    };
  const d = wh.dialect;
  const int = (e: string) => d.cast(e, 'int64');
  const share = (col: string) =>
    d.safeDivide(
      d.cast(col, 'float64'),
      d.cast(`sum(${col}) over (partition by all_programs, program_id, model)`, 'float64'),
    );
  const rows = await wh.query<Row>(`
with grouped as (
  select grouping(program_id) as all_programs, program_id, model, channel,
    coalesce(sum(conversions), 0) as conversions,
    ${int('coalesce(sum(revenue_minor), 0)')} as revenue_minor,
    ${int('coalesce(sum(assisted_conversions), 0)')} as assisted_conversions,
    min(currency) as currency_min, max(currency) as currency_max,
    min(rule_version) as version_min, max(rule_version) as version_max,
    min(month) as first_month, max(month) as last_month
  from ${table}
  group by grouping sets ((program_id, model, channel), (model, channel))
)
select all_programs, program_id, model, channel, conversions, revenue_minor, assisted_conversions,
  ${share('conversions')} as conversion_share, ${share('revenue_minor')} as revenue_share,
  currency_min, currency_max, version_min, version_max, first_month, last_month
from grouped
order by all_programs desc, program_id, model, channel`);
  assertSafe(ATTRIBUTION_SUMMARY_TABLE, rows, ['revenue_minor', 'assisted_conversions']);
  // Summed in the warehouse per conversion month: at most programs x models x channels x months rows.
  const monthRows = await wh.query<Row>(`
select program_id, model, channel, month,
  coalesce(sum(conversions), 0) as conversions,
  ${int('coalesce(sum(revenue_minor), 0)')} as revenue_minor,
  ${int('coalesce(sum(assisted_conversions), 0)')} as assisted_conversions
from ${table}
where month is not null
group by program_id, model, channel, month
order by month, program_id, model, channel`);
  assertSafe(ATTRIBUTION_SUMMARY_TABLE, monthRows, ['revenue_minor', 'assisted_conversions']);
  const all = rows.filter((r) => r['all_programs'] === 1);
  // Every *_minor column must be in one currency; the mart holds only the current rule version.
  const distinct = (...keys: string[]) =>
    [...new Set(all.flatMap((r) => keys.map((k) => r[k] as string | null)))].filter((v) => v !== null).sort();
  const currencies = distinct('currency_min', 'currency_max');
  if (currencies.length > 1) assertOneCurrency(ATTRIBUTION_SUMMARY_TABLE, currencies[0], currencies.at(-1));
  const versions = distinct('version_min', 'version_max');
  const byChannel = new Map<string, number>();
  for (const r of all)
    byChannel.set(r['channel'] as string, (byChannel.get(r['channel'] as string) ?? 0) + (r['conversions'] as number));
  const cells: AttributionCell[] = rows.map((r) => ({
    program_id: r['all_programs'] === 1 ? null : (r['program_id'] as string),
    model: r['model'] as string,
    channel: r['channel'] as string,
    conversions: r['conversions'] as number,
    revenue_minor: r['revenue_minor'] as number,
    assisted_conversions: r['assisted_conversions'] as number,
    conversion_share: r['conversion_share'] as number | null,
    revenue_share: r['revenue_share'] as number | null,
  }));
  const firstMonths = all.map((r) => isoDay(r['first_month'])).filter((m): m is string => m !== null);
  const lastMonths = all.map((r) => isoDay(r['last_month'])).filter((m): m is string => m !== null);
  return {
    generatedAt,
    status,
    currency: currencies[0] ?? null,
    ruleVersion: versions.at(-1) ?? null,
    firstMonth: firstMonths.sort()[0] ?? null,
    lastMonth: lastMonths.sort().at(-1) ?? null,
    programs: [...new Set(cells.flatMap((c) => (c.program_id === null ? [] : [c.program_id])))].sort(),
    models: [...new Set(all.map((r) => r['model'] as string))].sort(),
    channels: [...byChannel.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c]) => c),
    cells,
    monthly: monthRows.map((r) => ({
      program_id: r['program_id'] as string,
      model: r['model'] as string,
      channel: r['channel'] as string,
      month: isoDay(r['month'])!,
      conversions: r['conversions'] as number,
      revenue_minor: r['revenue_minor'] as number,
      assisted_conversions: r['assisted_conversions'] as number,
    })),
  };
}

/** Reads `<schema>.attribution_reconciliation` summed per model. */
export async function loadAttributionReconciliation(
  wh: Warehouse,
  schema: string,
  options: { now?: Date } = {},
): Promise<AttributionReconciliationData> {
  const { ref: table, status } = await mart(
    wh,
    schema,
    ATTRIBUTION_RECONCILIATION_TABLE,
    ATTRIBUTION_RECONCILIATION_COLUMNS,
  );
  const generatedAt = (options.now ?? new Date()).toISOString();
  if (status.state === 'incomplete') return { generatedAt, status, currency: null, ruleVersion: null, models: [] };
  const int = (e: string) => wh.dialect.cast(`coalesce(${e}, 0)`, 'int64');
  const rows = await wh.query<Row>(`
select model,
  count(*) as days,
  ${int('sum(conversions)')} as conversions,
  ${int('sum(order_revenue_minor)')} as order_revenue_minor,
  ${int('sum(attributed_revenue_minor)')} as attributed_revenue_minor,
  ${int('sum(unattributed_revenue_minor)')} as unattributed_revenue_minor,
  ${int('sum(difference_minor)')} as difference_minor,
  ${int('sum(abs(difference_minor))')} as abs_difference_minor,
  sum(case when difference_minor <> 0 then 1 else 0 end) as days_off,
  coalesce(sum(credit_sum), 0) as credit_sum,
  min(currency) as currency_min, max(currency) as currency_max, max(rule_version) as rule_version
from ${table}
group by model
order by model`);
  const money = ['order_revenue_minor', 'attributed_revenue_minor', 'unattributed_revenue_minor', 'difference_minor'];
  assertSafe(ATTRIBUTION_RECONCILIATION_TABLE, rows, [...money, 'abs_difference_minor', 'conversions']);
  const mins = rows.map((r) => r['currency_min'] as string).sort();
  const maxs = rows.map((r) => r['currency_max'] as string).sort();
  if (rows.length > 0) assertOneCurrency(ATTRIBUTION_RECONCILIATION_TABLE, mins[0], maxs.at(-1));
  return {
    generatedAt,
    status,
    currency: mins[0] ?? null,
    ruleVersion: (rows[0]?.['rule_version'] as string | undefined) ?? null,
    models: rows.map((r) => ({
      model: r['model'] as string,
      days: Number(r['days']),
      conversions: r['conversions'] as number,
      order_revenue_minor: r['order_revenue_minor'] as number,
      attributed_revenue_minor: r['attributed_revenue_minor'] as number,
      unattributed_revenue_minor: r['unattributed_revenue_minor'] as number,
      difference_minor: r['difference_minor'] as number,
      abs_difference_minor: r['abs_difference_minor'] as number,
      days_off: Number(r['days_off']),
      credit_sum: r['credit_sum'] as number,
      reconciled: r['abs_difference_minor'] === 0,
    })),
  };
}

/** Reads `<schema>.dark_social_share` per program and summed over programs (shares from the sums). */
export async function loadDarkSocialShare(
  wh: Warehouse,
  schema: string,
  options: { now?: Date } = {},
): Promise<DarkSocialData> {
  const { ref: table, status } = await mart(wh, schema, DARK_SOCIAL_SHARE_TABLE, DARK_SOCIAL_SHARE_COLUMNS);
  const generatedAt = (options.now ?? new Date()).toISOString();
  if (status.state === 'incomplete') return { generatedAt, status, programs: [], rows: [] };
  const d = wh.dialect;
  const sum = (c: string) => `${d.cast(`coalesce(sum(${c}), 0)`, 'int64')} as ${c}`;
  const rows = await wh.query<Row>(`
with grouped as (
  select grouping(program_id) as all_programs, program_id,
    ${sum('respondents')}, ${sum('word_of_mouth')}, ${sum('unreferred_respondents')}, ${sum('dark_social')}
  from ${table}
  group by grouping sets ((program_id), ())
)
select all_programs, program_id, respondents, word_of_mouth, unreferred_respondents, dark_social,
  ${d.safeDivide(d.cast('dark_social', 'float64'), 'respondents')} as dark_social_share,
  ${d.safeDivide(d.cast('dark_social', 'float64'), 'unreferred_respondents')} as dark_social_share_unreferred
from grouped
order by all_programs desc, program_id`);
  assertSafe(DARK_SOCIAL_SHARE_TABLE, rows, ['respondents', 'word_of_mouth', 'unreferred_respondents', 'dark_social']);
  const out: DarkSocialRow[] = rows.map((r) => ({
    program_id: r['all_programs'] === 1 ? null : (r['program_id'] as string),
    respondents: r['respondents'] as number,
    word_of_mouth: r['word_of_mouth'] as number,
    unreferred_respondents: r['unreferred_respondents'] as number,
    dark_social: r['dark_social'] as number,
    dark_social_share: r['dark_social_share'] as number | null,
    dark_social_share_unreferred: r['dark_social_share_unreferred'] as number | null,
  }));
  return {
    generatedAt,
    status,
    programs: out.flatMap((r) => (r.program_id === null ? [] : [r.program_id])).sort(),
    rows: out,
  };
}
