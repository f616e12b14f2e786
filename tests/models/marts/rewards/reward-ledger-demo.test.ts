import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RefstackConfig } from '../../../../src/config.js';
import { runModels } from '../../../../src/models/runner.js';
import { demoConfig } from '../../../../src/pipeline.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { generateSynthetic, syntheticOptionsFor } from '../../../../ingest/synthetic/index.js';
import { memoryWarehouse } from '../../../helpers/landing.js';
import { registry } from './fixture.js';

/*
 * Invariants on the synthetic demo (3,000 customers, seed 42, 18 months from 2025-01-01) under the demo rules
 * (the rule sets in refstack.config.ts). These hold for any data: each is a property of the ledger, checked by an
 * independent query against the ledger or the staging tables.
 */
let wh: Warehouse;
let config: RefstackConfig;
const one = async (sql: string): Promise<Record<string, unknown>> => (await wh.query(sql))[0]!;
const fingerprint = () =>
  one(`select count(*) as n, sum(amount_minor) as total,
    md5(string_agg(ledger_entry_id || ':' || amount_minor || ':' || paid_delta_minor || ':' || reason, ','
      order by ledger_entry_id)) as digest
    from reward_ledger`);

beforeAll(async () => {
  wh = await memoryWarehouse();
  const base = demoConfig();
  await generateSynthetic(wh, syntheticOptionsFor(base, 3000, 42));
  // The demo config's rule sets (refstack.config.ts).
  config = base;
  await runModels({
    wh,
    config,
    registry: registry([], { realReviewQueue: true }),
    select: ['reward_liability', 'reward_liability_by_status', 'payout_batches'],
  });
}, 120_000);
afterAll(async () => {
  await wh?.close();
});

describe('reward_ledger on the demo data', () => {
  it('has rewards of every kind of decision, tier and milestone', async () => {
    const rows = await wh.query<{ entry_type: string; n: number }>(
      `select entry_type, count(*) as n from reward_ledger group by 1 order by 1`,
    );
    expect(rows.map((r) => r.entry_type)).toEqual([
      'accrued',
      'approved',
      'capped',
      'clawed_back',
      'held',
      'payout',
      'voided',
    ]);
    expect(rows.every((r) => r.n > 0)).toBe(true);
    const lines = await one(`select count(distinct tier) as tiers,
      sum(case when reward_line = 'milestone' then 1 else 0 end) as milestone_entries from reward_ledger`);
    expect(lines.tiers).toBeGreaterThanOrEqual(2);
    expect(lines.milestone_entries).toBeGreaterThan(0);
  });

  it('ledger sums equal the liability buckets', async () => {
    const fromLedger = await wh.query(`
      select program_id, sum(held_delta_minor) as held, sum(approved_delta_minor) as approved,
        sum(paid_delta_minor) as paid, sum(held_delta_minor) + sum(approved_delta_minor) as owed,
        -sum(case when entry_type = 'clawed_back' then amount_minor else 0 end) as clawed_back
      from reward_ledger group by 1 order by 1`);
    const fromLiability = await wh.query(`
      select program_id, held_minor as held, approved_unpaid_minor as approved, paid_minor as paid,
        aging_0_30_minor + aging_31_60_minor + aging_61_90_minor + aging_90_plus_minor as owed,
        clawed_back_minor as clawed_back
      from reward_liability order by 1`);
    expect(fromLiability).toEqual(fromLedger);
    const byStatus = await wh.query(`
      select program_id, sum(case when status = 'held' then amount_minor else 0 end) as held,
        sum(case when status = 'approved_unpaid' then amount_minor else 0 end) as approved
      from reward_liability_by_status group by 1 order by 1`);
    expect(byStatus).toEqual(fromLedger.map((r) => ({ program_id: r.program_id, held: r.held, approved: r.approved })));
    const paid = await one(
      `select sum(paid_minor) as paid, sum(clawback_exposure_minor) as exposure from reward_liability`,
    );
    expect(Number(paid.paid)).toBeGreaterThan(0);
    // Exposure is part of what was paid (on this demo it is 0: with holding 30 / window 60 days and payouts on the
    // 1st, a paid reward's window is open after 2026-06-30 only if it qualified between 05-01 and 05-02).
    expect(Number(paid.exposure)).toBeGreaterThanOrEqual(0);
    expect(Number(paid.exposure)).toBeLessThanOrEqual(Number(paid.paid));
  });

  it('never pays more than was approved before the payout, nor below the threshold', async () => {
    // Independent of the payout kernel: at each payout, the beneficiary's cash approvals net of clawbacks decided
    // before it must cover everything paid up to and including it; each advocate payout is at least the rule set's
    // minPayoutMinor (refstack.config.ts: friends-cash 2000, partners-commission 5000), each referee payout at least
    // refereeMinPayoutMinor (default 0, so at least 1 minor unit).
    const check = await one(`
      with p as (
        select program_id, rule_set_id, beneficiary_role, beneficiary_id, decided_at, amount_minor,
          sum(amount_minor) over (partition by program_id, rule_set_id, beneficiary_role, beneficiary_id
            order by decided_at rows between unbounded preceding and current row) as paid_so_far
        from reward_ledger where entry_type = 'payout'
      )
      select count(*) as payouts,
        sum(case when p.paid_so_far > (
          select coalesce(sum(l.approved_delta_minor), 0) from reward_ledger l
          where l.entry_type <> 'payout' and l.reward_kind = 'cash' and l.program_id = p.program_id
            and l.rule_set_id = p.rule_set_id and l.beneficiary_role = p.beneficiary_role
            and l.beneficiary_id = p.beneficiary_id and l.decided_at < p.decided_at) then 1 else 0 end) as over_paid,
        sum(case when p.amount_minor < case when p.beneficiary_role = 'referee' then 1
            when p.rule_set_id = 'friends-cash' then 2000 else 5000 end
          then 1 else 0 end) as below_threshold,
        sum(case when p.beneficiary_role = 'referee' then 1 else 0 end) as referee_payouts
      from p`);
    expect(Number(check.payouts)).toBeGreaterThan(50);
    expect(check.over_paid).toBe(0);
    expect(check.below_threshold).toBe(0);
    // Referees' one-off rewards (5.00 USD in friends-cash) are paid on the next payout date, not left unpaid.
    expect(Number(check.referee_payouts)).toBeGreaterThan(0);
    const batches = await one(`
      select count(*) as batches, sum(amount_minor) as total,
        (select sum(amount_minor) from reward_ledger where entry_type = 'payout') as ledger_total
      from payout_batches`);
    expect(batches.total).toEqual(batches.ledger_total);
  });

  it('each reward accrues once, never goes negative, and approves at most what it was granted', async () => {
    const bad = await one(`
      with r as (
        select rule_set_id, referral_id, beneficiary_role, reward_line,
          sum(case when entry_type = 'accrued' then 1 else 0 end) as accruals,
          sum(case when entry_type in ('accrued', 'capped') then amount_minor else 0 end) as granted,
          sum(case when entry_type = 'approved' then amount_minor else 0 end) as approved,
          sum(case when entry_type = 'approved' then 1 else 0 end) * sum(case when entry_type = 'voided' then 1 else 0 end)
            as approved_and_voided,
          sum(held_delta_minor) as held, sum(approved_delta_minor) as unpaid
        from reward_ledger where reward_line <> 'payout' group by 1, 2, 3, 4
      )
      select count(*) as rewards,
        sum(case when accruals <> 1 or held < 0 or unpaid < 0 or approved > granted or granted < 0
          or approved_and_voided > 0 then 1 else 0 end) as violations
      from r`);
    expect(bad.violations).toBe(0);
    expect(bad.rewards).toBeGreaterThan(100);
  });

  it('keeps every advocate within the monthly cap of 5000 cents', async () => {
    const worst = await one(`
      select max(total) as worst from (
        select beneficiary_id, date_trunc('month', decided_at) as m, sum(amount_minor) as total
        from reward_ledger
        where rule_set_id = 'friends-cash' and beneficiary_role = 'advocate' and reward_line = 'referral'
          and entry_type in ('accrued', 'capped')
        group by 1, 2)`);
    expect(Number(worst.worst)).toBeLessThanOrEqual(5000);
  });

  it('reverses exactly the rewards whose order was refunded or charged back inside the window', async () => {
    // Independent of the model: from stg_orders, rewarded (granted > 0) purchases whose first order was reversed
    // within the rule's clawback window (60 days friends, 90 days partners) by the as-of date.
    const check = await one(`
      with granted as (
        select l.rule_set_id, l.referral_id, l.beneficiary_role, min(l.order_id) as order_id,
          min(case when entry_type = 'accrued' then decided_at end) as qualified_at,
          sum(case when entry_type in ('accrued', 'capped') then amount_minor else 0 end) as granted,
          sum(case when entry_type in ('voided', 'clawed_back') then 1 else 0 end) as reversed
        from reward_ledger l where reward_line = 'referral' group by 1, 2, 3
      ),
      expected as (
        select g.*, (o.is_refunded or o.is_chargeback)
          and least(coalesce(o.refunded_at, o.chargeback_at), coalesce(o.chargeback_at, o.refunded_at))
            <= g.qualified_at + (case when g.rule_set_id = 'friends-cash' then 60 else 90 end) * interval 1 day
          as should_reverse
        from granted g join stg_orders o on o.order_id = g.order_id
        where g.granted > 0
      )
      select sum(case when should_reverse then 1 else 0 end) as should, sum(reversed) as did,
        sum(case when should_reverse <> (reversed = 1) then 1 else 0 end) as mismatched
      from expected`);
    expect(check.mismatched).toBe(0);
    expect(Number(check.did)).toBeGreaterThan(10);
  });

  it('rebuilds the identical ledger on a rerun', async () => {
    const first = await fingerprint();
    await runModels({ wh, config, registry: registry([], { realReviewQueue: true }), select: ['reward_ledger'] });
    expect(await fingerprint()).toEqual(first);
  });
});
