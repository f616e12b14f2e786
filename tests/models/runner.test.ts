import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineModel } from '../../src/models/define-model.js';
import { ModelRegistry } from '../../src/models/registry.js';
import { runModels } from '../../src/models/runner.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { memoryWarehouse, testConfig } from '../helpers/landing.js';

let wh: Warehouse;
beforeEach(async () => {
  wh = await memoryWarehouse();
});
afterEach(async () => {
  await wh.close();
});

const base = defineModel({
  name: 'base',
  grain: 'one row per i',
  dependsOn: [],
  build: () => 'select * from range(3) t(i)',
});
const doubled = defineModel({
  name: 'doubled',
  grain: 'one row per i',
  dependsOn: ['base'],
  build: ({ ref }) => `select i * 2 as j from ${ref('base')}`,
});

describe('model runner', () => {
  it('materializes models in order and appends one audit row per model run', async () => {
    const registry = new ModelRegistry([doubled, base]);
    const { runId, results } = await runModels({ wh, config: testConfig(), registry });
    expect(results.map((r) => [r.model, r.rows])).toEqual([
      ['base', 3],
      ['doubled', 3],
    ]);
    expect(await wh.query('select sum(j) as s from doubled')).toEqual([{ s: 6 }]); // 0 + 2 + 4
    const runs = await wh.query(
      `select run_id, model, rows, status, error, length(config_hash) as h, code_version is not null as v, seconds >= 0 as s
       from refstack_runs order by started_at, model`,
    );
    expect(runs).toEqual([
      { run_id: runId, model: 'base', rows: 3, status: 'success', error: null, h: 16, v: true, s: true },
      { run_id: runId, model: 'doubled', rows: 3, status: 'success', error: null, h: 16, v: true, s: true },
    ]);
    await runModels({ wh, config: testConfig(), registry, select: ['base'] });
    expect(await wh.query('select count(*) as n from refstack_runs')).toEqual([{ n: 3 }]);
  });

  it('fails with the model name and the SQL error, and records the failure', async () => {
    const broken = defineModel({
      name: 'broken',
      grain: 'one row',
      dependsOn: ['base'],
      build: ({ ref }) => `select nope from ${ref('base')}`,
    });
    const registry = new ModelRegistry([base, broken]);
    await expect(runModels({ wh, config: testConfig(), registry })).rejects.toThrow(/^model broken failed: .*nope/);
    const [row] = await wh.query<{ status: string; error: string }>(
      `select status, error from refstack_runs where model = 'broken'`,
    );
    expect(row?.status).toBe('failed');
    expect(row?.error).toMatch(/nope/);
  });

  it('refuses a ref to a model not declared in dependsOn', async () => {
    const sneaky = defineModel({
      name: 'sneaky',
      grain: 'one row',
      dependsOn: [],
      build: ({ ref }) => `select * from ${ref('base')}`,
    });
    await expect(runModels({ wh, config: testConfig(), registry: new ModelRegistry([base, sneaky]) })).rejects.toThrow(
      'model sneaky failed: model sneaky references "base" but does not list it in dependsOn',
    );
  });
});

describe('model runner, exact selection', () => {
  it('runs only the selected models, reading the inputs an earlier run built', async () => {
    const registry = new ModelRegistry([base, doubled]);
    const config = testConfig();
    await runModels({ wh, config, registry });
    await wh.exec('insert into main.base values (10)');
    const { results } = await runModels({ wh, config, registry, select: ['doubled'], exact: true });
    expect(results.map((r) => r.model)).toEqual(['doubled']);
    // base was not rebuilt: doubled sees the row added after the first run (0, 2, 4 and 20).
    expect(await wh.query('select j from main.doubled order by j')).toEqual([{ j: 0 }, { j: 2 }, { j: 4 }, { j: 20 }]);
  });
});
