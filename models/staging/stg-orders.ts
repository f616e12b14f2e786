import { defineModel } from '../../src/models/define-model.js';
import { fxFactorsSql } from './fx.js';
import { latestPerKey } from './latest.js';

/**
 * Orders, cleaned: the latest landed version of each order, the commission base (net of discount, tax and
 * refunds) in the order's currency and in the reporting currency, and each customer's order sequence.
 *
 * An order in a currency with no configured rate fails the model (naming the currency and the count):
 * reporting totals that silently skip orders would be wrong without anyone noticing.
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
    order_date: 'date of ordered_at',
    currency: 'ISO 4217 code of the amounts',
    gross_minor: 'total before discount, minor units',
    discount_minor: 'discount, minor units',
    tax_minor: 'tax, minor units',
    refunded_minor: 'refunded so far, minor units',
    net_minor: 'commission base: gross - discount - tax - refunded (minor units, order currency)',
    reporting_currency: 'the configured reporting currency',
    gross_reporting_minor: 'gross in reporting-currency minor units (config rate, rounded half away from zero)',
    net_reporting_minor: 'net in reporting-currency minor units',
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
    const fx = fxFactorsSql(d, config);
    const missing = await wh.query<{ currency: string; n: number }>(`
      with fx as (${fx})
      select o.currency, count(*) as n from ${source('orders')} o
      left join fx on fx.currency = upper(trim(o.currency))
      where fx.currency is null group by 1 order by 1`);
    if (missing.length > 0) {
      const list = missing.map((m) => `${m.currency} (${m.n} rows)`).join(', ');
      throw new Error(`no FX rate to ${config.reportingCurrency} for ${list}; add them under fxRates in the config`);
    }
    const toReporting = (col: string) => `cast(round(cast(${col} as decimal(18,0)) * fx.factor) as bigint)`;
    return `
with latest as (
  select * from ${source('orders')}
  ${latestPerKey(d, 'order_id')}
),
fx as (${fx}),
typed as (
  select
    o.order_id,
    o.customer_id,
    o.program_id,
    o.ordered_at,
    ${d.toDate('o.ordered_at')} as order_date,
    upper(trim(o.currency)) as currency,
    o.gross_minor,
    o.discount_minor,
    o.tax_minor,
    o.refunded_minor,
    o.gross_minor - o.discount_minor - o.tax_minor - o.refunded_minor as net_minor,
    lower(trim(o.status)) as status,
    o.refunded_at,
    o.chargeback_at,
    upper(${d.normalizeText('o.referral_code')}) as referral_code,
    o.payment_fingerprint,
    nullif(trim(o.region), '') as region,
    nullif(trim(o.product_line), '') as product_line
  from latest o
)
select
  t.*,
  ${d.stringLiteral(config.reportingCurrency)} as reporting_currency,
  ${toReporting('t.gross_minor')} as gross_reporting_minor,
  ${toReporting('t.net_minor')} as net_reporting_minor,
  t.refunded_minor > 0 as is_refunded,
  (t.status = 'chargeback' or t.chargeback_at is not null) as is_chargeback,
  row_number() over (partition by t.customer_id order by t.ordered_at, t.order_id) as order_seq
from typed t
join fx on fx.currency = t.currency
`;
  },
});
