import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { land, memoryWarehouse } from '../../../helpers/landing.js';
import { brief, friendsCashRule, landReferrals, ledger, rewardsTestConfig } from './fixture.js';

/*
 * A referee pays in GBP, a currency the config has no fxRates entry for; the only rate is a landed raw.fx_rates
 * row (1 GBP = 1.25 USD from 2025-01-01). The percent reward is taken of the commission base as stg_orders
 * converts it, so the order is rewarded like any other instead of being left out.
 */
let wh: Warehouse;
beforeEach(async () => {
  wh = await memoryWarehouse();
  await landReferrals(wh, [
    {
      id: 'R1',
      code: 'ALICE',
      signedUp: '2025-02-01',
      order: { id: 'O1', at: '2025-02-03', currency: 'GBP', gross: 8000, tax: 800 },
    },
  ]);
  await land(wh, 'fx_rates', [{ rate_date: '2025-01-01', currency: 'GBP', reporting_currency: 'USD', rate: '1.25' }]);
});
afterEach(async () => {
  await wh.close();
});

describe('reward_ledger and landed FX rates', () => {
  it('rewards an order whose currency has only a raw.fx_rates rate, at that rate', async () => {
    const config = rewardsTestConfig({
      ruleSets: [friendsCashRule({ advocateReward: { type: 'percent', percent: '10' } })],
    });
    // By hand: base 8000 - 800 tax = 7200 GBP pence x 1.25 = 9000 US cents; 10% = 900, approved 30 days later.
    expect(brief(await ledger(wh, config)).filter(([referee]) => referee === 'R1')).toEqual([
      ['R1', 'advocate', 'accrued', 900, '2025-02-03T00:00'],
      ['R1', 'advocate', 'approved', 900, '2025-03-05T00:00'],
    ]);
  });
});
