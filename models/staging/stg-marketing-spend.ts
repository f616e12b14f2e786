import { defineModel } from '../../src/models/define-model.js';
import { fxIntervalsSql } from './fx.js';

/**
 * Marketing spend per month, program and channel group in the reporting currency, for CAC of paid channels
 * (program_roi).
 *
 * Versions: raw.marketing_spend has no key (an export carries several lines per month and channel: campaigns,
 * regions, ad sets; they add up). A re-export of a month replaces it: for each source, program and month only
 * the lines of the most recently landed batch holding that month count (by _loaded_at, then _batch_id).
 *
 * FX: the lines of a month and currency are summed, then converted once at the rate in effect on the month's
 * first day (raw.fx_rates, else config fxRates, via fx.ts, as stg_orders does per order date), exactly (decimal
 * rate, rounded half away from zero). Spend in a currency with no rate fails the model, naming currency and months.
 */
export const stgMarketingSpend = defineModel({
  name: 'stg_marketing_spend',
  grain: 'one row per month, program, channel group and source currency',
  dependsOn: [],
  columns: {
    month: 'first day of the calendar month (UTC) the spend is for',
    program_id: "program the spend belongs to ('all' when not program-specific)",
    channel_group: 'GA4 default channel group as landed, trimmed (e.g. Paid Search, Paid Social)',
    spend_minor: 'spend in reporting-currency minor units',
    currency: 'the reporting currency',
    source_currency: 'ISO 4217 code the spend was landed in (upper-cased)',
    source_spend_minor: 'spend in source-currency minor units (sum of the landed lines)',
    fx_rate: "reporting-currency units per unit of source_currency used ('1' for the same currency)",
    fx_source: "'fx_rates' (raw.fx_rates), 'config' (fxRates) or 'same_currency'",
    lines: 'landed lines summed into the row (campaigns, regions, ad sets)',
  },
  async build({ d, source, config, wh }) {
    const reporting = config.reportingCurrency;
    const raw = source('marketing_spend');
    const codes = await wh.query<{ currency: string }>(
      `select distinct upper(trim(currency)) as currency from ${raw} order by 1`,
    );
    const fx = fxIntervalsSql(
      d,
      config,
      source('fx_rates'),
      codes.map((c) => c.currency),
    );
    const month = d.dateTrunc('month', 'm.month');
    const latest = `
      select m.*, upper(trim(m.currency)) as currency_code, ${d.cast(month, 'date')} as spend_month
      from ${raw} m
      ${d.qualify(
        `dense_rank() over (partition by m._source, m.program_id, ${month} order by m._loaded_at desc, m._batch_id desc) = 1`,
        false,
      )}`;
    const grouped = `
      select spend_month, trim(program_id) as program_id, trim(channel_group) as channel_group,
        currency_code, cast(sum(spend_minor) as bigint) as source_spend_minor, count(*) as lines
      from (${latest}) l group by 1, 2, 3, 4`;
    const onRate = `fx.currency = g.currency_code and (fx.valid_from is null or fx.valid_from <= g.spend_month)
      and (fx.valid_to is null or g.spend_month < fx.valid_to)`;
    const missing = await wh.query<{ currency: string; months: string }>(`
      with fx as (${fx}), g as (${grouped})
      select g.currency_code as currency,
        ${d.cast('min(g.spend_month)', 'string')} || '..' || ${d.cast('max(g.spend_month)', 'string')} as months
      from g left join fx on ${onRate}
      where fx.currency is null group by 1 order by 1`);
    if (missing.length > 0) {
      const list = missing.map((m) => `${m.currency} (months ${m.months})`).join(', ');
      throw new Error(
        `stg_marketing_spend: no FX rate to ${reporting} for ${list}; add them under fxRates in the config, ` +
          `or land raw.fx_rates rows dated on or before the first day of those months`,
      );
    }
    return `
with fx as (${fx}), g as (${grouped})
select
  g.spend_month as month,
  g.program_id,
  g.channel_group,
  cast(round(cast(g.source_spend_minor as decimal(18,0)) * fx.factor) as bigint) as spend_minor,
  ${d.stringLiteral(reporting)} as currency,
  g.currency_code as source_currency,
  g.source_spend_minor,
  fx.rate as fx_rate,
  fx.fx_source,
  g.lines
from g join fx on ${onRate}
`;
  },
});
