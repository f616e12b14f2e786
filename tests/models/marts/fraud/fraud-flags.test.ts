import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fraudConfigSchema, fraudRuleVersion } from '../../../../models/marts/fraud/config-schema.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { land, memoryWarehouse } from '../../../helpers/landing.js';
import { customer, flags, order, runFraud } from './fixture.js';

let wh: Warehouse;
beforeEach(async () => {
  wh = await memoryWarehouse();
});
afterEach(async () => {
  await wh.close();
});

/** The advocate A, signed up well before everyone else. */
const A = customer('A', '2025-01-01T00:00:00Z', undefined, {
  email: 'ann@shop.test',
  signup_ip: '198.51.100.7',
  signup_device_id: 'dev-A',
});

describe('fraud_flags: who the advocate and referee are', () => {
  it('self_referral fires on a shared payment fingerprint, a shared email (same person) and the own code', async () => {
    await land(wh, 'customers', [
      A,
      customer('B', '2025-02-01T10:00:00Z', 'A'),
      // Same mailbox up to case and whitespace: stitched into A's person.
      customer('C', '2025-02-02T10:00:00Z', 'A', { email: '  Ann@Shop.TEST ' }),
      customer('D', '2025-02-03T10:00:00Z', 'A'),
      customer('S', '2025-02-04T10:00:00Z', 'S'),
    ]);
    await land(wh, 'orders', [
      order('O-A1', 'A', '2025-01-05T00:00:00Z', { payment_fingerprint: 'fp-shared' }),
      order('O-B1', 'B', '2025-02-01T12:00:00Z', { payment_fingerprint: 'fp-shared' }),
      order('O-D1', 'D', '2025-02-03T12:00:00Z'),
    ]);
    await runFraud(wh);
    const rows = await flags(wh, 'self_referral');
    expect(rows.map((r) => [r.referee_id, r.advocate_id, r.score, r.weight, r.flagged_at])).toEqual([
      // Fingerprint: flagged when the later of the two matching orders happened.
      ['B', 'A', 1, 0.9, '2025-02-01T12:00:00.000Z'],
      // Email / own code: flagged at sign-up.
      ['C', 'A', 1, 0.9, '2025-02-02T10:00:00.000Z'],
      ['S', 'S', 1, 0.9, '2025-02-04T10:00:00.000Z'],
    ]);
    expect(rows[0]!.evidence).toEqual({
      same_customer: false,
      same_person: false,
      person_id: null,
      same_email: false,
      shared_payment_fingerprint: 'fp-shared',
      advocate_order_id: 'O-A1',
      referee_order_id: 'O-B1',
    });
    const person = await wh.query<{ person_id: string }>(`select person_id from stg_customers where customer_id = 'A'`);
    expect(rows[1]!.evidence).toMatchObject({ same_person: true, person_id: person[0]!.person_id, same_email: true });
    expect(rows[2]!.evidence).toMatchObject({ same_customer: true });
    expect(rows.every((r) => r.rule_version === fraudRuleVersion(fraudConfigSchema.parse({})))).toBe(true);
  });

  it('shared_ip and shared_device fire only on an exact match with the advocate', async () => {
    await land(wh, 'customers', [
      A,
      customer('E', '2025-02-01T10:00:00Z', 'A', { signup_ip: ' 198.51.100.7 ' }),
      customer('F', '2025-02-02T10:00:00Z', 'A', { signup_device_id: 'dev-A' }),
      // Same /24 as A but another host, and another device: neither rule.
      customer('G', '2025-02-03T10:00:00Z', 'A', { signup_ip: '198.51.100.8', signup_device_id: 'dev-a' }),
    ]);
    await runFraud(wh);
    const rows = await flags(wh);
    expect(rows.map((r) => [r.rule, r.referee_id, r.evidence, r.flagged_at])).toEqual([
      ['shared_device', 'F', { device: 'dev-A' }, '2025-02-02T10:00:00.000Z'],
      ['shared_ip', 'E', { ip: '198.51.100.7' }, '2025-02-01T10:00:00.000Z'],
    ]);
  });

  it('disposable_email matches the referee domain exactly against the configured list', async () => {
    await land(wh, 'customers', [
      A,
      customer('H', '2025-02-01T10:00:00Z', 'A', { email: 'x@Mailinator.com' }),
      customer('I', '2025-02-02T10:00:00Z', 'A', { email: 'x@notmailinator.com' }),
      customer('J', '2025-02-03T10:00:00Z', 'A', { email: 'x@burner.test' }),
    ]);
    await runFraud(wh);
    expect((await flags(wh)).map((r) => [r.referee_id, r.evidence])).toEqual([['H', { domain: 'mailinator.com' }]]);
    await runFraud(wh, { rules: { disposableEmail: { domains: ['burner.test'], weight: 0.2 } } });
    expect((await flags(wh)).map((r) => [r.referee_id, r.weight, r.evidence])).toEqual([
      ['J', 0.2, { domain: 'burner.test' }],
    ]);
  });

  it('referral_ring fires on edges in or below a ring, not on a plain chain or a self-referral', async () => {
    await land(wh, 'customers', [
      // X and Y referred each other; Z hangs below the ring; P -> Q is a plain chain; S used its own code.
      customer('X', '2025-03-01T00:00:00Z', 'Y'),
      customer('Y', '2025-03-02T00:00:00Z', 'X'),
      customer('Z', '2025-03-03T00:00:00Z', 'Y'),
      customer('P', '2025-03-04T00:00:00Z'),
      customer('Q', '2025-03-05T00:00:00Z', 'P'),
      customer('S', '2025-03-06T00:00:00Z', 'S'),
    ]);
    await runFraud(wh);
    const rows = await flags(wh, 'referral_ring');
    expect(rows.map((r) => [r.referee_id, r.advocate_id, r.evidence, r.flagged_at])).toEqual([
      ['X', 'Y', { in_cycle: true, advocate_referred_by: 'X' }, '2025-03-01T00:00:00.000Z'],
      ['Y', 'X', { in_cycle: true, advocate_referred_by: 'Y' }, '2025-03-02T00:00:00.000Z'],
      ['Z', 'Y', { in_cycle: true, advocate_referred_by: 'X' }, '2025-03-03T00:00:00.000Z'],
    ]);
  });

  it('a disabled rule writes no rows', async () => {
    await land(wh, 'customers', [A, customer('E', '2025-02-01T10:00:00Z', 'A', { signup_ip: '198.51.100.7' })]);
    await runFraud(wh, { rules: { sharedIp: { enabled: false } } });
    expect(await flags(wh)).toEqual([]);
  });
});

describe('fraud_flags: purchase_verification', () => {
  it('scores chargebacks, refunds by refunded share, unpaid orders and orders below the minimum', async () => {
    await land(wh, 'customers', [
      A,
      customer('K', '2025-02-01T00:00:00Z', 'A'),
      customer('L', '2025-02-01T00:00:00Z', 'A'),
      customer('M', '2025-02-01T00:00:00Z', 'A'),
      customer('N', '2025-02-01T00:00:00Z', 'A'),
      customer('R', '2025-02-01T00:00:00Z', 'A'),
      customer('Q', '2025-02-01T00:00:00Z', 'A'),
    ]);
    await land(wh, 'orders', [
      order('O-K', 'K', '2025-02-02T00:00:00Z', { status: 'chargeback', chargeback_at: '2025-03-01T00:00:00Z' }),
      order('O-L', 'L', '2025-02-02T00:00:00Z', {
        status: 'partially_refunded',
        refunded_minor: 250,
        refunded_at: '2025-02-10T00:00:00Z',
      }),
      // 400 refunded of 1000 - 200 discount = 800 charged: share 0.5.
      order('O-Q', 'Q', '2025-02-02T00:00:00Z', {
        discount_minor: 200,
        refunded_minor: 400,
        status: 'partially_refunded',
      }),
      order('O-M', 'M', '2025-02-02T00:00:00Z', { status: 'unpaid' }),
      order('O-N', 'N', '2025-02-02T00:00:00Z', { gross_minor: 400 }),
      // R's first order is fine; a later refunded order is not the qualifying one.
      order('O-R1', 'R', '2025-02-02T00:00:00Z'),
      order('O-R2', 'R', '2025-02-09T00:00:00Z', { status: 'refunded', refunded_minor: 1000 }),
    ]);
    await runFraud(wh, { rules: { purchaseVerification: { minOrderMinor: 500 } } });
    const rows = await flags(wh, 'purchase_verification');
    // Scores: chargeback 1; partial refunds 1 x 250 / 1000 = 0.25 and 1 x 400 / 800 = 0.5; unpaid 0.5; below
    // minimum (net 400 < 500) 0.5. Q's net 1000 - 200 - 400 = 400 is below the minimum too: reasons list both.
    expect(rows.map((r) => [r.referee_id, r.score, r.evidence.reasons, r.flagged_at])).toEqual([
      ['K', 1, 'chargeback', '2025-03-01T00:00:00.000Z'],
      ['L', 0.25, 'refunded', '2025-02-10T00:00:00.000Z'],
      ['M', 0.5, 'unpaid', '2025-02-02T00:00:00.000Z'],
      ['N', 0.5, 'below_minimum', '2025-02-02T00:00:00.000Z'],
      ['Q', 0.5, 'refunded,below_minimum', '2025-02-02T00:00:00.000Z'],
    ]);
    expect(rows[1]!.evidence).toEqual({
      order_id: 'O-L',
      reasons: 'refunded',
      status: 'partially_refunded',
      currency: 'USD',
      gross_minor: 1000,
      discount_minor: 0,
      refunded_minor: 250,
      refunded_share: 0.25,
      net_reporting_minor: 750,
      min_order_minor: 500,
    });
  });
});
