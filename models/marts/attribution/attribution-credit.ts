import type { ColumnDef } from '../../../src/warehouse/dialect.js';
import { defineModel } from '../../../src/models/define-model.js';
import { attributionConfig, ruleVersion } from './config-schema.js';
import { creditRowsSql, revenueSplitSql } from './credit-sql.js';

export const CREDIT_COLUMNS: ColumnDef[] = [
  { name: 'rule_version', type: 'string' },
  { name: 'decided_at', type: 'timestamp' },
  { name: 'model', type: 'string' },
  { name: 'order_id', type: 'string' },
  { name: 'person_id', type: 'string' },
  { name: 'program_id', type: 'string' },
  { name: 'converted_at', type: 'timestamp' },
  { name: 'conversion_date', type: 'date' },
  { name: 'touch_id', type: 'string' },
  { name: 'touch_occurred_at', type: 'timestamp' },
  { name: 'channel', type: 'string' },
  { name: 'campaign', type: 'string' },
  { name: 'advocate_id', type: 'string' },
  { name: 'credit', type: 'float64' },
  { name: 'revenue_credit_minor', type: 'int64' },
  { name: 'currency', type: 'string' },
  { name: 'reason_code', type: 'string' },
];

/**
 * Attribution credit per conversion, touch and model (rules in `credit-sql.ts`), with the conversion's revenue
 * split exactly into integer minor units.
 *
 * Append-only per rule version: the model creates the table if missing, deletes the rows of the current rule
 * version and inserts them again, in one transaction; rows decided under other rule versions are never touched.
 * So changing the rule set (a new `rule_version`) keeps earlier decisions as they were, and rebuilding under the
 * same rule set is idempotent. `decided_at` is the run time, or `attribution.decidedAt` when configured (tests,
 * backfills); it is the one column that differs between two runs on the same data.
 */
export const attributionCredit = defineModel({
  name: 'attribution_credit',
  grain: 'one row per rule version, conversion, attribution model and credited touch',
  dependsOn: ['attribution_conversions', 'attribution_journeys', 'attribution_channel_weights'],
  columns: {
    rule_version: 'attribution rule version the row was decided under (config-schema.ts ruleVersion)',
    decided_at: 'when the row was decided (run time, or attribution.decidedAt)',
    model: 'first_touch | last_touch | last_non_direct | linear | position_based | time_decay | markov | shapley',
    order_id: 'the conversion',
    person_id: 'the converting person',
    program_id: 'referral program of the order',
    converted_at: 'order time (UTC)',
    conversion_date: 'date of converted_at',
    touch_id: 'the credited touch; NULL for a redeemed referral code or no eligible touch',
    touch_occurred_at: 'time of the touch',
    channel: "channel group of the touch; 'Referral Program' for a redeemed code; 'Unattributed' without touches",
    campaign: 'utm_campaign of the touch',
    advocate_id: "the referral code's owner (touch ?ref= code, or the code redeemed at checkout)",
    credit: 'share of the conversion in [0, 1]; per conversion and model the credits sum to 1',
    revenue_credit_minor: "integer share of the order's net revenue; per conversion and model these sum to it",
    currency: 'reporting currency of revenue_credit_minor',
    reason_code: 'why the touch got this credit (credit-sql.ts)',
  },
  build: async ({ d, wh, ref, self, config }) => {
    const cfg = attributionConfig(config);
    const version = ruleVersion(cfg.ruleSet);
    const tables = {
      conversions: ref('attribution_conversions'),
      journeys: ref('attribution_journeys'),
      weights: ref('attribution_channel_weights'),
    };
    const rows = revenueSplitSql(d, creditRowsSql(d, cfg.ruleSet, tables), tables);
    const names = CREDIT_COLUMNS.map((c) => d.quoteIdent(c.name)).join(', ');
    const decidedAt = cfg.decidedAt ? new Date(cfg.decidedAt) : new Date();
    await wh.exec(d.createTableIfNotExists(self, CREDIT_COLUMNS));
    await wh.transaction(async () => {
      await wh.execute(`delete from ${self} where rule_version = ${d.param('rule_version')}`, {
        rule_version: version,
      });
      await wh.execute(
        `insert into ${self} (${names})
select ${d.param('rule_version')}, ${d.param('decided_at')}, model, order_id, person_id, program_id, converted_at,
  conversion_date, touch_id, touch_occurred_at, channel, campaign, advocate_id, credit, revenue_credit_minor,
  currency, reason_code
from (${rows}) r
order by order_id, model, touch_occurred_at, touch_id`,
        { rule_version: version, decided_at: decidedAt },
      );
    });
  },
});
