/**
 * activation_audit_sample: a random audit sample of converted referrals for manual review, stratified by the size of
 * the qualifying order's commission base (stg_referrals.first_order_net_reporting_minor, the reporting-currency net
 * of the referee's first order; read from staging, not the ledger, because the ledger reads the review queue this
 * sample feeds). In each stratum a referral is sampled when its draw u < rate, and the `minPerStratum` smallest
 * draws are always sampled, so even a small stratum of large rewards gets audited. The draw is a seeded hash of the
 * referral id (dialect hashUniform, no random()), so a rerun samples the same referrals and a referral, once
 * sampled, stays sampled while the seed, the rate and its stratum stay the same.
 */
import { defineModel } from '../../../src/models/define-model.js';
import { activationConfig } from './config-schema.js';

export const activationAuditSample = defineModel({
  name: 'activation_audit_sample',
  grain: 'one row per converted referral drawn into the audit sample',
  dependsOn: ['stg_referrals'],
  columns: {
    referral_id: 'stg_referrals.referral_id',
    program_id: 'referral program',
    stratum: "commission-base stratum, e.g. '1: under 5000', '2: 5000 to 19999', '3: 20000 and up' (minor units)",
    order_base_minor: "the qualifying order's commission base, reporting-currency minor units",
    currency: 'reporting currency',
    draw: 'the seeded uniform draw in [0, 1) that decided the sample',
    sample_reason: "'rate' (draw < rate) | 'stratum_minimum' (among the stratum's smallest draws)",
    sampled_at: 'when the referral became auditable: its conversion time (deterministic)',
  },
  build: ({ d, config, ref }) => {
    const cfg = activationConfig(config).auditSample;
    const bounds = [...new Set(cfg.strataBoundsMinor)].sort((a, b) => a - b);
    const labels = bounds.map(
      (b, i) => `${i + 1}: ${i === 0 ? 'under' : `${bounds[i - 1]} to`} ${i === 0 ? b : b - 1}`,
    );
    labels.push(`${bounds.length + 1}: ${bounds.length ? `${bounds[bounds.length - 1]} and up` : 'all'}`);
    const stratum =
      bounds.length === 0
        ? d.stringLiteral(labels[0]!)
        : `case ${bounds.map((b, i) => `when base < ${b} then ${d.stringLiteral(labels[i]!)}`).join(' ')} else ${d.stringLiteral(labels[bounds.length]!)} end`;
    return `
with converted as (
  select referral_id, program_id, converted_at, coalesce(first_order_net_reporting_minor, 0) as base,
    ${d.hashUniform([d.stringLiteral(cfg.seed), 'referral_id'])} as draw
  from ${ref('stg_referrals')}
  where is_converted
),
ranked as (
  select referral_id, program_id, converted_at, base, draw, ${stratum} as stratum,
    row_number() over (partition by ${stratum} order by draw, referral_id) as draw_rank
  from converted
)
select referral_id, program_id, stratum, ${d.cast('base', 'int64')} as order_base_minor,
  ${d.stringLiteral(config.reportingCurrency)} as currency, draw,
  case when draw < ${cfg.rate} then 'rate' else 'stratum_minimum' end as sample_reason, converted_at as sampled_at
from ranked
where ${cfg.rate > 0 ? `draw < ${cfg.rate} or draw_rank <= ${cfg.minPerStratum}` : 'false'}`;
  },
});
