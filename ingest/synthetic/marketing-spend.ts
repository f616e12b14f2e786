/**
 * raw.marketing_spend: monthly spend per program, paid channel group and currency, proportional to the paid
 * customers the generator acquired: for each (program, sign-up month, paid channel, region currency) the count
 * of non-referred customers whose acquisition channel (last touch before sign-up) is that channel, times the
 * planted CAC (SYNTHETIC_TRUTHS.marketingSpend, US cents, converted to the currency at usdPerUnit), times a
 * seeded factor U(1 - noise, 1 + noise). Months without paid customers have no spend row. One line per row
 * (campaign and region NULL).
 */
import { SYNTHETIC_TRUTHS as X } from './params.js';
import { caseOf, insertLanding } from './sql.js';
import type { Gen } from './stage.js';

export async function insertMarketingSpend(g: Gen): Promise<void> {
  const { d, rng, run } = g;
  const ms = X.marketingSpend;
  const channels = Object.keys(ms.cacUsdMinor) as (keyof typeof ms.cacUsdMinor)[];
  const lit = d.stringLiteral;
  const cac = caseOf(d, 'channel', Object.fromEntries(channels.map((c) => [c, String(ms.cacUsdMinor[c])])));
  const usdPerUnit = caseOf(
    d,
    'currency',
    Object.fromEntries(Object.entries(X.usdPerUnit).map(([code, rate]) => [code, `cast(${lit(rate)} as double)`])),
  );
  const group = caseOf(d, 'channel', Object.fromEntries(channels.map((c) => [c, lit(ms.channelGroup[c])])));
  const month = d.cast(d.dateTrunc('month', `make_timestamp(cast(created_sec as bigint) * 1000000)`), 'date');
  const factor = `(1 - ${ms.noise} + 2 * ${ms.noise} * ${rng.u(['program_id', 'channel', 'currency', 'month_key'], 'marketing-spend')})`;
  const from = `(
  select *, row_number() over (order by month, program_id, channel, currency) as rn
  from (
    select program_id, acq_channel as channel, currency, ${month} as month,
      ${d.cast(month, 'string')} as month_key, count(*) as customers
    from _syn_cust
    where grp = 'non_referred' and acq_channel in (${channels.map(lit).join(', ')})
    group by 1, 2, 3, 4, 5
  ) a
) spend`;
  g.rows.marketing_spend += await insertLanding(
    g.wh,
    run,
    'marketing_spend',
    {
      program_id: 'program_id',
      month: 'month',
      channel_group: group,
      campaign: 'null',
      region: 'null',
      currency: 'currency',
      spend_minor: `cast(round(customers * ${cac} / ${usdPerUnit} * ${factor}) as bigint)`,
    },
    'rn',
    from,
  );
}
