/**
 * The data behind the site's "Referral funnel" page: one query against the `referral_funnel` mart that
 * sums the funnel per program and month, per program and advocate, and per program, each also over all
 * programs (GROUPING SETS), so every number the page shows is an SQL sum and money never crosses as a float.
 * The loader `dashboards/src/data/referral-funnel.json.ts` prints this as JSON.
 */
import { assertIdentifier } from '../warehouse/identifiers.js';
import type { Row, Warehouse } from '../warehouse/warehouse.js';
import { martStatus, type MartStatus } from './mart.js';
import { personLabeller } from './pseudonym.js';

/** Summed funnel counts with step rates computed from the sums (NULL when the denominator is 0). */
export interface FunnelSums {
  invited: number;
  clicked: number;
  signed_up: number;
  converted: number;
  /** Net revenue in reporting-currency minor units. */
  referred_revenue_minor: number;
  first_order_revenue_minor: number;
  click_rate: number | null;
  signup_rate: number | null;
  conversion_rate: number | null;
  invite_to_conversion_rate: number | null;
}

/** `program_id` is null on rows summed over all programs. */
export interface FunnelTotal extends FunnelSums {
  program_id: string | null;
}
export interface FunnelMonth extends FunnelSums {
  program_id: string | null;
  /** First day of the month, YYYY-MM-DD. */
  month: string;
}
export interface FunnelAdvocate extends FunnelSums {
  program_id: string | null;
  /** Null when referral codes matched no customer (the mart's convention). */
  advocate_id: string | null;
  /** 1-based rank within the program (or all programs) by referred revenue, then conversions, then id. */
  rank: number;
}

export interface ReferralFunnelData {
  generatedAt: string;
  /** ISO 4217 code of every *_minor column; null when the mart is empty. */
  reportingCurrency: string | null;
  /** Program ids present in the mart, sorted. */
  programs: string[];
  totals: FunnelTotal[];
  monthly: FunnelMonth[];
  advocates: FunnelAdvocate[];
  /** Set when the mart lacks a column read here (state 'incomplete': rerun `refstack run`). */
  status?: MartStatus;
}

/** The mart is missing: the message says which table and how to make it. */
export class MissingMartError extends Error {
  constructor(schema: string, table: string, location: string) {
    super(`table ${schema}.${table} not found in ${location}: run \`refstack demo\` or \`refstack run\` first`);
    this.name = 'MissingMartError';
  }
}

export const REFERRAL_FUNNEL_TABLE = 'referral_funnel';
/** The columns loadReferralFunnel reads (an older mart lacking one is `incomplete`, not a Binder Error). */
export const REFERRAL_FUNNEL_COLUMNS = [
  'program_id',
  'month',
  'advocate_id',
  'invited',
  'clicked',
  'signed_up',
  'converted',
  'referred_revenue_minor',
  'first_order_revenue_minor',
  'reporting_currency',
] as const;

type Kind = 'total' | 'monthly' | 'advocate';
type RawRow = FunnelSums & {
  kind: Kind;
  all_programs: number;
  program_id: string | null;
  month: unknown;
  advocate_id: string | null;
  rank: number;
  currency_min: string | null;
  currency_max: string | null;
};

/** YYYY-MM-DD of a DATE value, whichever JS form the driver returns it in. */
function isoDay(value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).slice(0, 10);
}

/**
 * Reads the referral funnel page's data from `<schema>.referral_funnel`.
 * @param options.topAdvocates advocates kept per program (and over all programs), default 20
 * @param options.now the generatedAt timestamp (tests pin it)
 * @throws MissingMartError when the table does not exist; Error when the mart mixes reporting currencies
 */
export async function loadReferralFunnel(
  wh: Warehouse,
  schema: string,
  options: { topAdvocates?: number; now?: Date } = {},
): Promise<ReferralFunnelData> {
  assertIdentifier(schema, 'REFSTACK_SCHEMA');
  const status = await martStatus(wh, schema, REFERRAL_FUNNEL_TABLE, REFERRAL_FUNNEL_COLUMNS);
  if (status.state === 'missing') throw new MissingMartError(schema, REFERRAL_FUNNEL_TABLE, wh.location);
  if (status.state === 'incomplete')
    return {
      generatedAt: (options.now ?? new Date()).toISOString(),
      reportingCurrency: null,
      programs: [],
      totals: [],
      monthly: [],
      advocates: [],
      status,
    };
  const d = wh.dialect;
  const sum = (col: string) => `${d.cast(`coalesce(sum(${d.quoteIdent(col)}), 0)`, 'int64')} as ${col}`;
  const ratio = (name: string, numerator: string, denominator: string) =>
    `${d.safeDivide(d.cast(numerator, 'float64'), denominator)} as ${name}`;
  const sql = `
with grouped as (
  select
    case when grouping(month) = 0 then 'monthly' when grouping(advocate_id) = 0 then 'advocate' else 'total' end as kind,
    grouping(program_id) as all_programs,
    program_id,
    month,
    advocate_id,
    ${sum('invited')},
    ${sum('clicked')},
    ${sum('signed_up')},
    ${sum('converted')},
    ${sum('referred_revenue_minor')},
    ${sum('first_order_revenue_minor')},
    min(reporting_currency) as currency_min,
    max(reporting_currency) as currency_max
  from ${d.tableRef(schema, REFERRAL_FUNNEL_TABLE)}
  group by grouping sets ((program_id, month), (month), (program_id, advocate_id), (advocate_id), (program_id), ())
),
ranked as (
  select
    grouped.*,
    row_number() over (
      partition by kind, all_programs, program_id
      order by referred_revenue_minor desc, converted desc, advocate_id nulls last
    ) as rank
  from grouped
)
select
  kind, all_programs, program_id, month, advocate_id, rank,
  invited, clicked, signed_up, converted, referred_revenue_minor, first_order_revenue_minor,
  currency_min, currency_max,
  ${ratio('click_rate', 'clicked', 'invited')},
  ${ratio('signup_rate', 'signed_up', 'clicked')},
  ${ratio('conversion_rate', 'converted', 'signed_up')},
  ${ratio('invite_to_conversion_rate', 'converted', 'invited')}
from ranked
where kind <> 'advocate' or rank <= ${d.param('top')}
order by kind, all_programs desc, program_id, month, rank`;
  const rows = await wh.query<RawRow & Row>(sql, { top: options.topAdvocates ?? 20 });

  const grand = rows.find((r) => r.kind === 'total' && r.all_programs === 1);
  if (grand && grand.currency_min !== grand.currency_max)
    throw new Error(
      `${schema}.${REFERRAL_FUNNEL_TABLE} mixes reporting currencies (${grand.currency_min}, ${grand.currency_max}); ` +
        'its *_minor columns must all be in one currency',
    );
  const sums = (r: RawRow): FunnelSums => ({
    invited: r.invited,
    clicked: r.clicked,
    signed_up: r.signed_up,
    converted: r.converted,
    referred_revenue_minor: r.referred_revenue_minor,
    first_order_revenue_minor: r.first_order_revenue_minor,
    click_rate: r.click_rate,
    signup_rate: r.signup_rate,
    conversion_rate: r.conversion_rate,
    invite_to_conversion_rate: r.invite_to_conversion_rate,
  });
  for (const r of rows)
    for (const [key, value] of Object.entries(sums(r)))
      if (typeof value === 'bigint')
        throw new Error(
          `${schema}.${REFERRAL_FUNNEL_TABLE}: sum of ${key} (${value}) is beyond JSON's exact integer range`,
        );
  const program = (r: RawRow) => (r.all_programs === 1 ? null : r.program_id);
  const totals = rows.filter((r) => r.kind === 'total').map((r) => ({ program_id: program(r), ...sums(r) }));
  return {
    generatedAt: (options.now ?? new Date()).toISOString(),
    reportingCurrency: grand?.currency_min ?? null,
    programs: totals.flatMap((t) => (t.program_id === null ? [] : [t.program_id])).sort(),
    totals,
    monthly: rows
      .filter((r) => r.kind === 'monthly')
      .map((r) => ({ program_id: program(r), month: isoDay(r.month), ...sums(r) })),
    advocates: rows
      .filter((r) => r.kind === 'advocate')
      .map((r) => ({ program_id: program(r), advocate_id: r.advocate_id, rank: r.rank, ...sums(r) })),
  };
}

/**
 * The funnel data with every advocate id replaced by its pseudonym (src/site/pseudonym.ts), unless the config
 * allows PII. The loader applies it, so the published site never carries raw customer ids.
 */
export function pseudonymiseFunnel(data: ReferralFunnelData, env: NodeJS.ProcessEnv = process.env): ReferralFunnelData {
  const label = personLabeller(env);
  return { ...data, advocates: data.advocates.map((a) => ({ ...a, advocate_id: label(a.advocate_id) })) };
}
