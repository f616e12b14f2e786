import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runModels } from '../../../src/models/runner.js';
import type { Warehouse } from '../../../src/warehouse/warehouse.js';
import { advocateStatement } from '../../../activate/statement/statement.js';
import { escapeHtml, statementCsv, statementHtml } from '../../../activate/statement/render.js';
import { land, memoryWarehouse } from '../../helpers/landing.js';
import {
  activationRegistry,
  activationTestConfig,
  landActivationFixture,
} from '../../models/marts/activation/fixture.js';

/*
 * The activation fixture (1000 per referral, 30 days holding, data to Jun 30, 2025) plus a referee of A5 whose id
 * carries markup, signed up without a purchase. A5: R5 converted Jan 15, approved Feb 14 (awaiting payout). A1: R1
 * converted Jun 22, still in holding. A6: R6a and R6b, both approved.
 */
let wh: Warehouse;
const config = activationTestConfig();
beforeEach(async () => {
  wh = await memoryWarehouse();
  await landActivationFixture(wh);
  await land(wh, 'customers', [{ customer_id: '<i>R9</i>', created_at: '2025-05-01', referred_by_code: 'ERIN' }], 'b2');
  await runModels({ wh, config, registry: activationRegistry(), select: ['reward_ledger', 'stg_referrals'] });
});
afterEach(async () => {
  await wh.close();
});

describe('advocate statement', () => {
  it("lists the advocate's referrals, statuses and balances, and nothing of other advocates", async () => {
    const s = await advocateStatement(wh, config, 'A5');
    expect(s.asOf).toBe('2025-06-30');
    expect(
      s.lines.map((l) => [l.referee, l.rewardLine, l.status, l.earnedMinor, l.heldMinor, l.approvedMinor]),
    ).toEqual([
      ['R5', 'referral', 'approved; awaiting payout', 1000, 0, 1000],
      ['<i>R9</i>', null, 'signed up; no purchase yet', 0, 0, 0],
    ]);
    expect(s.totals).toEqual({
      earnedMinor: 1000,
      heldMinor: 0,
      inReviewMinor: 0,
      approvedMinor: 1000,
      paidMinor: 0,
      reversedMinor: 0,
    });
    expect(s.lines[0]!.latestDecisionAt).toBe('2025-02-14T00:00:00.000Z');
    const a1 = await advocateStatement(wh, config, 'A1');
    expect(a1.lines.map((l) => [l.referee, l.status, l.heldMinor])).toEqual([
      ['R1', 'earned; in the holding period', 1000],
    ]);
    const a6 = await advocateStatement(wh, config, 'A6');
    expect(a6.totals.approvedMinor).toBe(2000);
    expect(a6.lines.map((l) => l.referee)).toEqual(['R6a', 'R6b']);
  });

  it('renders escaped HTML and CSV', async () => {
    const s = await advocateStatement(wh, config, 'A5');
    const html = statementHtml(s, 'Acme & Co');
    expect(html).toContain('&lt;i&gt;R9&lt;/i&gt;');
    expect(html).not.toContain('<i>R9');
    expect(html).toContain('Acme &amp; Co referral statement for A5, as of 2025-06-30.');
    expect(html).toContain('You earned 10.00 USD in all: 0.00 USD is still in the holding period');
    expect(html).not.toMatch(/R6a|R1</);
    const csv = statementCsv(s).split('\r\n');
    expect(csv[0]).toBe(
      'referral_id,referee,signed_up_at,converted_at,reward_line,status,earned_minor,held_minor,approved_minor,paid_minor,reversed_minor,currency,latest_decision,latest_decision_at,payout_batches,role',
    );
    expect(csv[1]).toMatch(
      /^[0-9a-f]+,R5,2025-01-10T00:00:00.000Z,2025-01-15T00:00:00.000Z,referral,approved; awaiting payout,1000,0,1000,0,0,USD,/,
    );
    expect(escapeHtml(`"'<>&`)).toBe('&quot;&#39;&lt;&gt;&amp;');
  });

  it('names an unknown advocate', async () => {
    await expect(advocateStatement(wh, config, 'NOPE')).rejects.toThrow(
      /advocate "NOPE" has no referrals and no rewards/,
    );
  });

  it('shows payouts and their batches once the ledger has them', async () => {
    const lw = await memoryWarehouse();
    try {
      // Literal tables: referral ref-1 of advocate P accrued, approved, then paid in one batch (1500 cents).
      await lw.exec(`
        create table main.stg_referrals as select 'ref-1' as referral_id, 'Q1' as referee_id, 'P' as advocate_id,
          timestamp '2025-01-01' as signed_up_at, timestamp '2025-01-02' as converted_at;
        create table main.reward_ledger as select * from (values
          ('e1', 'ref-1', 'referral', 'accrued', 1500, 1500, 0, 0, null, 'qualified', timestamp '2025-01-02'),
          ('e2', 'ref-1', 'referral', 'approved', 1500, -1500, 1500, 0, null, 'holding ended', timestamp '2025-02-01'),
          ('e3', 'ref-1', 'referral', 'payout', -1500, 0, -1500, 1500, 'payout-friends-USD-2025-03-01', 'paid out',
            timestamp '2025-03-01')
        ) t(ledger_entry_id, referral_id, reward_line, entry_type, amount_minor, held_delta_minor,
            approved_delta_minor, paid_delta_minor, payout_batch_id, reason, decided_at);
        alter table main.reward_ledger add column beneficiary_id varchar default 'P';
        alter table main.reward_ledger add column beneficiary_role varchar default 'advocate';
        alter table main.reward_ledger add column currency varchar default 'USD';
        alter table main.reward_ledger add column as_of date default date '2025-03-31';`);
      const s = await advocateStatement(lw, config, 'P');
      expect(s.lines).toMatchObject([
        {
          referee: 'Q1',
          status: 'paid',
          earnedMinor: 1500,
          paidMinor: 1500,
          approvedMinor: 0,
          latestDecision: 'paid out',
        },
      ]);
      expect(s.lines[0]!.payoutBatches).toBe('payout-friends-USD-2025-03-01');
      expect(statementHtml(s, 'Acme')).toContain('paid out (2025-03-01); paid in payout-friends-USD-2025-03-01');
    } finally {
      await lw.close();
    }
  });
  it('tells a reward held for review from one in holding, and shows a cap as the latest decision', async () => {
    const lw = await memoryWarehouse();
    try {
      // ref-h: accrued 800, then held for review (a 0-amount 'held' entry). ref-c: accrued 500 and capped -500 at the
      // same instant; the accrual's id sorts after the cap's, so only the entry-type order can pick the cap.
      await lw.exec(`
        create table main.stg_referrals as select * from (values
          ('ref-h', 'QH', 'P', timestamp '2025-01-01', timestamp '2025-01-02'),
          ('ref-c', 'QC', 'P', timestamp '2025-01-03', timestamp '2025-01-04')
        ) t(referral_id, referee_id, advocate_id, signed_up_at, converted_at);
        create table main.reward_ledger as select * from (values
          ('e1', 'ref-h', 'referral', 'accrued', 800, 800, 0, 0, null, 'qualified', timestamp '2025-01-02'),
          ('e2', 'ref-h', 'referral', 'held', 0, 0, 0, 0, null, 'in the review queue', timestamp '2025-02-01'),
          ('z9', 'ref-c', 'referral', 'accrued', 500, 500, 0, 0, null, 'qualified', timestamp '2025-01-04'),
          ('a1', 'ref-c', 'referral', 'capped', -500, -500, 0, 0, null, 'monthly cap reached', timestamp '2025-01-04')
        ) t(ledger_entry_id, referral_id, reward_line, entry_type, amount_minor, held_delta_minor,
            approved_delta_minor, paid_delta_minor, payout_batch_id, reason, decided_at);
        alter table main.reward_ledger add column beneficiary_id varchar default 'P';
        alter table main.reward_ledger add column beneficiary_role varchar default 'advocate';
        alter table main.reward_ledger add column currency varchar default 'USD';
        alter table main.reward_ledger add column as_of date default date '2025-03-31';`);
      const s = await advocateStatement(lw, config, 'P');
      expect(s.lines.map((l) => [l.referee, l.status, l.heldMinor, l.reversedMinor, l.latestDecision])).toEqual([
        ['QH', 'earned; held for review (waiting for a reviewer)', 800, 0, 'in the review queue'],
        ['QC', 'reversed (voided, capped or clawed back)', 0, -500, 'monthly cap reached'],
      ]);
      expect(s.totals).toMatchObject({ earnedMinor: 1300, heldMinor: 800, inReviewMinor: 800, reversedMinor: -500 });
      // 800 held for review, 0 in the holding period.
      expect(statementHtml(s, 'Acme')).toContain(
        '0.00 USD is still in the holding period (we wait\nbefore approving a reward in case the purchase is returned), ' +
          '8.00 USD is held until a reviewer checks the referral,',
      );
    } finally {
      await lw.close();
    }
  });
  it('answers a referee\'s "where is my reward?" with their own sign-up reward, without naming the advocate', async () => {
    const lw = await memoryWarehouse();
    try {
      // P referred nobody; P signed up through A9's referral ref-r and was approved a 500 referee reward.
      await lw.exec(`
        create table main.stg_referrals as select 'ref-r' as referral_id, 'P' as referee_id, 'A9' as advocate_id,
          timestamp '2025-01-01' as signed_up_at, timestamp '2025-01-02' as converted_at;
        create table main.reward_ledger as select * from (values
          ('e1', 'ref-r', 'referral', 'accrued', 500, 500, 0, 'A9', 'advocate', 'qualified', timestamp '2025-01-02'),
          ('e2', 'ref-r', 'referral', 'accrued', 500, 500, 0, 'P', 'referee', 'qualified', timestamp '2025-01-02'),
          ('e3', 'ref-r', 'referral', 'approved', 500, -500, 500, 'P', 'referee', 'holding ended', timestamp '2025-02-01')
        ) t(ledger_entry_id, referral_id, reward_line, entry_type, amount_minor, held_delta_minor,
            approved_delta_minor, beneficiary_id, beneficiary_role, reason, decided_at);
        alter table main.reward_ledger add column currency varchar default 'USD';
        alter table main.reward_ledger add column as_of date default date '2025-03-31';`);
      const s = await advocateStatement(lw, config, 'P');
      expect(
        s.lines.map((l) => [l.referralId, l.role, l.status, l.earnedMinor, l.approvedMinor, l.latestDecision]),
      ).toEqual([['ref-r', 'referee', 'approved; awaiting payout', 500, 500, 'holding ended']]);
      const html = statementHtml(s, 'Acme');
      expect(html).toContain('<td>your own sign-up</td>');
      expect(html).not.toContain('A9');
      // A9's own statement has the advocate line only (500 earned as advocate), not P's referee reward.
      const a9 = await advocateStatement(lw, config, 'A9');
      expect(a9.lines.map((l) => [l.role, l.referee, l.earnedMinor, l.heldMinor])).toEqual([
        ['advocate', 'P', 500, 500],
      ]);
    } finally {
      await lw.close();
    }
  });
});
