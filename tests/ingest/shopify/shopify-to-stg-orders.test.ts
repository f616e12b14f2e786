import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadShopifyOrders } from '../../../ingest/shopify/index.js';
import { defaultRegistry } from '../../../models/index.js';
import { runModels } from '../../../src/models/runner.js';
import { testConfig } from '../../helpers/landing.js';
import { scratch, type Scratch } from '../canonical-csv/helpers.js';

describe('Shopify orders through stg_orders', () => {
  let s: Scratch;
  beforeEach(async () => {
    s = await scratch();
  });
  afterEach(async () => {
    await s.close();
  });

  it('nets each order to Total - Taxes - Refunded Amount', async () => {
    const config = testConfig({ fxRates: { EUR: '1.08', JPY: '0.0067', KWD: '3.25' } });
    await loadShopifyOrders(s.wh, { file: 'tests/fixtures/shopify/orders_export_1.csv', config });
    await runModels({ wh: s.wh, config, registry: defaultRegistry(), select: ['stg_orders'] });
    const rows = await s.rows(`select order_id, currency, net_minor from main.stg_orders order by order_id`);
    expect(rows).toEqual([
      { order_id: '5550000001', currency: 'USD', net_minor: 5000 }, // 53.60 - 3.60 - 0.00 = 50.00
      { order_id: '5550000002', currency: 'EUR', net_minor: 6303 }, // 100.00 - 16.97 - 20.00 = 63.03
      { order_id: '5550000004', currency: 'JPY', net_minor: 1200 }, // 1200 - 0 - 0
      { order_id: '5550000006', currency: 'KWD', net_minor: 12345 }, // 12.345 - 0 - 0
    ]);
  });
});
