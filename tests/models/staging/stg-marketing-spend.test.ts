import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelRegistry } from '../../../src/models/registry.js';
import { runModels } from '../../../src/models/runner.js';
import type { Warehouse } from '../../../src/warehouse/warehouse.js';
import { MODELS } from '../../../models/index.js';
import { stgMarketingSpend } from '../../../models/staging/stg-marketing-spend.js';
import { land, memoryWarehouse, testConfig } from '../../helpers/landing.js';

let wh: Warehouse;
beforeEach(async () => {
  wh = await memoryWarehouse();
});
afterEach(async () => {
  await wh.close();
});

const registry = () =>
  new ModelRegistry([...MODELS.filter((m) => m.name !== 'stg_marketing_spend'), stgMarketingSpend]);
const run = () => runModels({ wh, config: testConfig(), registry: registry(), select: ['stg_marketing_spend'] });
const rows = () =>
  wh.query(`select cast(month as varchar) as month, program_id, channel_group, spend_minor, currency, source_currency,
    source_spend_minor, fx_rate, fx_source, lines from stg_marketing_spend order by month, channel_group, source_currency`);
const line = (month: string, channel_group: string, currency: string, spend_minor: number, extra = {}) => ({
  month,
  channel_group,
  currency,
  spend_minor,
  campaign: 'c',
  ...extra,
});

describe('stg_marketing_spend', () => {
  it('sums lines per month, program, channel and currency and converts exactly, latest export of a month winning', async () => {
    // January, batch b1: two USD Paid Search lines (1000.00 + 500.00) and EUR Paid Social 123.45.
    await land(
      wh,
      'marketing_spend',
      [
        line('2025-01-01', 'Paid Search', 'USD', 100_000),
        line('2025-01-01', ' Paid Search ', 'usd', 50_000),
        line('2025-01-01', 'Paid Social', 'EUR', 12_345),
        line('2025-02-01', 'Paid Search', 'USD', 1000),
      ],
      'b1',
    );
    // February re-exported in b2 (landed a day later): it replaces b1's February; b1's January stays.
    await land(
      wh,
      'marketing_spend',
      [
        line('2025-02-01', 'Paid Search', 'USD', 2000, { _loaded_at: new Date('2026-01-02T00:00:00Z') }),
        line('2025-02-01', 'Display', 'EUR', 50_000, { _loaded_at: new Date('2026-01-02T00:00:00Z') }),
      ],
      'b2',
    );
    // A landed EUR rate from 2025-02-01 overrides the config's 1.08 from that day on.
    await land(wh, 'fx_rates', [{ rate_date: '2025-02-01', currency: 'EUR', reporting_currency: 'USD', rate: '1.10' }]);
    await run();
    expect(await rows()).toEqual([
      // Hand: 100000 + 50000 = 150000 USD cents.
      {
        month: '2025-01-01',
        program_id: 'friends',
        channel_group: 'Paid Search',
        spend_minor: 150_000,
        currency: 'USD',
        source_currency: 'USD',
        source_spend_minor: 150_000,
        fx_rate: '1',
        fx_source: 'same_currency',
        lines: 2,
      },
      // 12345 EUR cents x 1.08 (config) = 13332.6 -> 13333 (half away from zero).
      {
        month: '2025-01-01',
        program_id: 'friends',
        channel_group: 'Paid Social',
        spend_minor: 13_333,
        currency: 'USD',
        source_currency: 'EUR',
        source_spend_minor: 12_345,
        fx_rate: '1.08',
        fx_source: 'config',
        lines: 1,
      },
      // 50000 EUR cents x 1.10 (landed from 2025-02-01) = 55000.
      {
        month: '2025-02-01',
        program_id: 'friends',
        channel_group: 'Display',
        spend_minor: 55_000,
        currency: 'USD',
        source_currency: 'EUR',
        source_spend_minor: 50_000,
        fx_rate: '1.10',
        fx_source: 'fx_rates',
        lines: 1,
      },
      // b1's 1000 for February is replaced by b2's 2000.
      {
        month: '2025-02-01',
        program_id: 'friends',
        channel_group: 'Paid Search',
        spend_minor: 2000,
        currency: 'USD',
        source_currency: 'USD',
        source_spend_minor: 2000,
        fx_rate: '1',
        fx_source: 'same_currency',
        lines: 1,
      },
    ]);
  });

  it('fails naming the currency and months when no rate converts the spend', async () => {
    await land(wh, 'marketing_spend', [
      line('2025-03-01', 'Paid Search', 'GBP', 100),
      line('2025-05-01', 'Paid Search', 'GBP', 100),
    ]);
    await expect(run()).rejects.toThrow(/no FX rate to USD for GBP \(months 2025-03-01\.\.2025-05-01\)/);
  });

  it('is empty on an empty warehouse', async () => {
    await run();
    expect(await rows()).toEqual([]);
  });
});
