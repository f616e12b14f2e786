import { defineModel } from '../../../src/models/define-model.js';
import { REVIEW_DECISIONS_TABLE } from '../../../src/operational-tables.js';
import { fraudConfig } from './config-schema.js';

/** Reasons a referral is queued, in the order they are listed in queue_reasons. */
export const QUEUE_REASONS = ['fraud_score', 'high_value', 'random_audit'] as const;

/**
 * The human review queue: referrals a person must approve or reject before their rewards are paid. A referral is
 * queued when fraud_scores flags it (reason 'fraud_score') or when its qualifying (first) order's commission base
 * (stg_orders.net_reporting_minor) is at or above fraud.highValueThresholdMinor ('high_value'). Its status is the
 * latest row for it in the operational table review_decisions (`refstack review decide`), else 'pending'. The
 * reward ledger reads this table (held while pending, voided or clawed back when rejected, released when
 * approved), so this model must never read the ledger.
 *
 * With `auditSample`, a referral drawn into activation_audit_sample (a seeded random audit, stratified by order
 * size) is queued too ('random_audit').
 *
 * queued_at is when the data put it there (the fraud evidence, the order, the audit draw's sampled_at), never the
 * run time: the earliest of the reasons' times.
 */
export function reviewQueueModel(options: { auditSample: boolean }) {
  const audit = options.auditSample;
  return defineModel({
    name: 'review_queue',
    grain: audit
      ? 'one row per referral flagged by fraud_scores, with a high-value qualifying order, or in activation_audit_sample'
      : 'one row per referral that is flagged by fraud_scores or whose qualifying order is high-value',
    dependsOn: audit
      ? ['fraud_scores', 'stg_referrals', 'stg_orders', 'activation_audit_sample']
      : ['fraud_scores', 'stg_referrals', 'stg_orders'],
    columns: {
      referral_id: 'stg_referrals.referral_id',
      program_id: 'referral program',
      advocate_id: 'the referring customer',
      referee_id: 'the referred customer',
      queue_reasons: "why it is queued, comma-separated: 'fraud_score', 'high_value', 'random_audit' (in that order)",
      fraud_score: 'fraud_scores.score when flagged, else NULL',
      rules_fired: 'fraud_scores.rules_fired (comma-separated fraud rules; empty when none fired)',
      fraud_rule_version: 'fraud rule version of the score',
      order_id: 'the qualifying (first) order, NULL when the referee has not ordered',
      order_base_minor:
        "the qualifying order's commission base (gross - discount - tax, before refunds), reporting-currency minor units",
      currency: 'currency of order_base_minor (the reporting currency)',
      queued_at: 'when it entered the queue: earliest of the fraud evidence, high-value order and audit draw times',
      status: "'pending' | 'approved' | 'rejected': the latest review_decisions row for the referral decides",
      decided_by: 'who made the latest decision (NULL while pending)',
      decided_at: 'when (NULL while pending)',
      note: "the reviewer's note (NULL while pending)",
    },
    build: ({ d, ref, config }) => {
      const cfg = fraudConfig(config);
      const decisions = d.tableRef(config.schemas.analytics, REVIEW_DECISIONS_TABLE);
      const highValue = `coalesce(o.base_reporting_minor >= ${cfg.highValueThresholdMinor}, false)`;
      const sampledAt = audit ? 'au.sampled_at' : d.cast('null', 'timestamp');
      const reasonTimes = [
        'case when c.flagged then c.last_evidence_at end',
        'case when c.is_high_value then c.ordered_at end',
        'c.sampled_at',
      ];
      return `
with latest as (
  select referral_id, decision, decided_by, decided_at, note
  from ${decisions}
  ${d.qualify('row_number() over (partition by referral_id order by decided_at desc, decision_id desc) = 1', false)}
),
candidates as (
  select
    r.referral_id, r.program_id, r.advocate_id, r.referee_id,
    s.flagged, s.score, s.rules_fired, s.rule_version, s.last_evidence_at,
    o.order_id, o.base_reporting_minor, o.ordered_at,
    ${highValue} as is_high_value,
    ${sampledAt} as sampled_at
  from ${ref('stg_referrals')} r
  join ${ref('fraud_scores')} s on s.referral_id = r.referral_id
  left join ${ref('stg_orders')} o on o.order_id = r.first_order_id
  ${audit ? `left join ${ref('activation_audit_sample')} au on au.referral_id = r.referral_id` : ''}
)
select
  c.referral_id,
  c.program_id,
  c.advocate_id,
  c.referee_id,
  ${d.concatWs("','", [
    "case when c.flagged then 'fraud_score' end",
    "case when c.is_high_value then 'high_value' end",
    "case when c.sampled_at is not null then 'random_audit' end",
  ])} as queue_reasons,
  case when c.flagged then c.score end as fraud_score,
  c.rules_fired,
  c.rule_version as fraud_rule_version,
  c.order_id,
  c.base_reporting_minor as order_base_minor,
  ${d.stringLiteral(config.reportingCurrency)} as currency,
  ${earliest(reasonTimes)} as queued_at,
  case l.decision when 'approve' then 'approved' when 'reject' then 'rejected' else 'pending' end as status,
  l.decided_by,
  l.decided_at,
  l.note
from candidates c
left join latest l on l.referral_id = c.referral_id
where c.flagged or c.is_high_value or c.sampled_at is not null
order by c.referral_id`;
    },
  });
}

/** SQL: the earliest non-NULL of the expressions (NULL when all are), without relying on least()'s NULL rules. */
function earliest(exprs: string[]): string {
  return exprs.reduce(
    (acc, e) => `case when ${acc} is null or ${e} < ${acc} then coalesce(${e}, ${acc}) else ${acc} end`,
  );
}

/** The queue without the random audit: registered until activation_audit_sample is. */
export const reviewQueue = reviewQueueModel({ auditSample: false });
/** The queue with the random audit (needs activation_audit_sample registered). */
export const reviewQueueWithAudit = reviewQueueModel({ auditSample: true });
