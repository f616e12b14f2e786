import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic, syntheticOptionsFor, syntheticFraudRing } from '../../../../ingest/synthetic/index.js';
import { defaultRegistry } from '../../../../models/index.js';
import { demoConfig } from '../../../../src/pipeline.js';
import { runModels } from '../../../../src/models/runner.js';
import { REVIEW_DECISIONS_COLUMNS, ensureOperationalTables } from '../../../../src/operational-tables.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { land, memoryWarehouse } from '../../../helpers/landing.js';
import { customer, fraudTestConfig } from './fixture.js';

const registry = () => defaultRegistry();

type Row = Record<string, unknown> & { rule: string };
const rows = async (wh: Warehouse) => {
  const out = await wh.query<Row>('select * from fraud_backtest order by rule');
  return new Map(out.map((r) => [r.rule, r]));
};

describe('fraud_backtest on literal rows, labelled by review decisions', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await memoryWarehouse();
    await land(wh, 'customers', [
      customer('A', '2025-01-01T00:00:00Z', undefined, { signup_ip: '198.51.100.7', signup_device_id: 'dev-A' }),
      customer('E', '2025-02-01T00:00:00Z', 'A', { signup_ip: '198.51.100.7', signup_device_id: 'dev-A' }),
      customer('F', '2025-02-02T00:00:00Z', 'A', { signup_ip: '198.51.100.7' }),
      customer('G', '2025-02-03T00:00:00Z', 'A', { signup_device_id: 'dev-A' }),
      customer('H', '2025-02-04T00:00:00Z', 'A'),
      customer('J', '2025-02-05T00:00:00Z', 'A'),
    ]);
    const config = fraudTestConfig();
    await ensureOperationalTables(wh, config.schemas.analytics);
    await runModels({ wh, config, registry: registry(), select: ['stg_referrals'] });
    const ids = new Map(
      (
        await wh.query<{ referee_id: string; referral_id: string }>('select referee_id, referral_id from stg_referrals')
      ).map((r) => [r.referee_id, r.referral_id]),
    );
    // E, G and H rejected (fraud), F approved; H was first approved, then rejected (the latest decision counts).
    // J is undecided and left out.
    const decide = (referee: string, decision: string, at: string) => [
      `d-${referee}-${at}`,
      ids.get(referee)!,
      decision,
      'rita',
      new Date(at),
      null,
      `a-${referee}-${at}`,
    ];
    await wh.appendRows(config.schemas.analytics, 'review_decisions', REVIEW_DECISIONS_COLUMNS, [
      decide('E', 'reject', '2025-03-01T00:00:00Z'),
      decide('F', 'approve', '2025-03-01T00:00:00Z'),
      decide('G', 'reject', '2025-03-01T00:00:00Z'),
      decide('H', 'approve', '2025-03-01T00:00:00Z'),
      decide('H', 'reject', '2025-03-02T00:00:00Z'),
    ]);
    await runModels({ wh, config, registry: registry(), select: ['fraud_backtest'] });
  });
  afterAll(async () => {
    await wh.close();
  });

  it('counts flagged, true and false positives and negatives per rule and combined', async () => {
    const byRule = await rows(wh);
    // Labelled {E, F, G, H}, fraud {E, G, H}. shared_ip fired on E and F: TP 1 (E), FP 1 (F), FN 2 (G, H).
    expect(byRule.get('shared_ip')).toMatchObject({
      label_source: 'review_decisions',
      labeled: 4,
      labeled_fraud: 3,
      flagged: 2,
      true_positives: 1,
      false_positives: 1,
      false_negatives: 2,
      precision: 0.5,
      recall: 1 / 3,
    });
    // shared_device fired on E and G: precision 2/2, recall 2/3.
    expect(byRule.get('shared_device')).toMatchObject({ flagged: 2, true_positives: 2, precision: 1, recall: 2 / 3 });
    // combined: E 1 - (1 - 0.6)(1 - 0.4) = 0.76 and G 0.6 reach 0.5, F 0.4 does not -> {E, G}.
    expect(byRule.get('combined')).toMatchObject({ flagged: 2, true_positives: 2, false_negatives: 1, recall: 2 / 3 });
    // A rule that never fired: precision NULL, recall 0.
    expect(byRule.get('velocity')).toMatchObject({ flagged: 0, true_positives: 0, precision: null, recall: 0 });
    expect(byRule.size).toBe(9);
  });

  it('keeps the scratch table out of the warehouse', async () => {
    expect(await wh.tableExists('main', 'fraud_backtest__ring')).toBe(false);
  });
});

describe('fraud_backtest on the synthetic demo (5,000 customers, the demo config seed)', () => {
  let wh: Warehouse;
  const base = demoConfig();
  beforeAll(async () => {
    wh = await memoryWarehouse();
    await generateSynthetic(wh, syntheticOptionsFor(base, 5000, base.demo.seed));
    await runModels({ wh, config: base, registry: registry(), select: ['fraud_backtest'] });
  }, 180_000);
  afterAll(async () => {
    await wh?.close();
  });

  it('scores against the planted ring: combined precision 1, recall 1 (45 of 45 ring referrals)', async () => {
    const byRule = await rows(wh);
    // TRUTHS.md "Fraud ring": 3 ring advocates with 25 + 12 + 8 = 45 self-referred accounts, all sharing the
    // advocate's device, IP 203.0.113.66 and payment fingerprint, so the combined score flags exactly them.
    expect(byRule.get('combined')).toMatchObject({
      label_source: 'synthetic_ring',
      labeled_fraud: 45,
      flagged: 45,
      true_positives: 45,
      false_positives: 0,
      false_negatives: 0,
      precision: 1,
      recall: 1,
    });
    for (const rule of ['self_referral', 'shared_ip', 'shared_device'])
      expect(byRule.get(rule), rule).toMatchObject({ flagged: 45, true_positives: 45, precision: 1, recall: 1 });
    // Same numbers as fraudBacktest (backtest.test.ts): velocity 25 of 25 (only advocate 1's same-day burst),
    // purchase_verification 38 of 93 flagged, signup_burst 25 of 26.
    expect(byRule.get('velocity')).toMatchObject({ flagged: 25, true_positives: 25, false_negatives: 20 });
    expect(byRule.get('purchase_verification')).toMatchObject({ flagged: 93, true_positives: 38 });
    expect(byRule.get('signup_burst')).toMatchObject({ flagged: 26, true_positives: 25 });
  });

  it('keeps the ring labels when other sources add customers, leaving their referrals out', async () => {
    // A customer from a CSV referred by the burst advocate on the ring's device and IP: flagged, but not
    // synthetic, so unlabeled and not counted.
    const ring = syntheticFraudRing({
      customers: 5000,
      seed: base.demo.seed,
      start: base.demo.start,
      months: base.demo.months,
      programs: base.programs,
    });
    const [adv] = await wh.query<{ referral_code: string; signup_device_id: string; signup_ip: string }>(
      `select referral_code, signup_device_id, signup_ip from raw.customers where customer_id = '${ring.burstAdvocateId}'`,
    );
    await land(wh, 'customers', [
      {
        customer_id: 'CSV1',
        created_at: '2026-06-01T00:00:00Z',
        referred_by_code: adv!.referral_code,
        signup_device_id: adv!.signup_device_id,
        signup_ip: adv!.signup_ip,
        _source: 'canonical-csv:customers.csv',
      },
    ]);
    await runModels({ wh, config: base, registry: registry(), select: ['fraud_backtest'] });
    const flagged = await wh.query<{ n: number }>(
      `select count(*) as n from fraud_scores where flagged and referee_id = 'CSV1'`,
    );
    expect(Number(flagged[0]!.n)).toBe(1);
    expect((await rows(wh)).get('combined')).toMatchObject({
      label_source: 'synthetic_ring',
      flagged: 45,
      true_positives: 45,
      false_positives: 0,
      precision: 1,
      recall: 1,
    });
  });
});
