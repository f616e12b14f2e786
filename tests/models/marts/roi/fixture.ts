/**
 * Literal stand-ins for the tables the ROI marts read (only the columns they use), so the marts' arithmetic is
 * tested on hand-sized inputs without running the ledger or attribution. Scenario (program friends, March 2025):
 * advocate C1 refers C2 (converts 03-03), C3 (signs up in March, converts 04-10), C4 (never converts) and
 * himself (C1, a self-referral, left out); non-referred C10 (Paid Search), C11 (Paid Social), C12 (Email) in
 * friends and C13 (Paid Search) in partners sign up in March.
 */
import type { ModelContext } from '../../../../src/models/define-model.js';
import type { RefstackConfig } from '../../../../src/config.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';

export function contextFor(wh: Warehouse, config: RefstackConfig, self: string): ModelContext {
  const d = wh.dialect;
  const schema = config.schemas.analytics;
  return {
    wh,
    d,
    config,
    self: d.tableRef(schema, self),
    ref: (n) => d.tableRef(schema, n),
    source: (t) => d.tableRef(config.schemas.raw, t),
  };
}

const TABLES = (ruleVersion: string): Record<string, string> => ({
  stg_referrals: `select * from (values
    ('friends', 'C2', 'C1', timestamp '2025-03-02 10:00:00', timestamp '2025-03-03 10:00:00', true, false),
    ('friends', 'C3', 'C1', timestamp '2025-03-05 10:00:00', timestamp '2025-04-10 10:00:00', true, false),
    ('friends', 'C4', 'C1', timestamp '2025-03-07 10:00:00', cast(null as timestamp), false, false),
    ('friends', 'C1', 'C1', timestamp '2025-03-08 10:00:00', timestamp '2025-03-09 10:00:00', true, true)
  ) t(program_id, referee_id, advocate_id, signed_up_at, converted_at, is_converted, is_self_referral)`,
  stg_referral_events: `select * from (values
    ('friends', 'invited', timestamp '2025-03-01 00:00:00'), ('friends', 'invited', timestamp '2025-03-04 00:00:00'),
    ('friends', 'invited', timestamp '2025-03-06 00:00:00'), ('friends', 'invited', timestamp '2025-03-31 23:59:59'),
    ('friends', 'clicked', timestamp '2025-03-02 09:00:00'), ('friends', 'invited', timestamp '2025-04-01 00:00:00')
  ) t(program_id, event_type, occurred_at)`,
  reward_ledger: `select * from (values
    ('friends', 'C1', 'R1', 'accrued', 1000, 'cash', date '2025-03-03'),
    ('friends', 'C1', 'R1', 'capped', -200, 'cash', date '2025-03-03'),
    ('friends', 'C1', 'R1', 'approved', 800, 'cash', date '2025-04-02'),
    ('friends', 'C1', 'R1', 'accrued', 500, 'non_cash', date '2025-03-03'),
    ('friends', 'C1', 'R2', 'accrued', 1000, 'cash', date '2025-04-10'),
    ('friends', 'C1', 'R2', 'voided', -1000, 'cash', date '2025-04-20'),
    ('partners', 'C20', 'R9', 'accrued', 700, 'cash', date '2025-03-20')
  ) t(program_id, advocate_id, referral_id, entry_type, amount_minor, reward_kind, effective_at)`,
  attribution_summary: `select * from (values
    ('friends', 'last_touch', 'Referral Program', date '2025-03-01', 5200),
    ('friends', 'last_touch', 'Paid Search', date '2025-03-01', 9999),
    ('friends', 'first_touch', 'Referral Program', date '2025-03-01', 7777),
    ('friends', 'last_touch', 'Referral Program', date '2025-04-01', 3000)
  ) t(program_id, model, channel, month, revenue_minor)`,
  attribution_credit: `select * from (values
    ('${ruleVersion}', 'linear', 'friends', 'O10', date '2025-03-10', 'Paid Search', 0.5, null, 0),
    ('${ruleVersion}', 'linear', 'friends', 'O10', date '2025-03-10', 'Email', 0.5, null, 0),
    ('${ruleVersion}', 'linear', 'friends', 'O11', date '2025-03-12', 'Paid Social', 1.0, null, 0),
    ('${ruleVersion}', 'linear', 'friends', 'O12', date '2025-03-20', 'Paid Search', 1.0, null, 0),
    ('${ruleVersion}', 'last_touch', 'friends', 'O2', date '2025-03-03', 'Referral Program', 1.0, 'C1', 2000),
    ('${ruleVersion}', 'last_touch', 'friends', 'O3', date '2025-04-10', 'Referral Program', 1.0, 'C1', 3200),
    ('old-version', 'last_touch', 'friends', 'O3', date '2025-04-10', 'Referral Program', 1.0, 'C1', 99999),
    ('${ruleVersion}', 'first_touch', 'friends', 'O3', date '2025-04-10', 'Referral Program', 1.0, 'C1', 88888)
  ) t(rule_version, model, program_id, order_id, conversion_date, channel, credit, advocate_id, revenue_credit_minor)`,
  attribution_conversions: `select * from (values ('O10', 1), ('O11', 1), ('O12', 2), ('O2', 1), ('O3', 1))
    t(order_id, person_order_seq)`,
  stg_customers: `select * from (values
    ('C2', 'P2', 'friends', timestamp '2025-03-02 10:00:00', true),
    ('C3', 'P3', 'friends', timestamp '2025-03-05 10:00:00', true),
    ('C10', 'P10', 'friends', timestamp '2025-03-10 10:00:00', false),
    ('C11', 'P11', 'friends', timestamp '2025-03-12 10:00:00', false),
    ('C12', 'P12', 'friends', timestamp '2025-03-15 10:00:00', false),
    ('C13', 'P13', 'partners', timestamp '2025-03-20 10:00:00', false)
  ) t(customer_id, person_id, program_id, created_at, is_referred)`,
  stg_touches: `select * from (values
    ('T1', 'P10', timestamp '2025-03-01 10:00:00', 'Email'),
    ('T2', 'P10', timestamp '2025-03-09 10:00:00', 'Paid Search'),
    ('T3', 'P11', timestamp '2025-03-12 00:00:00', 'Paid Social'),
    ('T4', 'P11', timestamp '2025-03-13 00:00:00', 'Paid Search'),
    ('T5', 'P12', timestamp '2025-03-14 00:00:00', 'Email'),
    ('T6', 'P13', timestamp '2025-03-20 09:00:00', 'Paid Search'),
    ('T7', 'P2', timestamp '2025-03-02 09:00:00', 'Referral Program')
  ) t(touch_id, person_id, occurred_at, channel_group)`,
  stg_orders: `select * from (values
    ('C2', timestamp '2025-03-03 10:00:00', 1000, 'paid'),
    ('C2', timestamp '2025-03-20 10:00:00', 9999, 'unpaid'),
    ('C2', timestamp '2025-04-15 10:00:00', 500, 'paid'),
    ('C2', timestamp '2025-05-20 10:00:00', 400, 'paid'),
    ('C3', timestamp '2025-04-10 10:00:00', 3200, 'paid')
  ) t(customer_id, ordered_at, net_reporting_minor, status)`,
  stg_marketing_spend: `select * from (values
    (date '2025-03-01', 'friends', 'Paid Search', 4500),
    (date '2025-03-01', 'friends', 'Paid Social', 6000),
    (date '2025-03-01', 'all', 'Paid Search', 3000)
  ) t(month, program_id, channel_group, spend_minor)`,
  customer_ltv: `select * from (values ('P2', 2600), ('P3', 4000), ('P10', 123456)) t(person_id, predicted_clv_minor)`,
  referral_growth: `select * from (values ('friends', date '2025-03-01', 0.75, 0.1)) t(program_id, cohort_month, k_factor, referral_velocity)`,
});

/** Creates every stand-in table in the analytics schema. */
export async function landRoiInputs(wh: Warehouse, config: RefstackConfig, ruleVersion: string): Promise<void> {
  const d = wh.dialect;
  await wh.exec(`create schema if not exists ${d.quoteIdent(config.schemas.analytics)}`);
  for (const [name, select] of Object.entries(TABLES(ruleVersion)))
    await wh.exec(`create or replace table ${d.tableRef(config.schemas.analytics, name)} as ${select}`);
}
