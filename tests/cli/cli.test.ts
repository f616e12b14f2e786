import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { program } from '../../src/cli/main.js';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../src/version.js';

const BIN = resolve(ROOT, 'bin/refstack.js');
const cli = (args: string[], cwd = ROOT) => {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, REFSTACK_QUIET: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('refstack CLI', () => {
  it('prints help for every command', () => {
    const r = cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: refstack/);
    // Every command and subcommand, in process (spawning one CLI per command costs seconds each on a loaded machine).
    const seen: string[] = [];
    const walk = (cmd: Command, path: string[]) => {
      for (const sub of cmd.commands) {
        const name = [...path, sub.name()].join(' ');
        seen.push(name);
        expect(sub.helpInformation(), name).toMatch(new RegExp(`^Usage: refstack ${name} `));
        expect(sub.description(), `${name} has a description`).not.toBe('');
        walk(sub, [...path, sub.name()]);
      }
    };
    walk(program(), []);
    for (const name of [
      'demo',
      'run',
      'build',
      'preview',
      'ingest csv',
      'models',
      'review decide',
      'experiment promote',
    ])
      expect(seen).toContain(name);
  });

  it('exits non-zero with one line per config problem, naming key path and value', () => {
    const dir = mkdtempSync(join(tmpdir(), 'refstack-cli-'));
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        rewards: {
          ruleSets: [
            {
              id: 'cash',
              version: 1,
              effectiveFrom: '2025-01-01',
              programIds: ['friends'],
              qualifyingEvent: { type: 'purchase' },
              advocateReward: { type: 'fixed', amountMinor: 1000, currency: 'USD' },
              tiers: [
                { name: 'a', threshold: 2 },
                { name: 'b', threshold: -3 },
              ],
            },
          ],
        },
        demo: { seed: 'x' },
      }),
    );
    const r = cli(['run', '--config', file], dir);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toContain(
      `error: ${file}: rewards.ruleSets[0].tiers[1].threshold: expected a positive integer, got -3`,
    );
    expect(lines).toContain(`error: ${file}: demo.seed: expected a non-negative integer, got "x"`);
    expect(r.stdout).toBe('');
  });

  it('rejects a bad flag value and an unknown model in one line', () => {
    const bad = cli(['demo', '--customers', '-5', '--no-site']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--customers: expected a positive integer, got "-5"|unknown option/);
    const dir = mkdtempSync(join(tmpdir(), 'refstack-cli-'));
    const r = cli(['run', '--select', 'nope', '--warehouse', join(dir, 'w.duckdb')], dir);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^error: unknown model "nope"; known models: stg_customers, /);
  });

  it('ingests a CSV with a bad date and a negative amount: quarantined with reasons, counts add up, reload adds nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'refstack-cli-'));
    writeFileSync(
      join(dir, 'orders.csv'),
      [
        'order_id,customer_id,program_id,ordered_at,currency,gross_amount,tax_amount,status',
        'O1,C1,friends,2025-01-04T10:00:00Z,EUR,49.90,4.00,paid',
        'O2,C2,friends,2025-02-30,USD,10.00,,paid',
        'O3,C3,friends,2025-01-05,USD,-12.00,,paid',
        'O4,C4,friends,2025-01-06 09:30,USD,1200.5,100,paid',
      ].join('\n'),
    );
    const args = [
      'ingest',
      'csv',
      'orders.csv',
      '--warehouse',
      'w.duckdb',
      '--config',
      resolve(ROOT, 'refstack.config.ts'),
      '--json',
    ];
    const first = cli(args, dir);
    expect(first.code).toBe(0);
    // 4 data rows: O2 has an impossible date, O3 a negative amount; O1 and O4 load.
    expect(JSON.parse(first.stdout)).toMatchObject([
      {
        table: 'orders',
        status: 'loaded',
        read: 4,
        loaded: 2,
        quarantined: 2,
        reasons: { invalid_timestamp: 1, negative_amount: 1 },
      },
    ]);
    const again = cli(args, dir);
    expect(JSON.parse(again.stdout)).toMatchObject([{ status: 'already_loaded', read: 4, loaded: 2, quarantined: 2 }]);
    const run = cli(
      [
        'run',
        '--select',
        'stg_orders',
        '--warehouse',
        'w.duckdb',
        '--config',
        resolve(ROOT, 'refstack.config.ts'),
        '--json',
      ],
      dir,
    );
    expect(run.code).toBe(0);
    // Only the two good orders reach staging, once each despite the second load.
    expect(JSON.parse(run.stdout).models).toMatchObject([{ model: 'stg_orders', rows: 2 }]);
  });

  it('lists models with their grain as JSON', () => {
    const r = cli(['models', '--json']);
    expect(r.code).toBe(0);
    const models = JSON.parse(r.stdout) as { name: string; grain: string }[];
    expect(models.map((m) => m.name)).toContain('referral_funnel');
    expect(models.find((m) => m.name === 'referral_funnel')?.grain).toBe(
      'one row per program, advocate and calendar month with any funnel activity',
    );
  });
});
