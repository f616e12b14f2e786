import { defineModel } from '../../src/models/define-model.js';
import type { SqlDialect } from '../../src/warehouse/dialect.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { fxIntervalsSql } from './fx.js';
import { latestPerKey } from './latest.js';

/**
 * Orders, cleaned: the latest landed version of each order, its amounts in the order's currency and in the
 * reporting currency, the commission base, and each customer's order sequence.
 *
 * Amount convention (the landing contract, `raw.orders`): `gross_minor` is what the order came to before its
 * discount with tax included (Shopify Total + Discount Amount, Stripe amount), so the customer paid
 * `gross - discount`. The commission base is what was paid minus tax (`base_minor`), and `net_minor` is that
 * base minus refunds, floored at 0: `greatest(0, gross - discount - tax - refunded)`. A refund is taken from
 * the base in full (its share of tax is not added back), which is conservative for commissions. The floor
 * makes a full refund 0 whatever the source's tax convention: the canonical layout accepts refunds up to
 * `gross - discount + tax` (sources that land gross without tax refund that much), which would otherwise
 * give a negative base (-2 x tax).
 *
 * FX: each order converts at the rate for its currency on its order date (UTC): the `raw.fx_rates` row with
 * the latest rate_date on or before that date for (currency, reporting currency), else the config `fxRates`
 * rate, exactly (decimal rates, rounded half away from zero). An order with neither fails the model, naming
 * the currency and dates: reporting totals that silently skip orders would be wrong without anyone noticing.
 */
export const stgOrders = defineModel({
  name: 'stg_orders',
  grain: 'one row per order_id (the most recently landed version)',
  dependsOn: [],
  columns: {
    order_id: 'source order id',
    customer_id: 'purchasing customer',
    program_id: 'referral program',
    ordered_at: 'order time (UTC)',
    order_date: 'date of ordered_at (UTC); the date the FX rate is looked up for',
    currency: 'ISO 4217 code of the amounts',
    gross_minor: 'total before discount, tax included, minor units (paid = gross - discount)',
    discount_minor: 'discount, minor units',
    tax_minor: 'tax, minor units (included in gross)',
    refunded_minor: 'refunded so far, minor units',
    base_minor: 'commission base before refunds: gross - discount - tax, floored at 0 (order currency)',
    net_minor: 'commission base after refunds: gross - discount - tax - refunded, floored at 0 (order currency)',
    reporting_currency: 'the configured reporting currency',
    fx_rate: "the rate used: reporting-currency units per unit of currency (decimal string; '1' for the same currency)",
    fx_source: "where the rate came from: 'fx_rates' (raw.fx_rates), 'config' (fxRates) or 'same_currency'",
    gross_reporting_minor: 'gross in reporting-currency minor units (rounded half away from zero)',
    discount_reporting_minor: 'discount in reporting-currency minor units',
    tax_reporting_minor: 'tax in reporting-currency minor units',
    refunded_reporting_minor: 'refunded in reporting-currency minor units',
    base_reporting_minor: 'base in reporting-currency minor units',
    net_reporting_minor:
      'net in reporting-currency minor units (each amount converts and rounds on its own, so these need not add up exactly)',
    status: 'paid | refunded | partially_refunded | chargeback | unpaid | canceled',
    is_refunded: 'refunded_minor > 0',
    is_chargeback: "status is 'chargeback' or chargeback_at is set",
    refunded_at: 'refund time',
    chargeback_at: 'chargeback time',
    referral_code: 'code redeemed at checkout, upper-cased',
    payment_fingerprint: 'payment method fingerprint',
    region: 'sales region',
    product_line: 'product line',
    order_seq: "1 for the customer's first order (by time, then id), 2 for the second, ...",
  },
  async build({ d, source, config, wh }) {
    const reporting = config.reportingCurrency;
    const latest = `select * from ${source('orders')} ${latestPerKey(d, 'order_id')}`;
    await assertValidLandedRates(wh, d, source('fx_rates'), reporting);
    const codes = await wh.query<{ currency: string }>(
      `select distinct upper(trim(currency)) as currency from ${source('orders')} order by 1`,
    );
    const fx = fxIntervalsSql(
      d,
      config,
      source('fx_rates'),
      codes.map((c) => c.currency),
    );
    const onRate = (
      o: string,
    ) => `fx.currency = ${o}.currency and (fx.valid_from is null or fx.valid_from <= ${o}.order_date)
      and (fx.valid_to is null or ${o}.order_date < fx.valid_to)`;
    const dated = `select l.*, upper(trim(l.currency)) as currency_code, ${d.toDate('l.ordered_at')} as order_date from (${latest}) l`;
    const missing = await wh.query<{ currency: string; first_date: string; last_date: string; n: number }>(`
      with fx as (${fx}), o as (select currency_code as currency, order_date from (${dated}) x)
      select o.currency, cast(min(o.order_date) as ${d.typeName('string')}) as first_date,
        cast(max(o.order_date) as ${d.typeName('string')}) as last_date, count(*) as n
      from o left join fx on ${onRate('o')}
      where fx.currency is null group by o.currency order by o.currency`);
    if (missing.length > 0) {
      const counts = missing.map((m) => `${m.currency} (${m.n} rows)`).join(', ');
      const dates = missing
        .map((m) =>
          m.first_date === m.last_date
            ? `${m.currency} ${m.first_date}`
            : `${m.currency} ${m.first_date}..${m.last_date}`,
        )
        .join(', ');
      throw new Error(
        `no FX rate to ${reporting} for ${counts}; add them under fxRates in the config, or land raw.fx_rates rows ` +
          `dated on or before the orders (order dates without a rate: ${dates})`,
      );
    }
    const toReporting = (col: string) => `cast(round(cast(${col} as decimal(18,0)) * fx.factor) as bigint)`;
    return `
with fx as (${fx}),
typed as (
  select
    o.order_id,
    o.customer_id,
    o.program_id,
    o.ordered_at,
    o.order_date,
    o.currency_code as currency,
    o.gross_minor,
    o.discount_minor,
    o.tax_minor,
    o.refunded_minor,
    lower(trim(o.status)) as status,
    o.refunded_at,
    o.chargeback_at,
    upper(${d.normalizeText('o.referral_code')}) as referral_code,
    o.payment_fingerprint,
    nullif(trim(o.region), '') as region,
    nullif(trim(o.product_line), '') as product_line
  from (${dated}) o
),
amounts as (
  select t.*,
    greatest(0, t.gross_minor - t.discount_minor - t.tax_minor) as base_minor,
    greatest(0, t.gross_minor - t.discount_minor - t.tax_minor - t.refunded_minor) as net_minor
  from typed t
)
select
  t.order_id, t.customer_id, t.program_id, t.ordered_at, t.order_date, t.currency,
  t.gross_minor, t.discount_minor, t.tax_minor, t.refunded_minor, t.base_minor, t.net_minor,
  ${d.stringLiteral(reporting)} as reporting_currency,
  fx.rate as fx_rate,
  fx.fx_source,
  ${toReporting('t.gross_minor')} as gross_reporting_minor,
  ${toReporting('t.discount_minor')} as discount_reporting_minor,
  ${toReporting('t.tax_minor')} as tax_reporting_minor,
  ${toReporting('t.refunded_minor')} as refunded_reporting_minor,
  ${toReporting('t.base_minor')} as base_reporting_minor,
  ${toReporting('t.net_minor')} as net_reporting_minor,
  t.status,
  t.refunded_minor > 0 as is_refunded,
  (t.status = 'chargeback' or t.chargeback_at is not null) as is_chargeback,
  t.refunded_at, t.chargeback_at, t.referral_code, t.payment_fingerprint, t.region, t.product_line,
  row_number() over (partition by t.customer_id order by t.ordered_at, t.order_id) as order_seq
from amounts t
join fx on ${onRate('t')}
`;
  },
});

/** Landed rates must be positive decimals: a bad landed rate fails the model naming it, rather than being skipped. */
async function assertValidLandedRates(
  wh: Warehouse,
  d: SqlDialect,
  rawFxRates: string,
  reporting: string,
): Promise<void> {
  const bad = await wh.query<{ currency: string; rate_date: string; rate: string | null }>(`
    select upper(trim(currency)) as currency, cast(rate_date as ${d.typeName('string')}) as rate_date, rate
    from ${rawFxRates}
    where upper(trim(reporting_currency)) = ${d.stringLiteral(reporting)}
      and (rate is null or not ${d.regexpMatches('trim(rate)', '^[0-9]+(\\.[0-9]+)?$')}
        or ${d.safeCast('trim(rate)', 'decimal')} <= 0)
    order by 2, 1 limit 5`);
  if (bad.length > 0) {
    const list = bad.map((b) => `${b.currency} ${b.rate_date} rate ${JSON.stringify(b.rate)}`).join(', ');
    throw new Error(`stg_orders: raw.fx_rates has rates that are not positive decimals: ${list}`);
  }
}
