import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runModels } from '../../../src/models/runner.js';
import { ModelRegistry } from '../../../src/models/registry.js';
import type { Warehouse } from '../../../src/warehouse/warehouse.js';
import { stgExperimentAssignments } from '../../../models/staging/stg-experiment-assignments.js';
import { land, memoryWarehouse, testConfig } from '../../helpers/landing.js';

let wh: Warehouse;
beforeEach(async () => {
  wh = await memoryWarehouse();
});
afterEach(async () => {
  await wh.close();
});

const a = (experiment_id: string, unit_id: string, variant: string, assigned_at: string) => ({
  experiment_id,
  unit_id,
  variant,
  assigned_at,
  unit_type: 'Advocate',
});

describe('stg_experiment_assignments', () => {
  it('dedupes reloads, flags units in two variants and keeps them countable', async () => {
    await land(wh, 'experiment_assignments', [
      a('exp1', 'U1', 'control', '2025-07-01T00:00:00Z'),
      a('exp1', 'U2', 'treatment', '2025-07-02T00:00:00Z'),
      a('exp1', 'U3', 'control', '2025-07-03T00:00:00Z'),
      a('exp1', 'U3', 'treatment', '2025-07-04T00:00:00Z'), // the assignment bug: U3 in both arms
      a('exp2', 'U1', 'b', '2025-08-01T00:00:00Z'), // another experiment: independent
    ]);
    // A reload of U1 and U2 in a later batch (U1 with a later time): counted once, at the earliest time.
    await land(
      wh,
      'experiment_assignments',
      [a('exp1', 'U1', 'control', '2025-07-05T00:00:00Z'), a(' exp1 ', 'U2 ', 'treatment', '2025-07-02T00:00:00Z')],
      'reload',
    );
    await runModels({
      wh,
      config: testConfig(),
      registry: new ModelRegistry([stgExperimentAssignments]),
    });
    const rows = await wh.query(
      `select experiment_id, unit_id, unit_type, variant, first_variant, strftime(assigned_at, '%Y-%m-%d') as day,
              variant_count, is_excluded, exclusion_reason
       from main.stg_experiment_assignments order by 1, 2`,
    );
    expect(rows).toEqual([
      {
        experiment_id: 'exp1',
        unit_id: 'U1',
        unit_type: 'advocate',
        variant: 'control',
        first_variant: 'control',
        day: '2025-07-01',
        variant_count: 1,
        is_excluded: false,
        exclusion_reason: null,
      },
      {
        experiment_id: 'exp1',
        unit_id: 'U2',
        unit_type: 'advocate',
        variant: 'treatment',
        first_variant: 'treatment',
        day: '2025-07-02',
        variant_count: 1,
        is_excluded: false,
        exclusion_reason: null,
      },
      {
        experiment_id: 'exp1',
        unit_id: 'U3',
        unit_type: 'advocate',
        variant: null,
        first_variant: 'control',
        day: '2025-07-03',
        variant_count: 2,
        is_excluded: true,
        exclusion_reason: 'assigned_to_multiple_variants',
      },
      {
        experiment_id: 'exp2',
        unit_id: 'U1',
        unit_type: 'advocate',
        variant: 'b',
        first_variant: 'b',
        day: '2025-08-01',
        variant_count: 1,
        is_excluded: false,
        exclusion_reason: null,
      },
    ]);
  });
});
