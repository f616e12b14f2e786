import { FRAUD_RING_SIZE, syntheticFraudRing } from '../../../ingest/synthetic/fraud-ring.js';
import { syntheticBatchId, syntheticOptionsFor, syntheticOptionsSchema } from '../../../ingest/synthetic/options.js';
import { defineModel, type ModelContext } from '../../../src/models/define-model.js';
import { REVIEW_DECISIONS_TABLE } from '../../../src/operational-tables.js';
import type { ColumnDef } from '../../../src/warehouse/dialect.js';
import { FRAUD_RULES, fraudConfig, fraudRuleVersion } from './config-schema.js';

const LABELS = 'fraud_backtest__ring';
const LABEL_COLUMNS: ColumnDef[] = [{ name: 'referee_id', type: 'string' }];

/**
 * Which referrals are known fraud, and where that knowledge comes from:
 * - 'synthetic_ring': the synthetic customers landed are exactly one demo batch whose batch id equals the one the
 *   config's demo options (config.demo seed/start/months, config.programs, the landed synthetic customer count)
 *   would give; then the planted ring (`syntheticFraudRing`) is the complete truth for the synthetic referees:
 *   their referrals are fraud when the referee is in the ring, else not. Referrals of customers landed from other
 *   sources are left out (nothing is known about them).
 * - 'review_decisions': otherwise, reviewers' latest decision per referral: reject = fraud, approve = not fraud;
 *   undecided referrals are left out of the counts.
 * Returns the ring's referee ids for the first case (written to a scratch table by the caller).
 */
export async function backtestLabelSource(
  ctx: Pick<ModelContext, 'wh' | 'config' | 'source'>,
): Promise<{ source: 'synthetic_ring'; refereeIds: string[] } | { source: 'review_decisions' }> {
  const { wh, config } = ctx;
  const batches = await wh.query<{ batch_id: string; n: number }>(`
    select max(_batch_id) as batch_id, count(*) as n
    from ${ctx.source('customers')}
    where _source = 'synthetic'
    having count(distinct _batch_id) = 1`);
  const b = batches[0];
  if (!b) return { source: 'review_decisions' };
  const options = syntheticOptionsSchema.safeParse(syntheticOptionsFor(config, Number(b.n), config.demo.seed));
  if (!options.success || syntheticBatchId(options.data) !== b.batch_id) return { source: 'review_decisions' };
  if (options.data.customers <= FRAUD_RING_SIZE) return { source: 'review_decisions' };
  return { source: 'synthetic_ring', refereeIds: syntheticFraudRing(options.data).refereeIds };
}

/**
 * Fraud backtest: how well each rule and the combined score (fraud_scores.flagged) find known fraud. On the
 * synthetic demo the truth is the planted ring (complete labels); on real data it is the reviewers' decisions
 * (see `backtestLabelSource`). Counts are of referrals: flagged = referrals the rule fired on among the labelled
 * ones, true_positives = of those labelled fraud, false_negatives = fraud the rule missed.
 */
export const fraudBacktestModel = defineModel({
  name: 'fraud_backtest',
  grain: 'one row per fraud rule (FRAUD_RULES order) plus a last row for the combined score',
  dependsOn: ['stg_referrals', 'fraud_flags', 'fraud_scores'],
  columns: {
    rule: "a fraud_flags rule, or 'combined' (fraud_scores.flagged)",
    rule_version: 'the fraud rule version the flags were raised under',
    label_source: "'synthetic_ring' (the demo's planted ring, complete) | 'review_decisions' (decided referrals only)",
    labeled: 'referrals with a label (synthetic_ring: every referral of a synthetic referee)',
    labeled_fraud: 'labelled referrals that are fraud',
    flagged: 'labelled referrals the rule flagged',
    true_positives: 'flagged and fraud',
    false_positives: 'flagged and not fraud',
    false_negatives: 'fraud and not flagged',
    precision: 'true_positives / flagged (NULL when nothing flagged)',
    recall: 'true_positives / labeled_fraud (NULL when no fraud is labelled)',
  },
  async build(ctx) {
    const { wh, d, config, self } = ctx;
    const version = fraudRuleVersion(fraudConfig(config));
    const schema = config.schemas.analytics;
    const ring = d.tableRef(schema, LABELS);
    const label = await backtestLabelSource(ctx);
    const decisions = d.tableRef(schema, REVIEW_DECISIONS_TABLE);
    try {
      let labels: string;
      if (label.source === 'synthetic_ring') {
        await wh.exec(`drop table if exists ${ring}`);
        await wh.exec(d.createTableIfNotExists(ring, LABEL_COLUMNS));
        await wh.appendRows(
          schema,
          LABELS,
          LABEL_COLUMNS,
          label.refereeIds.map((id) => [id]),
        );
        labels = `select r.referral_id, l.referee_id is not null as is_fraud
  from ${ctx.ref('stg_referrals')} r
  join (select distinct customer_id from ${ctx.source('customers')} where _source = 'synthetic') syn
    on syn.customer_id = r.referee_id
  left join ${ring} l on l.referee_id = r.referee_id`;
      } else {
        labels = `select referral_id, decision = 'reject' as is_fraud from (
    select referral_id, decision from ${decisions}
    ${d.qualify('row_number() over (partition by referral_id order by decided_at desc, decision_id desc) = 1', false)}
  ) x`;
      }
      const rules = [...FRAUD_RULES, 'combined']
        .map((r, i) => `select ${d.stringLiteral(r)} as rule, ${i} as ord`)
        .join('\n  union all\n  ');
      await wh.exec(
        d.createTableAs(
          self,
          `
with labels as (
  ${labels}
),
rules as (
  ${rules}
),
fired as (
  select distinct rule, referral_id from ${ctx.ref('fraud_flags')}
  union all
  select 'combined' as rule, referral_id from ${ctx.ref('fraud_scores')} where flagged
),
totals as (
  select count(*) as labeled, coalesce(sum(case when is_fraud then 1 else 0 end), 0) as labeled_fraud from labels
),
counts as (
  select f.rule, count(*) as flagged, sum(case when l.is_fraud then 1 else 0 end) as tp
  from fired f join labels l on l.referral_id = f.referral_id
  group by f.rule
)
select
  ru.rule,
  ${d.stringLiteral(version)} as rule_version,
  ${d.stringLiteral(label.source)} as label_source,
  t.labeled,
  t.labeled_fraud,
  coalesce(c.flagged, 0) as flagged,
  coalesce(c.tp, 0) as true_positives,
  coalesce(c.flagged, 0) - coalesce(c.tp, 0) as false_positives,
  t.labeled_fraud - coalesce(c.tp, 0) as false_negatives,
  ${d.safeDivide(d.cast('c.tp', 'float64'), 'c.flagged')} as precision,
  ${d.safeDivide(d.cast('coalesce(c.tp, 0)', 'float64'), 't.labeled_fraud')} as recall
from rules ru
cross join totals t
left join counts c on c.rule = ru.rule
order by ru.ord`,
        ),
      );
    } finally {
      await wh.exec(`drop table if exists ${ring}`);
    }
  },
});
