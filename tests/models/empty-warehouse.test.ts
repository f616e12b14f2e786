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
      // Fixed grains, written with zeros: ltv_comparison (its five headline comparisons), fraud_backtest (one row
      // per rule), data_quality (the attribution reconciliation row: nothing to reconcile). All else is empty.
      expect(
        results
          .filter((r) => r.rows !== 0)
          .map((r) => r.model)
          .sort(),
      ).toEqual(['data_quality', 'fraud_backtest', 'ltv_comparison']);
      expect(await wh.query('select sum(flagged) as n from fraud_backtest')).toEqual([{ n: 0 }]);
      expect(
        await wh.query('select sum(n + baseline_n) as n from ltv_comparison'),
      ).toEqual([{ n: 0 }]);
    } finally {
      await wh.close();
    }
  });
});
