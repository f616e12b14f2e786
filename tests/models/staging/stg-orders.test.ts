import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stgOrders } from '../../../models/staging/stg-orders.js';
import { ModelRegistry } from '../../../src/models/registry.js';
import { runModels } from '../../../src/models/runner.js';
import type { Warehouse } from '../../../src/warehouse/warehouse.js';
import { land, memoryWarehouse, testConfig } from '../../helpers/landing.js';

let wh: Warehouse;
beforeEach(async () => {
  wh = await memoryWarehouse();
});
afterEach(async () => {
  await wh.close();
});

const order = (order_id: string, currency: string, ordered_at: string, gross_minor: number, rest = {}) => ({
  order_id,
  customer_id: `C-${order_id}`,
  ordered_at,
  currency,
  gross_minor,
  discount_minor: 0,
  tax_minor: 0,
  refunded_minor: 0,
  status: 'paid',
  ...rest,
});
const rate = (rate_date: string, currency: string, r: string, reporting_currency = 'USD') => ({
  rate_date,
  currency,
  reporting_currency,
  rate: r,
});

const run = () => runModels({ wh, config: testConfig(), registry: new ModelRegistry([stgOrders]) });

describe('stg_orders: FX from raw.fx_rates, falling back to config', () => {
  it('converts each order at the latest landed rate on or before its date, else the config rate', async () => {
    // testConfig: reporting USD, fxRates { EUR: '1.08' }.
    await land(wh, 'fx_rates', [
      rate('2025-01-01', 'EUR', '1.10'),
      rate('2025-02-01', 'EUR', '1.05'),
      rate('2025-01-01', 'JPY', '0.0067'),
      rate('2025-03-01', 'GBP', '1.25'),
      rate('2025-01-01', 'EUR', '9.99', 'GBP'), // another reporting currency: ignored
    ]);
    // A later batch restates EUR on 2025-02-01: the latest landed version wins.
    await land(wh, 'fx_rates', [{ ...rate('2025-02-01', 'EUR', '1.06'), _loaded_at: '2026-02-01T00:00:00Z' }], 'b2');
    await land(wh, 'orders', [
      order('O1', 'EUR', '2024-12-31T23:59:59Z', 10_000), // before the first landed EUR rate: config 1.08
      order('O2', 'EUR', '2025-01-15T12:00:00Z', 999), // 1.10
      order('O3', 'eur', '2025-02-01T00:00:00Z', 10_000), // on the rate_date itself: the restated 1.06
      order('O4', 'JPY', '2025-01-20T00:00:00Z', 1_500), // yen have no minor unit
      order('O5', 'GBP', '2025-03-10T00:00:00Z', 2_000), // landed only, no config rate
      order('O6', 'USD', '2025-03-10T00:00:00Z', 4_321), // the reporting currency itself
    ]);
    await run();
    const rows = await wh.query(
      `select order_id, currency, gross_minor, fx_rate, fx_source, gross_reporting_minor
       from main.stg_orders order by order_id`,
    );
    expect(rows).toEqual([
      // 10000 EUR cents x 1.08 = 10800 USD cents.
      {
        order_id: 'O1',
        currency: 'EUR',
        gross_minor: 10_000,
        fx_rate: '1.08',
        fx_source: 'config',
        gross_reporting_minor: 10_800,
      },
      // 999 x 1.10 = 1098.9 -> 1099 (half away from zero).
      {
        order_id: 'O2',
        currency: 'EUR',
        gross_minor: 999,
        fx_rate: '1.10',
        fx_source: 'fx_rates',
        gross_reporting_minor: 1_099,
      },
      // 10000 x 1.06 = 10600.
      {
        order_id: 'O3',
        currency: 'EUR',
        gross_minor: 10_000,
        fx_rate: '1.06',
        fx_source: 'fx_rates',
        gross_reporting_minor: 10_600,
      },
      // 1500 yen x 0.0067 USD/yen = 10.05 USD = 1005 cents (factor 0.0067 x 10^(2 - 0) = 0.67).
      {
        order_id: 'O4',
        currency: 'JPY',
        gross_minor: 1_500,
        fx_rate: '0.0067',
        fx_source: 'fx_rates',
        gross_reporting_minor: 1_005,
      },
      // 2000 x 1.25 = 2500.
      {
        order_id: 'O5',
        currency: 'GBP',
        gross_minor: 2_000,
        fx_rate: '1.25',
        fx_source: 'fx_rates',
        gross_reporting_minor: 2_500,
      },
      {
        order_id: 'O6',
        currency: 'USD',
        gross_minor: 4_321,
        fx_rate: '1',
        fx_source: 'same_currency',
        gross_reporting_minor: 4_321,
      },
    ]);
  });

  it('fails naming the currency and the dates of orders with no rate on or before their date', async () => {
    await land(wh, 'fx_rates', [rate('2025-03-01', 'GBP', '1.25')]);
    await land(wh, 'orders', [
      order('O1', 'GBP', '2025-02-15T10:00:00Z', 100),
      order('O2', 'GBP', '2025-02-20T10:00:00Z', 100),
      order('O3', 'GBP', '2025-03-02T10:00:00Z', 100), // has a rate
      order('O4', 'CHF', '2025-01-05T10:00:00Z', 100),
    ]);
    await expect(run()).rejects.toThrow(
      'no FX rate to USD for CHF (1 rows), GBP (2 rows); add them under fxRates in the config, or land raw.fx_rates ' +
        'rows dated on or before the orders (order dates without a rate: CHF 2025-01-05, GBP 2025-02-15..2025-02-20)',
    );
  });

  it('fails naming a landed rate that is not a positive decimal', async () => {
    await land(wh, 'fx_rates', [rate('2025-03-01', 'GBP', '1,25')]);
    await land(wh, 'orders', [order('O1', 'USD', '2025-02-15T10:00:00Z', 100)]);
    await expect(run()).rejects.toThrow(
      'raw.fx_rates has rates that are not positive decimals: GBP 2025-03-01 rate "1,25"',
    );
  });
});

describe('stg_orders: amounts and the commission base', () => {
  it('nets discount, tax and refunds out of gross, never below 0, whatever the source tax convention', async () => {
    await land(wh, 'orders', [
      // base = 10000 - 1000 - 900 = 8100; no refund: net = base.
      order('A', 'USD', '2025-01-01T00:00:00Z', 10_000, { discount_minor: 1_000, tax_minor: 900 }),
      // net = 8100 - 1001 = 7099.
      order('B', 'USD', '2025-01-01T00:00:00Z', 10_000, {
        discount_minor: 1_000,
        tax_minor: 900,
        refunded_minor: 1_001,
        status: 'partially_refunded',
      }),
      // Gross with tax included (1070, tax 70), refunded in full (1070): 1070 - 70 - 1070 = -70 -> 0.
      order('C', 'USD', '2025-01-01T00:00:00Z', 1_070, { tax_minor: 70, refunded_minor: 1_070, status: 'refunded' }),
      // A source whose gross excludes tax refunds gross + tax (the synthetic generator; the canonical layout's
      // bound gross - discount + tax): 1000 - 70 - 1070 = -140 -> 0.
      order('D', 'USD', '2025-01-01T00:00:00Z', 1_000, { tax_minor: 70, refunded_minor: 1_070, status: 'refunded' }),
      // EUR at the config 1.08: base 500 - 50 = 450 -> 486; net 450 - 101 = 349 -> 376.92 -> 377;
      // tax 50 -> 54; refunded 101 -> 109.08 -> 109.
      order('E', 'EUR', '2025-01-01T00:00:00Z', 500, {
        tax_minor: 50,
        refunded_minor: 101,
        status: 'partially_refunded',
      }),
    ]);
    await run();
    const rows = await wh.query(
      `select order_id, base_minor, net_minor, base_reporting_minor, net_reporting_minor, tax_reporting_minor,
         refunded_reporting_minor, is_refunded
       from main.stg_orders order by order_id`,
    );
    const row = (order_id: string, ...v: [number, number, number, number, number, number, boolean]) => ({
      order_id,
      base_minor: v[0],
      net_minor: v[1],
      base_reporting_minor: v[2],
      net_reporting_minor: v[3],
      tax_reporting_minor: v[4],
      refunded_reporting_minor: v[5],
      is_refunded: v[6],
    });
    expect(rows).toEqual([
      row('A', 8_100, 8_100, 8_100, 8_100, 900, 0, false),
      row('B', 8_100, 7_099, 8_100, 7_099, 900, 1_001, true),
      row('C', 1_000, 0, 1_000, 0, 70, 1_070, true),
      row('D', 930, 0, 930, 0, 70, 1_070, true),
      row('E', 450, 349, 486, 377, 54, 109, true),
    ]);
  });
});
