import { defineModel, type ModelContext } from '../../../src/models/define-model.js';
import {
  velocityCellsSql,
  burstCellsSql,
  velocitySql,
  signupBurstSql,
  purchaseVerificationSql,
} from './activity-rules-sql.js';
import { fraudConfig, fraudRuleVersion, type FraudRules } from './config-schema.js';
import {
  disposableEmailSql,
  referralRingSql,
  referralsCte,
  selfReferralSql,
  sharedSignupSql,
} from './identity-rules-sql.js';
import { robustThresholds, writeThresholds } from './robust-thresholds.js';

const SCRATCH = [
  'fraud_flags__velocity_cells',
  'fraud_flags__velocity_thresholds',
  'fraud_flags__burst_cells',
  'fraud_flags__burst_thresholds',
];

/**
 * Fraud flags: every rule that fired on a referral, with its score, weight and the concrete evidence, under the
 * configured rule version (config `fraud`, models/marts/fraud/config-schema.ts). Rules: self_referral, shared_ip,
 * shared_device, velocity, purchase_verification, disposable_email, signup_burst, referral_ring; a disabled rule
 * writes no rows. `flagged_at` is when the evidence existed (the referee's sign-up, the matching order, the
 * refund or chargeback), never the run time, so reruns on the same data give the same table.
 *
 * velocity and signup_burst count events per cell in SQL, pull the frequency tables of the counts, and compute the
 * robust thresholds (median + k MAD) in TS (robust-thresholds.ts); the thresholds go back as scratch tables that
 * are dropped when the model finishes.
 */
export const fraudFlags = defineModel({
  name: 'fraud_flags',
  grain: 'one row per referral and fraud rule that fired on it',
  dependsOn: ['stg_referrals', 'stg_customers', 'stg_orders', 'referral_tree'],
  columns: {
    referral_id: 'stg_referrals.referral_id',
    program_id: 'referral program',
    advocate_id:
      'the referring customer (NULL when unknown; only purchase_verification and disposable_email fire then)',
    referee_id: 'the referred customer',
    rule: 'self_referral | shared_ip | shared_device | velocity | purchase_verification | disposable_email | signup_burst | referral_ring',
    rule_version: 'fraud rule version: <rules id>-<10 hex of sha256 of the canonical rules and threshold>',
    score: 'how strongly the rule fired, 0-1 (1 for yes/no rules; see config-schema.ts for graded rules)',
    weight: "the rule's configured weight, 0-1",
    evidence:
      'JSON object text with the concrete values (shared IP/device/fingerprint, counts and baseline, order ...)',
    flagged_at: 'when the evidence existed: sign-up, matching order, refund or chargeback time (UTC)',
  },
  async build(ctx) {
    const { wh, d, config, self } = ctx;
    const cfg = fraudConfig(config);
    const rules = cfg.rules;
    const version = fraudRuleVersion(cfg);
    const schema = config.schemas.analytics;
    const t = {
      referrals: ctx.ref('stg_referrals'),
      customers: ctx.ref('stg_customers'),
      orders: ctx.ref('stg_orders'),
      tree: ctx.ref('referral_tree'),
    };
    const scratch = (name: string) => d.tableRef(schema, name);
    try {
      const selects: string[] = [];
      if (rules.selfReferral.enabled) selects.push(selfReferralSql(d, rules));
      if (rules.sharedIp.enabled) selects.push(sharedSignupSql(d, rules, 'ip'));
      if (rules.sharedDevice.enabled) selects.push(sharedSignupSql(d, rules, 'device'));
      if (rules.velocity.enabled) selects.push(await velocity(ctx, rules, t.referrals, scratch));
      if (rules.purchaseVerification.enabled) selects.push(purchaseVerificationSql(d, rules, t.orders));
      const disposable = rules.disposableEmail.enabled ? disposableEmailSql(d, rules) : undefined;
      if (disposable) selects.push(disposable);
      if (rules.signupBurst.enabled) selects.push(await burst(ctx, rules, t.customers, scratch));
      if (rules.referralRing.enabled) selects.push(referralRingSql(d, rules, t.tree));
      const body = selects.length > 0 ? selects.join('\nunion all\n') : emptyFlagsSql(d);
      await wh.exec(
        d.createTableAs(
          self,
          `
with ${referralsCte(d, t)},
fired as (
${body}
)
select
  referral_id, program_id, advocate_id, referee_id, rule,
  ${d.stringLiteral(version)} as rule_version,
  ${d.cast('score', 'float64')} as score,
  ${d.cast('weight', 'float64')} as weight,
  evidence,
  flagged_at
from fired
order by referral_id, rule`,
        ),
      );
    } finally {
      for (const name of SCRATCH) await wh.exec(`drop table if exists ${scratch(name)}`);
    }
  },
});

async function velocity(ctx: ModelContext, rules: FraudRules, referrals: string, scratch: (n: string) => string) {
  const { wh, d, config } = ctx;
  const cells = scratch('fraud_flags__velocity_cells');
  await wh.exec(d.createTableAs(cells, velocityCellsSql(d, referrals)));
  const rows = await robustThresholds(wh, cells, {
    k: rules.velocity.k,
    floor: rules.velocity.minCount,
    entityMinBuckets: rules.velocity.advocateMinDays,
  });
  const thresholds = await writeThresholds(wh, config.schemas.analytics, 'fraud_flags__velocity_thresholds', rows);
  return velocitySql(d, rules, cells, thresholds);
}

async function burst(ctx: ModelContext, rules: FraudRules, customers: string, scratch: (n: string) => string) {
  const { wh, d, config } = ctx;
  const cells = scratch('fraud_flags__burst_cells');
  await wh.exec(d.createTableAs(cells, burstCellsSql(d, customers, rules)));
  const rows = await robustThresholds(wh, cells, {
    k: rules.signupBurst.k,
    floor: rules.signupBurst.minSignups,
    entityMinBuckets: rules.signupBurst.rangeMinWindows,
  });
  const thresholds = await writeThresholds(wh, config.schemas.analytics, 'fraud_flags__burst_thresholds', rows);
  return signupBurstSql(d, rules, cells, thresholds);
}

/** Every rule disabled: an empty table with the right columns. */
function emptyFlagsSql(d: ModelContext['d']): string {
  const s = (t: 'string' | 'float64' | 'timestamp') => d.cast('null', t);
  return `select ${s('string')} as referral_id, ${s('string')} as program_id, ${s('string')} as advocate_id,
  ${s('string')} as referee_id, ${s('string')} as rule, ${s('float64')} as weight, ${s('float64')} as score,
  ${s('string')} as evidence, ${s('timestamp')} as flagged_at
from refs where false`;
}
