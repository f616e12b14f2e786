import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ModelContext } from '../../../../src/models/define-model.js';
import { ModelRegistry } from '../../../../src/models/registry.js';
import { runModels } from '../../../../src/models/runner.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { MODELS } from '../../../../models/index.js';
import { forecastConfig } from '../../../../models/marts/forecast/config-schema.js';
import { fitPayoutModel, scenarioSeed } from '../../../../models/marts/forecast/fit.js';
import { fetchPayoutHistory, lastCompleteMonth } from '../../../../models/marts/forecast/history.js';
import { payoutForecast } from '../../../../models/marts/forecast/payout-forecast.js';
import { payoutForecastBacktest } from '../../../../models/marts/forecast/payout-forecast-backtest.js';
import { memoryWarehouse, testConfig } from '../../../helpers/landing.js';

let wh: Warehouse;
beforeEach(async () => {
  wh = await memoryWarehouse();
});
afterEach(async () => {
  await wh.close();
});

const config = testConfig();
const context = (): ModelContext => {
  const d = wh.dialect;
  const schema = config.schemas.analytics;
  return {
    wh,
    d,
    config,
    self: d.tableRef(schema, 'payout_forecast'),
    ref: (name) => d.tableRef(schema, name),
    source: (table) => d.tableRef(config.schemas.raw, table),
  };
};

/** Literal stand-ins for the two tables the forecast reads (only the columns it uses). */
async function landHistory(): Promise<void> {
  const ref = (t: string) => wh.dialect.tableRef(config.schemas.analytics, t);
  await wh.exec(`create schema if not exists ${wh.dialect.quoteIdent(config.schemas.analytics)}`);
  await wh.exec(`create table ${ref('stg_referrals')} as select * from (values
    ('r1', timestamp '2025-01-05 10:00:00'), ('r2', timestamp '2025-01-20 10:00:00'),
    ('r3', timestamp '2025-02-03 10:00:00'), ('r4', timestamp '2025-03-10 10:00:00')) t(referral_id, signed_up_at)`);
  await wh.exec(`create table ${ref('reward_ledger')} as select * from (values
    ('r1', 'bronze', 'accrued', 1000, 1000, 0, date '2025-01-06'),
    ('r1', 'bronze', 'approved', 1000, -1000, 1000, date '2025-02-05'),
    ('r2', 'bronze', 'accrued', 1000, 1000, 0, date '2025-01-21'),
    ('r2', 'bronze', 'capped', -400, -400, 0, date '2025-01-21'),
    ('r2', null, 'voided', -600, -600, 0, date '2025-02-01'),
    ('r3', 'gold', 'accrued', 2000, 2000, 0, date '2025-02-04'),
    ('r3', 'gold', 'clawed_back', -2000, 0, -2000, date '2025-03-20'),
    ('r4', 'gold', 'accrued', 500, 500, 0, date '2025-03-11')
  ) t(referral_id, tier, entry_type, amount_minor, held_delta_minor, approved_delta_minor, effective_at),
  (select 'USD' as currency, date '2025-03-15' as as_of)`);
}

describe('payout forecast history and fit', () => {
  it('reads monthly sufficient statistics as of a cutoff', async () => {
    await landHistory();
    const h = await fetchPayoutHistory(context(), '2025-03-15');
    // 2025-03 is not complete on 2025-03-15, so the series ends in 2025-02.
    expect(h.months).toEqual(['2025-01-01', '2025-02-01']);
    expect(h.signups).toEqual([2, 1]);
    // Net by effective month: January 1000 + 1000 - 400 = 1600; February -600 (r2's void) + 2000 = 1400.
    expect(h.netMinor).toEqual([1600, 1400]);
    // Per accrual month and tier: r1 granted 1000, r2 1000 - 400 = 600 (squares 1e6 + 3.6e5), r2 reversed 600.
    // r3's clawback on 2025-03-20 is after the cutoff: not seen.
    expect(h.tierMonths).toEqual([
      {
        month: '2025-01-01',
        tier: 'bronze',
        rewarded: 2,
        grantedMinor: 1600,
        grantedSquares: 1_360_000,
        reversed: 1,
        reversedMinor: 600,
      },
      {
        month: '2025-02-01',
        tier: 'gold',
        rewarded: 1,
        grantedMinor: 2000,
        grantedSquares: 4_000_000,
        reversed: 0,
        reversedMinor: 0,
      },
    ]);
    // Unpaid on the cutoff: held 1000 - 1000 + 1000 - 400 - 600 + 2000 + 500 = 2500, approved 1000.
    expect(h.openingLiabilityMinor).toBe(3500);
    expect(h.openingApprovedMinor).toBe(1000);
  });

  it('turns the statistics into simulation inputs', async () => {
    await landHistory();
    const h = await fetchPayoutHistory(context(), '2025-03-15');
    const cfg = forecastConfig({});
    const fitted = fitPayoutModel(h, cfg, { name: 'base', growthDelta: 0 }, 2)!;
    // 3 rewarded of 3 sign-ups: Beta(3 + 1, 0 + 1). Bronze mean 1600 / 2 = 800, variance 1.36e6 / 2 - 800^2 = 40000.
    // Mix Dirichlet(2 + .5, 1 + .5). Reversal: 1 of 3, Beta(2, 3), at 600 each.
    // Volume: two months (2, 1): level 1.5, too short for a trend (growth 0, Poisson).
    expect(fitted.model).toEqual({
      volume: { means: [1.5, 1.5], size: Infinity },
      conversion: { alpha: 4, beta: 1 },
      tiers: [
        { tier: 'bronze', meanMinor: 800, varianceMinor: 40_000 },
        { tier: 'gold', meanMinor: 2000, varianceMinor: 0 },
      ],
      tierMix: { alpha: [2.5, 1.5] },
      reversal: { alpha: 2, beta: 3 },
      reversedMeanMinor: 600,
      openingLiabilityMinor: 3500,
      openingApprovedMinor: 1000,
      payoutLagMonths: 2,
    });
    // A scenario with a fixed growth replaces the trend: 1.5 x 1.1^(h + 0.5) (centre of a 2-month level window).
    const fixed = fitPayoutModel(h, cfg, { name: 'up', monthlyGrowth: 0.1, growthDelta: 0 }, 1)!;
    expect(fixed.model.volume.means[0]).toBeCloseTo(1.5 * Math.pow(1.1, 1.5), 10);
  });

  it('knows complete months and gives scenarios stable seeds', () => {
    expect(lastCompleteMonth('2026-06-30')).toBe('2026-06-01');
    expect(lastCompleteMonth('2026-06-29')).toBe('2026-05-01');
    expect(lastCompleteMonth('2024-02-29')).toBe('2024-02-01');
    // The seed is mixed with a hash of the name: stable across runs and orderings, different per name.
    expect(scenarioSeed(1, 'base')).toBe(scenarioSeed(1, 'base'));
    expect(scenarioSeed(1, 'base')).not.toBe(scenarioSeed(1, 'optimistic'));
  });

  it('rejects a bad forecast config, naming the key', () => {
    expect(() => forecastConfig({ forecast: { simulations: 5 } })).toThrow(/config forecast.simulations/);
    expect(() => forecastConfig({ forecast: { scenarios: [{ name: 'a' }, { name: 'a' }] } })).toThrow(/unique/);
  });
});

describe('payout forecast on an empty warehouse', () => {
  it('writes empty tables', async () => {
    const registry = new ModelRegistry([
      ...MODELS.filter((m) => m.name !== 'payout_forecast' && m.name !== 'payout_forecast_backtest'),
      payoutForecast,
      payoutForecastBacktest,
    ]);
    await runModels({ wh, config, registry, select: ['payout_forecast', 'payout_forecast_backtest'] });
    const [a] = await wh.query(`select count(*) as n from payout_forecast`);
    const [b] = await wh.query(`select count(*) as n from payout_forecast_backtest`);
    expect([a!['n'], b!['n']]).toEqual([0, 0]);
  });
});
