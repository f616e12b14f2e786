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
      expect(results.filter((r) => r.rows !== 0)).toEqual([]);
    } finally {
      await wh.close();
    }
  });
});
