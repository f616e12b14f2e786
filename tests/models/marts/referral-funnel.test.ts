import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runModels } from '../../../src/models/runner.js';
import type { Warehouse } from '../../../src/warehouse/warehouse.js';
import { MODELS } from '../../../models/index.js';
import { stgEmailEvents } from '../../../models/staging/stg-email-events.js';
import { ModelRegistry } from '../../../src/models/registry.js';
import { land, memoryWarehouse, testConfig } from '../../helpers/landing.js';

/*
 * A two-advocate program written out by hand. Expected numbers below are counted from these rows:
 * ALICE (A1, NA) referred R1 (Jan 10) and R2 (Feb 3); BOB (A2, EMEA) referred R3 (Jan 20).
 * FX: EUR -> USD at 1.08, both with 2 decimals, so an EUR amount in cents x 1.08 gives USD cents.
 */
let wh: Warehouse;
// stg_email_events is added here until models/index.ts registers it (then the filter keeps one copy).
const defaultRegistry = () =>
  new ModelRegistry([...MODELS.filter((m) => m.name !== 'stg_email_events'), stgEmailEvents]);

beforeEach(async () => {
  wh = await memoryWarehouse();
  await land(wh, 'customers', [
    { customer_id: 'A1', created_at: '2025-01-01', region: 'NA', referral_code: 'ALICE' },
    { customer_id: 'A2', created_at: '2025-01-01', region: 'EMEA', referral_code: 'bob' },
    { customer_id: 'R1', created_at: '2025-01-10T09:00:00Z', referral_code: 'R1CODE', referred_by_code: ' alice ' },
    { customer_id: 'R2', created_at: '2025-02-03T00:00:00Z', region: 'NA', referred_by_code: 'ALICE' },
    { customer_id: 'R3', created_at: '2025-01-20T12:00:00Z', referred_by_code: 'BOB' },
    { customer_id: 'N1', created_at: '2025-01-02' },
  ]);
  // A later batch re-lands R2 with a changed region: staging must keep one R2, the later one.
  await land(
    wh,
    'customers',
    [
      {
        customer_id: 'R2',
        created_at: '2025-02-03T00:00:00Z',
        region: 'EMEA',
        referred_by_code: 'ALICE',
        _loaded_at: new Date('2026-02-01T00:00:00Z'),
      },
    ],
    'later-batch',
  );
  const ev = (
    event_id: string,
    event_type: string,
    occurred_at: string,
    referral_code: string,
    extra: Record<string, unknown> = {},
  ) => ({
    event_id,
    event_type,
    occurred_at,
    referral_code,
    ...extra,
  });
  await land(wh, 'referral_events', [
    ev('e1', 'invited', '2025-01-05T10:00:00Z', 'ALICE'),
    ev('e2', 'invited', '2025-01-06T10:00:00Z', 'ALICE'),
    ev('e3', 'invited', '2025-02-01T10:00:00Z', 'ALICE'),
    ev('e4', 'clicked', '2025-01-08T10:00:00Z', 'ALICE'),
    ev('e5', 'clicked', '2025-01-09T10:00:00Z', 'ALICE'),
    ev('e5', 'clicked', '2025-01-09T10:00:00Z', 'ALICE'), // landed twice: counted once
    ev('e6', 'clicked', '2025-01-19T10:00:00Z', 'BOB'),
    ev('e7', 'invited', '2025-01-18T10:00:00Z', 'BOB'),
    ev('e8', 'signed_up', '2025-01-20T12:00:00Z', 'BOB', { advocate_id: 'A2', referee_id: 'R3' }),
    ev('e9', 'invited', '2025-01-07T10:00:00Z', 'ZZZ'), // a code nobody owns
  ]);
  const order = (
    order_id: string,
    customer_id: string,
    ordered_at: string,
    currency: string,
    gross: number,
    rest: Record<string, unknown> = {},
  ) => ({
    order_id,
    customer_id,
    ordered_at,
    currency,
    gross_minor: gross,
    discount_minor: 0,
    tax_minor: 0,
    refunded_minor: 0,
    status: 'paid',
    ...rest,
  });
  await land(wh, 'orders', [
    order('O1', 'R1', '2025-01-15T00:00:00Z', 'USD', 10_000, { discount_minor: 1_000, tax_minor: 900 }), // net 8100
    order('O2', 'R1', '2025-02-10T00:00:00Z', 'USD', 5_000, {
      tax_minor: 500,
      refunded_minor: 1_000,
      status: 'partially_refunded',
    }), // net 3500
    order('O3', 'R3', '2025-01-25T00:00:00Z', 'EUR', 2_000), // 2000 EUR cents x 1.08 = 2160 USD cents
    order('O0', 'R2', '2025-02-01T00:00:00Z', 'USD', 7_777), // before R2 signed up: not a referral conversion
    order('O4', 'R2', '2025-03-01T00:00:00Z', 'eur', 999), // 999 x 1.08 = 1078.92 -> 1079
    order('O5', 'N1', '2025-01-15T00:00:00Z', 'USD', 5_000), // not referred
  ]);
});

afterEach(async () => {
  await wh.close();
});

describe('referral_funnel', () => {
  it('counts each stage per advocate and month from literal rows', async () => {
    await runModels({ wh, config: testConfig(), registry: defaultRegistry(), select: ['referral_funnel'] });
    const rows = await wh.query(`
      select advocate_id, region, strftime(month, '%Y-%m') as month, invited, clicked, signed_up, converted,
        first_order_revenue_minor, referred_revenue_minor, reporting_currency,
        click_rate, signup_rate, conversion_rate, invite_to_conversion_rate
      from referral_funnel order by advocate_id nulls last, month`);
    expect(rows).toEqual([
      // Jan: invites e1 e2, clicks e4 e5, sign-up R1, R1's first order O1 (8100).
      {
        advocate_id: 'A1',
        region: 'NA',
        month: '2025-01',
        invited: 2,
        clicked: 2,
        signed_up: 1,
        converted: 1,
        first_order_revenue_minor: 8100,
        referred_revenue_minor: 8100,
        reporting_currency: 'USD',
        click_rate: 1,
        signup_rate: 0.5,
        conversion_rate: 1,
        invite_to_conversion_rate: 0.5,
      },
      // Feb: invite e3, sign-up R2; revenue is R1's second order O2 (3500). O0 predates R2's sign-up.
      {
        advocate_id: 'A1',
        region: 'NA',
        month: '2025-02',
        invited: 1,
        clicked: 0,
        signed_up: 1,
        converted: 0,
        first_order_revenue_minor: 0,
        referred_revenue_minor: 3500,
        reporting_currency: 'USD',
        click_rate: 0,
        signup_rate: null,
        conversion_rate: 0,
        invite_to_conversion_rate: 0,
      },
      // Mar: R2 converts with O4 (1079).
      {
        advocate_id: 'A1',
        region: 'NA',
        month: '2025-03',
        invited: 0,
        clicked: 0,
        signed_up: 0,
        converted: 1,
        first_order_revenue_minor: 1079,
        referred_revenue_minor: 1079,
        reporting_currency: 'USD',
        click_rate: null,
        signup_rate: null,
        conversion_rate: null,
        invite_to_conversion_rate: null,
      },
      // BOB, Jan: invite e7, click e6, R3 (known from both the customer row and e8: once), O3 2160.
      {
        advocate_id: 'A2',
        region: 'EMEA',
        month: '2025-01',
        invited: 1,
        clicked: 1,
        signed_up: 1,
        converted: 1,
        first_order_revenue_minor: 2160,
        referred_revenue_minor: 2160,
        reporting_currency: 'USD',
        click_rate: 1,
        signup_rate: 1,
        conversion_rate: 1,
        invite_to_conversion_rate: 1,
      },
      // The unknown code ZZZ keeps its invite under a NULL advocate rather than vanishing.
      {
        advocate_id: null,
        region: null,
        month: '2025-01',
        invited: 1,
        clicked: 0,
        signed_up: 0,
        converted: 0,
        first_order_revenue_minor: 0,
        referred_revenue_minor: 0,
        reporting_currency: 'USD',
        click_rate: 0,
        signup_rate: null,
        conversion_rate: null,
        invite_to_conversion_rate: 0,
      },
    ]);
  });

  it('reads opens, email clicks, sends and bounces of invitation emails once per code and recipient', async () => {
    const em = (event_id: string, event_type: string, occurred_at: string, recipient_email: string, rest = {}) => ({
      event_id,
      provider: 'hubspot',
      event_type,
      occurred_at,
      recipient_email,
      referral_code: 'alice',
      ...rest,
    });
    await land(wh, 'email_events', [
      em('m1', 'sent', '2025-01-05T10:00:00Z', 'x1@example.com', { email_id: 'S1' }),
      em('m2', 'opened', '2025-01-06T10:00:00Z', 'x1@example.com', { email_id: 'S1' }),
      em('m3', 'opened', '2025-01-07T10:00:00Z', 'X1@example.com', { email_id: 'S1' }), // a second open: once
      em('m4', 'clicked', '2025-01-08T10:00:00Z', 'x1@example.com', { email_id: 'S1' }),
      em('m5', 'sent', '2025-01-06T10:00:00Z', 'x2@example.com', { email_id: 'S2' }),
      em('m6', 'clicked', '2025-02-02T10:00:00Z', 'x2@example.com', { email_id: 'S2' }), // no open recorded
      em('m7', 'sent', '2025-02-01T10:00:00Z', 'x3@example.com', { email_id: 'S3' }),
      em('m8', 'bounced', '2025-02-01T10:05:00Z', 'x3@example.com', { email_id: 'S3' }),
      em('m9', 'opened', '2025-01-09T10:00:00Z', 'news@example.com', { referral_code: null }), // not an invitation
    ]);
    await runModels({ wh, config: testConfig(), registry: defaultRegistry(), select: ['referral_funnel'] });
    const rows = await wh.query(`
      select advocate_id, strftime(month, '%Y-%m') as month, invited, invite_emails_sent, opened, email_clicked, bounced,
        open_rate, email_click_rate, clicked, signed_up, converted
      from referral_funnel order by advocate_id nulls last, month`);
    expect(rows).toEqual([
      // Jan: sends S1 and S2; x1 opened (twice, counted once) and clicked; opened 1 of 2 invites = 0.5.
      {
        advocate_id: 'A1',
        month: '2025-01',
        invited: 2,
        invite_emails_sent: 2,
        opened: 1,
        email_clicked: 1,
        bounced: 0,
        open_rate: 0.5,
        email_click_rate: 1,
        clicked: 2,
        signed_up: 1,
        converted: 1,
      },
      // Feb: send S3 bounced; x2's click (no open recorded) counts as its open, in February; 1 of 1 invite.
      {
        advocate_id: 'A1',
        month: '2025-02',
        invited: 1,
        invite_emails_sent: 1,
        opened: 1,
        email_clicked: 1,
        bounced: 1,
        open_rate: 1,
        email_click_rate: 1,
        clicked: 0,
        signed_up: 1,
        converted: 0,
      },
      {
        advocate_id: 'A1',
        month: '2025-03',
        invited: 0,
        invite_emails_sent: 0,
        opened: 0,
        email_clicked: 0,
        bounced: 0,
        open_rate: null,
        email_click_rate: null,
        clicked: 0,
        signed_up: 0,
        converted: 1,
      },
      // BOB has no emails: 0 of 1 invite opened.
      {
        advocate_id: 'A2',
        month: '2025-01',
        invited: 1,
        invite_emails_sent: 0,
        opened: 0,
        email_clicked: 0,
        bounced: 0,
        open_rate: 0,
        email_click_rate: null,
        clicked: 1,
        signed_up: 1,
        converted: 1,
      },
      {
        advocate_id: null,
        month: '2025-01',
        invited: 1,
        invite_emails_sent: 0,
        opened: 0,
        email_clicked: 0,
        bounced: 0,
        open_rate: 0,
        email_click_rate: null,
        clicked: 0,
        signed_up: 0,
        converted: 0,
      },
    ]);
  });

  it('resolves referrals once per referee with their first qualifying order', async () => {
    await runModels({ wh, config: testConfig(), registry: defaultRegistry(), select: ['stg_referrals'] });
    const rows = await wh.query(
      `select referee_id, advocate_id, referral_code, first_order_id, first_order_net_reporting_minor, is_converted, is_self_referral
       from stg_referrals order by referee_id`,
    );
    expect(rows).toEqual([
      {
        referee_id: 'R1',
        advocate_id: 'A1',
        referral_code: 'ALICE',
        first_order_id: 'O1',
        first_order_net_reporting_minor: 8100,
        is_converted: true,
        is_self_referral: false,
      },
      {
        referee_id: 'R2',
        advocate_id: 'A1',
        referral_code: 'ALICE',
        first_order_id: 'O4',
        first_order_net_reporting_minor: 1079,
        is_converted: true,
        is_self_referral: false,
      },
      {
        referee_id: 'R3',
        advocate_id: 'A2',
        referral_code: 'BOB',
        first_order_id: 'O3',
        first_order_net_reporting_minor: 2160,
        is_converted: true,
        is_self_referral: false,
      },
    ]);
    const [r2] = await wh.query(`select region from stg_customers where customer_id = 'R2'`);
    expect(r2).toEqual({ region: 'EMEA' });
  });
});

describe('stg_orders', () => {
  it('computes the commission base and reporting amounts exactly', async () => {
    await runModels({ wh, config: testConfig(), registry: defaultRegistry(), select: ['stg_orders'] });
    const rows = await wh.query(
      `select order_id, currency, net_minor, gross_reporting_minor, net_reporting_minor, is_refunded, order_seq from stg_orders order by order_id`,
    );
    expect(rows).toEqual([
      {
        order_id: 'O0',
        currency: 'USD',
        net_minor: 7777,
        gross_reporting_minor: 7777,
        net_reporting_minor: 7777,
        is_refunded: false,
        order_seq: 1,
      },
      // 10000 - 1000 - 900 - 0 = 8100
      {
        order_id: 'O1',
        currency: 'USD',
        net_minor: 8100,
        gross_reporting_minor: 10000,
        net_reporting_minor: 8100,
        is_refunded: false,
        order_seq: 1,
      },
      // 5000 - 0 - 500 - 1000 = 3500
      {
        order_id: 'O2',
        currency: 'USD',
        net_minor: 3500,
        gross_reporting_minor: 5000,
        net_reporting_minor: 3500,
        is_refunded: true,
        order_seq: 2,
      },
      // 2000 x 1.08 = 2160
      {
        order_id: 'O3',
        currency: 'EUR',
        net_minor: 2000,
        gross_reporting_minor: 2160,
        net_reporting_minor: 2160,
        is_refunded: false,
        order_seq: 1,
      },
      // 999 x 1.08 = 1078.92, rounded half away from zero to 1079
      {
        order_id: 'O4',
        currency: 'EUR',
        net_minor: 999,
        gross_reporting_minor: 1079,
        net_reporting_minor: 1079,
        is_refunded: false,
        order_seq: 2,
      },
      {
        order_id: 'O5',
        currency: 'USD',
        net_minor: 5000,
        gross_reporting_minor: 5000,
        net_reporting_minor: 5000,
        is_refunded: false,
        order_seq: 1,
      },
    ]);
  });

  it('converts across currencies with different minor-unit exponents', async () => {
    await land(
      wh,
      'orders',
      [
        {
          order_id: 'J1',
          customer_id: 'N1',
          ordered_at: '2025-01-01',
          currency: 'JPY',
          gross_minor: 1500,
          discount_minor: 0,
          tax_minor: 0,
          refunded_minor: 0,
          status: 'paid',
        },
      ],
      'jpy',
    );
    // 1500 JPY (exponent 0) at 0.0067 USD/JPY = 10.05 USD = 1005 cents.
    await runModels({
      wh,
      config: testConfig({ fxRates: { EUR: '1.08', JPY: '0.0067' } }),
      registry: defaultRegistry(),
      select: ['stg_orders'],
    });
    expect(await wh.query(`select net_reporting_minor from stg_orders where order_id = 'J1'`)).toEqual([
      { net_reporting_minor: 1005 },
    ]);
  });

  it('fails naming the currency when no rate is configured, rather than dropping orders', async () => {
    await land(
      wh,
      'orders',
      [
        {
          order_id: 'G1',
          customer_id: 'N1',
          ordered_at: '2025-01-01',
          currency: 'GBP',
          gross_minor: 100,
          discount_minor: 0,
          tax_minor: 0,
          refunded_minor: 0,
          status: 'paid',
        },
      ],
      'gbp',
    );
    await expect(
      runModels({ wh, config: testConfig(), registry: defaultRegistry(), select: ['stg_orders'] }),
    ).rejects.toThrow(
      'model stg_orders failed: no FX rate to USD for GBP (1 rows); add them under fxRates in the config',
    );
  });
});
