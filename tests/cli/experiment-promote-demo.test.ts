import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic, syntheticOptionsFor } from '../../ingest/synthetic/index.js';
import { SYNTHETIC_TRUTHS } from '../../ingest/synthetic/params.js';
import { defaultRegistry } from '../../models/index.js';
import { promoteVariant } from '../../models/marts/experiments/promote.js';
import { readRuleSets } from '../../models/rewards/rule-versions.js';
import { parseConfig, type RefstackConfig } from '../../src/config.js';
import { runModels } from '../../src/models/runner.js';
import { demoConfig } from '../../src/pipeline.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { memoryWarehouse } from '../helpers/landing.js';

/*
 * The rollout end to end on the demo (20,000 customers, seed 42): experiment_results ships reward-amount-2025's
 * treatment ($20 advocate reward, TRUTHS.md "Experiments"); promoting it from 2026-03-01 writes friends-cash
 * version 3 (config has versions 1 and 2), and the reward ledger then judges referrals qualifying from that day by
 * version 3 (a fixed 2000 minor advocate reward before tier multipliers and caps) and earlier ones by version 2.
 */
let wh: Warehouse;
let config: RefstackConfig;
const id = SYNTHETIC_TRUTHS.experiments.rewardAmount.id;

beforeAll(async () => {
  const base = demoConfig();
  const experiments = base.experiments.experiments.map((e) =>
    e.id === id
      ? {
          ...e,
          rollout: {
            ruleSetId: 'friends-cash',
            variants: { treatment: { advocateReward: { type: 'fixed', amountMinor: 2000, currency: 'USD' } } },
          },
        }
      : e,
  );
  config = parseConfig({ ...base, experiments: { ...base.experiments, experiments } });
  wh = await memoryWarehouse();
  await generateSynthetic(wh, syntheticOptionsFor(base, base.demo.customers, base.demo.seed));
  await runModels({ wh, config, registry: defaultRegistry(), select: ['experiment_results'] });
}, 300_000);
afterAll(async () => {
  await wh?.close();
});

describe('experiment promote on the demo', () => {
  it('promotes the shipped treatment and the ledger judges later referrals by the new version', async () => {
    const result = await promoteVariant(wh, config, {
      experimentId: id,
      variant: 'treatment',
      from: '2026-03-01',
      by: 'growth-lead',
      note: 'reward-amount-2025 shipped: +25% invites',
    });
    expect(result).toMatchObject({
      created: true,
      ruleSetId: 'friends-cash',
      version: 3,
      replacesVersion: 2,
      decision: 'ship',
    });
    const sets = (await readRuleSets(wh, config)).filter((s) => s.id === 'friends-cash');
    expect(sets.map((s) => [s.version, s.effectiveFrom, s.effectiveTo ?? null])).toEqual([
      [1, '2025-01-01', '2025-07-01'],
      [2, '2025-07-01', '2026-03-01'],
      [3, '2026-03-01', null],
    ]);
    await runModels({ wh, config, registry: defaultRegistry(), select: ['reward_ledger'] });
    const byVersion = await wh.query<{ v: number; first: string; last: string; n: number }>(
      `select rule_version as v, min(qualified_at)::date::varchar as first, max(qualified_at)::date::varchar as last,
         count(*)::int as n
       from reward_ledger where rule_set_id = 'friends-cash' and entry_type = 'accrued' and beneficiary_role = 'advocate'
       group by 1 order by 1`,
    );
    const v2 = byVersion.find((r) => Number(r.v) === 2)!;
    const v3 = byVersion.find((r) => Number(r.v) === 3)!;
    expect(v2.last < '2026-03-01').toBe(true);
    expect(v3.first >= '2026-03-01').toBe(true);
    expect(v3.n).toBeGreaterThan(0);
    // Version 3's advocate accruals are the fixed 2000 times a tier multiplier (1, 1.25 or 1.5: 2000, 2500, 3000;
    // refstack.config.ts), or what is left under the 5000-a-month cap (1500 on this data): multiples of 500.
    const amounts = await wh.query<{ a: number }>(
      `select distinct amount_minor as a from reward_ledger
       where rule_set_id = 'friends-cash' and rule_version = 3 and entry_type = 'accrued' and beneficiary_role = 'advocate'
       order by 1`,
    );
    const values = amounts.map((r) => Number(r.a));
    expect(values).toEqual(expect.arrayContaining([2000, 2500, 3000]));
    expect(values.every((a) => a > 0 && a <= 3000 && a % 500 === 0)).toBe(true);
    // Rerunning the promotion changes nothing.
    expect(
      (await promoteVariant(wh, config, { experimentId: id, variant: 'treatment', from: '2026-03-01', by: 'x' }))
        .created,
    ).toBe(false);
  });
});
