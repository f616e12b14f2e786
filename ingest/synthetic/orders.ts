/**
 * Stage: orders. A converting customer's first order comes an Exponential delay after sign-up; repeat orders
 * follow BG/NBD from the first order to the end of observation: arrivals of a Poisson process with rate
 * lambda per week (cumulative Exponential gaps), stopping after the J-th repeat, J ~ Geometric(p) on 1, 2, ...
 * (the customer drops out after a repeat purchase with probability p). Each order's gross value is
 * Gamma(p_gg, rate nu) in the reporting currency, converted to the customer's currency in minor units.
 * Discounts, tax, refunds and chargebacks follow SYNTHETIC_TRUTHS. `_syn_orders` keeps every order (with its
 * row number) for touches, referral conversions and support.
 */
import { SYNTHETIC_TRUTHS as X } from './params.js';
import { programProductLineSql, taxRateSql } from './programs.js';
import { caseOf, categorical, expand, insertLanding, ts } from './sql.js';
import { countOf, createScratch, orderIdSql, type Gen } from './stage.js';

const DAY = 86_400;

export async function prepareOrders(g: Gen): Promise<void> {
  const { d, rng, run, plan } = g;
  const end = run.endSec;
  const u = (salt: string) => rng.u(['idx', 'k'], salt);
  const usd = X.usdPerUnit;
  const reporting = Number(usd[run.options.reportingCurrency]);
  const fxLocal = caseOf(
    d,
    'currency',
    Object.fromEntries(Object.entries(usd).map(([c, v]) => [c, String(reporting / Number(v))])),
  );
  const rf = X.refunds;
  const ring = X.fraudRing.refereeOrderOutcome;
  const disc = X.discounts;
  const ringMinor = ([lo, hi]: readonly [number, number]) =>
    `${lo} + cast(floor(${u('ring-gross')} * ${hi - lo}) as bigint)`;
  const spend = rng.gamma(['idx', 'k'], 'spend', 'g_p', 'z');
  const within = (salt: string, days: number) =>
    `ordered_sec + cast(floor(${u(salt)} * least(${days * DAY}, ${end} - ordered_sec - 1)) as bigint)`;

  await createScratch(
    g,
    'o',
    `select *, row_number() over (order by idx, k) as rn from (
select idx, 0::bigint as k, first_order_sec as ordered_sec from _syn_cust where first_order_sec is not null
union all
select idx, k, ordered_sec from (
  select c.idx, c.i + 1 as k,
    c.first_order_sec + sum(cast(round(least(${rng.exp(['c.idx', 'c.i'], 'repeat-gap')} / c.lam * ${X.secondsPerWeek}, ${end} - c.first_order_sec + 1)) as bigint))
      over (partition by c.idx order by c.i rows between unbounded preceding and current row) as ordered_sec
  from ${expand('_syn_cust', 'cap', 'c')}
  where c.cap > 0
)
where ordered_sec < ${end}
)`,
  );
  g.counters.purchaseCapHits += await countOf(
    g,
    `select count(*) as n from _syn_o o join _syn_cust c on c.idx = o.idx where c.cap > 0 and o.k = c.cap and c.cap < c.j_drop`,
  );

  await createScratch(
    g,
    'orders',
    `with o as (
  select o.idx, o.k, o.ordered_sec, o.rn,
    c.customer_id, c.ring_role, c.program_id, c.currency, c.region, c.created_sec, c.referred_by_code, c.payment_fp,
    c.treat2, c.g_p, c.nu, c.nps_class
  from _syn_o o join _syn_cust c on c.idx = o.idx
), z0 as (
  select *, ${spend.columns} from o
), z as (
  select * exclude (z_x, z_lu), ${spend.value} as z_g from z0
), a as (
  select * exclude (z_g), z_g is null and ring_role is null as spend_fallback,
    case when ring_role = 'referee' then ${ringMinor(X.fraudRing.refereeOrderMinor)}
      when ring_role = 'advocate' then ${ringMinor(X.fraudRing.advocateOrderMinor)}
      else greatest(1, cast(round(coalesce(z_g, g_p) / nu * 100 * ${fxLocal}) as bigint)) end as gross
  from z
), b as (
  select *,
    case when ring_role is not null then 0::bigint
      when k = 0 and treat2 then cast(round(gross * ${disc.doubleSidedRefereeRate}) as bigint)
      when ${u('promo')} < ${disc.promoShare} then cast(round(gross * ${disc.promoRate}) as bigint)
      else 0::bigint end as discount
  from a
), c as (
  select *, cast(round((gross - discount) * ${taxRateSql(d, 'region')}) as bigint) as tax
  from b
), s as (
  select *,
    case when ring_role = 'referee' then
        (case when ${u('outcome')} < ${ring.chargeback} then 'chargeback' when ${u('outcome')} < ${ring.chargeback + ring.refunded} then 'refunded' else 'paid' end)
      when ring_role = 'advocate' then 'paid'
      when ${u('outcome')} < ${rf.chargebackRate} then 'chargeback'
      when ${u('outcome')} < ${rf.chargebackRate + rf.refundRate} then
        (case when ${u('refund-kind')} < ${rf.fullRefundShare} then 'refunded' else 'partially_refunded' end)
      else 'paid' end as status
  from c
)
select *,
  case status when 'refunded' then gross - discount + tax
    when 'partially_refunded' then cast(round((gross - discount + tax) * ${rf.partialRefundFraction}) as bigint)
    else 0::bigint end as refunded,
  case when status in ('refunded', 'partially_refunded') then ${within('refund-time', rf.refundWithinDays)} end as refunded_sec,
  case when status = 'chargeback' then ${within('chargeback-time', rf.chargebackWithinDays)} end as chargeback_sec,
  coalesce(${programProductLineSql(d, plan, 'program_id')}, ${categorical(d, u('product-line'), X.productLineMix)}) as product_line
from s`,
  );
  g.counters.gammaFallbacks += await countOf(g, `select count(*) as n from _syn_orders where spend_fallback`);
}

export async function insertOrders(g: Gen): Promise<void> {
  g.rows.orders += await insertLanding(
    g.wh,
    g.run,
    'orders',
    {
      order_id: orderIdSql('rn'),
      customer_id: 'customer_id',
      program_id: 'program_id',
      ordered_at: ts('ordered_sec'),
      currency: 'currency',
      gross_minor: 'gross',
      discount_minor: 'discount',
      tax_minor: 'tax',
      refunded_minor: 'refunded',
      refunded_at: ts('refunded_sec'),
      status: 'status',
      chargeback_at: ts('chargeback_sec'),
      referral_code: 'case when k = 0 then referred_by_code end',
      payment_fingerprint: 'payment_fp',
      region: 'region',
      product_line: 'product_line',
    },
    'rn',
    '_syn_orders',
  );
}
