import { describe, expect, it } from 'vitest';
import { runModels } from '../../src/models/runner.js';
import { demoConfig } from '../../src/pipeline.js';
import { defaultRegistry } from '../../models/index.js';
import { memoryWarehouse } from '../helpers/landing.js';

describe('every model on an empty warehouse', () => {
  it('runs to completion and writes every mart empty (a new user runs before landing data)', async () => {
    const wh = await memoryWarehouse();
    try {
      const { results } = await runModels({ wh, config: demoConfig(), registry: defaultRegistry() });
      expect(results.map((r) => r.model).sort()).toEqual(defaultRegistry().names.sort());
      // Fixed grains, written with zeros: ltv_comparison (one row per comparison), fraud_backtest (one row per
      // rule). All else is empty.
      expect(
        results
          .filter((r) => r.rows !== 0)
          .map((r) => r.model)
          .sort(),
      ).toEqual(['fraud_backtest', 'ltv_comparison']);
      expect(await wh.query('select sum(flagged) as n from fraud_backtest')).toEqual([{ n: 0 }]);
      expect(
        await wh.query('select sum(referred_customers + non_referred_customers) as n from ltv_comparison'),
      ).toEqual([{ n: 0 }]);
    } finally {
      await wh.close();
    }
  });
});
