import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { promoteVariant } from '../../models/marts/experiments/promote.js';
import { readRuleSets } from '../../models/rewards/rule-versions.js';
import { experimentCommand, formatExperimentList, listExperiments } from '../../src/cli/commands/experiment.js';
import type { RefstackConfigInput } from '../../src/config.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { memoryWarehouse, testConfig } from '../helpers/landing.js';

const CONFIG: RefstackConfigInput = {
  rewards: {
    ruleSets: [
      {
        id: 'cash',
        version: 1,
        description: 'Give $5, get $10',
        effectiveFrom: '2025-01-01',
        programIds: ['friends'],
        qualifyingEvent: { type: 'purchase' },
        advocateReward: { type: 'fixed', amountMinor: 1000, currency: 'USD' },
        holdingDays: 14,
      },
    ],
  },
  experiments: {
    experiments: [
      {
        id: 'reward-amount',
        control: 'control',
        rollout: {
          ruleSetId: 'cash',
          variants: {
            treatment: {
              advocateReward: { type: 'fixed', amountMinor: 2000, currency: 'USD' },
              refereeReward: { type: 'fixed', amountMinor: 500, currency: 'USD' },
            },
          },
        },
      },
    ],
  },
};
const config = testConfig(CONFIG);

/** A literal experiment_results with the columns promote and list read (one metric row per variant). */
async function results(wh: Warehouse, decision: string, reason = 'treatment beats control on invites'): Promise<void> {
  await wh.exec(`create or replace table main.experiment_results as
    select 'reward-amount' as experiment, 'treatment' as variant, 'control' as control_variant, 'invites' as metric,
      true as is_primary, 0.25 as rel_lift, 0.15 as ci_low, 0.35 as ci_high,
      '${decision}' as decision, '${reason}' as reason`);
}

let wh: Warehouse | undefined;
afterEach(async () => {
  await wh?.close();
  wh = undefined;
});

const request = { experimentId: 'reward-amount', variant: 'treatment', from: '2025-09-01', by: 'ana', note: 'won' };

describe('promoteVariant', () => {
  it('writes version 2 with the variant reward from --from, closes version 1 there, and audits who/what/why', async () => {
    wh = await memoryWarehouse();
    await results(wh, 'ship');
    const now = new Date('2026-01-02T03:04:05Z');
    const r = await promoteVariant(wh, config, { ...request, now });
    expect(r).toMatchObject({ created: true, ruleSetId: 'cash', version: 2, replacesVersion: 1, forced: false });
    const sets = await readRuleSets(wh, config);
    expect(sets.map((s) => [s.version, s.effectiveFrom, s.effectiveTo ?? null])).toEqual([
      [1, '2025-01-01', '2025-09-01'],
      [2, '2025-09-01', null],
    ]);
    // The new version keeps everything else of version 1 (holdingDays 14, programs) and takes the variant's rewards.
    expect(sets[1]).toMatchObject({
      holdingDays: 14,
      programIds: ['friends'],
      advocateReward: { type: 'fixed', amountMinor: 2000, currency: 'USD' },
      refereeReward: { type: 'fixed', amountMinor: 500, currency: 'USD' },
      description: 'Give $5, get $10; promoted from experiment reward-amount, variant treatment',
    });
    const audit = await wh.query<Record<string, unknown>>(
      `select audit_id, actor, action, subject_type, subject_id, reason, details::varchar as details
       from main.refstack_audit_log`,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      audit_id: r.auditId,
      actor: 'ana',
      action: 'experiment.promote',
      subject_type: 'experiment',
      subject_id: 'reward-amount',
      reason: 'won',
    });
    expect(JSON.parse(String(audit[0]!.details))).toMatchObject({
      variant: 'treatment',
      ruleSetId: 'cash',
      version: 2,
      effectiveFrom: '2025-09-01',
      replacesVersion: 1,
      decision: 'ship',
      forced: false,
    });
    const stored = await wh.query<Record<string, unknown>>(
      `select created_by, origin, audit_id, created_at::varchar as created_at from main.reward_rule_versions`,
    );
    expect(stored).toEqual([
      {
        created_by: 'ana',
        origin: 'experiment:reward-amount:treatment',
        audit_id: r.auditId,
        created_at: '2026-01-02 03:04:05',
      },
    ]);
  });

  it('is a no-op with a message when rerun', async () => {
    wh = await memoryWarehouse();
    await results(wh, 'ship');
    await promoteVariant(wh, config, request);
    const again = await promoteVariant(wh, config, request);
    expect(again).toMatchObject({ created: false, version: 2, auditId: null });
    expect(again.message).toBe(
      'already promoted: reward-amount / treatment is rule set "cash" version 2 from 2025-09-01; nothing written',
    );
    const [n] = await wh.query<{ v: number; a: number }>(
      `select (select count(*) from main.reward_rule_versions)::int as v, (select count(*) from main.refstack_audit_log)::int as a`,
    );
    expect(n).toEqual({ v: 1, a: 1 });
  });

  it('refuses a variant whose decision is not ship, and records --force', async () => {
    wh = await memoryWarehouse();
    await results(wh, 'keep running', 'no significant difference yet');
    await expect(promoteVariant(wh, config, request)).rejects.toThrow(
      'experiment_results says "keep running" for reward-amount / treatment, not ship (no significant difference yet); use --force',
    );
    expect(await wh.tableExists('main', 'reward_rule_versions')).toBe(false); // nothing written
    const r = await promoteVariant(wh, config, { ...request, force: true });
    expect(r).toMatchObject({ created: true, forced: true, decision: 'keep running' });
    const [a] = await wh.query<{ d: string }>(`select details::varchar as d from main.refstack_audit_log`);
    expect(JSON.parse(a!.d)).toMatchObject({ forced: true, decision: 'keep running' });
  });

  it('refuses without results, and names unknown experiments, variants and bad dates', async () => {
    wh = await memoryWarehouse();
    await expect(promoteVariant(wh, config, request)).rejects.toThrow(
      'experiment_results has no result for reward-amount / treatment; run "refstack run" first',
    );
    await results(wh, 'ship');
    await expect(promoteVariant(wh, config, { ...request, experimentId: 'nope' })).rejects.toThrow(
      'unknown experiment "nope" (configured: reward-amount)',
    );
    await expect(promoteVariant(wh, config, { ...request, variant: 'b' })).rejects.toThrow(
      'variant "b" of "reward-amount" has no reward change in config experiments.experiments[0].rollout.variants (has: treatment)',
    );
    await expect(promoteVariant(wh, config, { ...request, from: '2025-02-30' })).rejects.toThrow(
      '--from: expected a date YYYY-MM-DD, got "2025-02-30"',
    );
    await expect(promoteVariant(wh, config, { ...request, from: '2024-12-31' })).rejects.toThrow(
      'no version of rule set "cash" (config experiments.experiments[0].rollout.ruleSetId) is in effect on 2024-12-31 (version 1 [2025-01-01, open))',
    );
    await expect(promoteVariant(wh, config, { ...request, from: '2025-01-01' })).rejects.toThrow(
      '--from 2025-01-01 is the first day of rule set "cash" version 1; promote from a later date',
    );
  });

  it('builds on the version in effect at --from, earlier promotions included', async () => {
    wh = await memoryWarehouse();
    await results(wh, 'ship');
    await promoteVariant(wh, config, request);
    const later = await promoteVariant(wh, config, { ...request, from: '2025-12-01' });
    expect(later).toMatchObject({ created: true, version: 3, replacesVersion: 2 });
    const sets = await readRuleSets(wh, config);
    expect(sets.map((s) => [s.version, s.effectiveFrom, s.effectiveTo ?? null])).toEqual([
      [1, '2025-01-01', '2025-09-01'],
      [2, '2025-09-01', '2025-12-01'],
      [3, '2025-12-01', null],
    ]);
  });

  it('rejects a rollout of the control variant in config', () => {
    expect(() =>
      testConfig({
        experiments: {
          experiments: [
            {
              id: 'x',
              control: 'a',
              rollout: { ruleSetId: 'cash', variants: { a: { advocateReward: { type: 'percent', percent: '5' } } } },
            },
          ],
        },
      }),
    ).toThrow('the control variant "a" is what runs already');
  });
});

describe('refstack experiment list / promote (commands)', () => {
  it('lists the decision and the promotion, and promotes through the command line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'refstack-exp-'));
    const file = join(dir, 'warehouse.duckdb');
    const cfgFile = join(dir, 'config.json');
    writeFileSync(cfgFile, JSON.stringify({ ...CONFIG, programs: [{ id: 'friends', name: 'Friends' }] }));
    const setup = await DuckDBWarehouse.open({ path: file });
    await results(setup, 'ship');
    await setup.close();
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    try {
      const run = (args: string[]) => experimentCommand().exitOverride().parseAsync(args, { from: 'user' });
      await run([
        'promote',
        'reward-amount',
        'treatment',
        '--from',
        '2025-09-01',
        '--by',
        'ana',
        '-w',
        file,
        '-c',
        cfgFile,
      ]);
      await run(['promote', 'reward-amount', 'treatment', '--from', '2025-09-01', '-w', file, '-c', cfgFile]);
      await run(['list', '-w', file, '-c', cfgFile, '--json']);
    } finally {
      spy.mockRestore();
    }
    expect(out[0]).toBe(
      'promoted reward-amount / treatment: rule set "cash" version 2 from 2025-09-01 replaces version 1\n',
    );
    expect(out[2]).toMatch(/^already promoted: .* nothing written\n$/);
    const listed = JSON.parse(out[3]!);
    expect(listed).toEqual([
      {
        experiment: 'reward-amount',
        variant: 'treatment',
        control: 'control',
        configured: true,
        decision: 'ship',
        reason: 'treatment beats control on invites',
        primaryMetric: 'invites',
        relLift: 0.25,
        ciLow: 0.15,
        ciHigh: 0.35,
        promotable: true,
        promoted: [{ ruleSetId: 'cash', version: 2, effectiveFrom: '2025-09-01' }],
      },
    ]);
    expect(formatExperimentList(listed)).toContain('ship              invites +25.0% (+15.0% to +35.0%)');
  });

  it('lists configured experiments without results', async () => {
    wh = await memoryWarehouse();
    const rows = await listExperiments(wh, config);
    expect(rows.map((r) => [r.experiment, r.variant, r.decision, r.promotable])).toEqual([
      ['reward-amount', 'treatment', null, true],
    ]);
  });
  it('rejects an impossible --from in one line naming it, before opening anything', async () => {
    for (const bad of ['2026-13-01', '2026-02-30', 'tomorrow'])
      await expect(
        experimentCommand()
          .exitOverride()
          .parseAsync(['promote', 'reward-amount', 'treatment', '--from', bad, '-w', '/nonexistent/w.duckdb'], {
            from: 'user',
          }),
      ).rejects.toThrow(`--from: expected a date YYYY-MM-DD, got "${bad}"`);
  });

  it('widens the lift column to its longest entry so the promoted column stays aligned', () => {
    const row = (variant: string, metric: string, promotable: boolean) => ({
      experiment: 'e',
      variant,
      control: 'c',
      configured: true,
      decision: 'keep running',
      reason: null,
      primaryMetric: metric,
      relLift: 0.038,
      ciLow: -0.078,
      ciHigh: 0.155,
      promotable,
      promoted: [],
    });
    const lines = formatExperimentList([row('a', 'referee_conversion', false), row('b', 'invites', true)]).split('\n');
    // 'referee_conversion +3.8% (-7.8% to +15.5%)' is 42 characters, wider than the 34 of the default column:
    // the lift column starts at 24 + 1 + 28 + 1 + 17 + 1 = 72 and ends at 72 + 42 = 114 on every line.
    expect(lines.map((l) => l.indexOf(' no'))).toEqual([-1, 114, 114]);
    expect(lines[0]!.indexOf('promoted')).toBe(115);
  });
});
