import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { exportNotificationsCommand, notificationsCommand } from '../../src/cli/commands/notifications.js';
import { CliError } from '../../src/cli/errors.js';
import { runModels } from '../../src/models/runner.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb.js';
import { ensureLandingSchema } from '../../ingest/landing-schema.js';
import { assignCodes } from '../../activate/codes/assign.js';
import {
  ACTIVATION_REWARDS_INPUT,
  activationRegistry,
  activationTestConfig,
  landActivationFixture,
} from '../models/marts/activation/fixture.js';

let dir: string;
let file: string;
let configFile: string;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'refstack-notify-cli-'));
  file = join(dir, 'wh.duckdb');
  configFile = join(dir, 'config.json');
  const config = activationTestConfig();
  // The same config as the mart was built with, as the file the CLI reads.
  const { writeFileSync } = await import('node:fs');
  writeFileSync(
    configFile,
    JSON.stringify({
      programs: [{ id: 'friends', name: 'Friends' }],
      fxRates: { EUR: '1.08' },
      rewards: ACTIVATION_REWARDS_INPUT,
      activation: config.activation,
    }),
  );
  const wh = await DuckDBWarehouse.open({ path: file });
  try {
    await ensureLandingSchema(wh);
    await landActivationFixture(wh);
    await runModels({ wh, config, registry: activationRegistry(), select: ['stg_customers', 'stg_orders'] });
    await assignCodes(wh, config, { secret: 't' });
    await runModels({ wh, config, registry: activationRegistry(), select: ['activation_audiences'] });
  } finally {
    await wh.close();
  }
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  vi.restoreAllMocks();
});

async function run(command: () => import('commander').Command, args: string[]): Promise<string> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await command()
      .exitOverride()
      .parseAsync(['node', 'x', ...args]);
  } finally {
    vi.restoreAllMocks();
  }
  return out;
}

describe('refstack notifications build / export notifications', () => {
  it('builds once, exports NDJSON, and rejects a bad --since', async () => {
    const common = ['--warehouse', file, '--config', configFile];
    // Without A3's earlier invitation the fixture has 10 audience rows (activation-audiences.test.ts: A3 invited too).
    expect(await run(notificationsCommand, ['build', ...common])).toMatch(
      /^10 new notifications from 10 audience rows/,
    );
    expect(await run(notificationsCommand, ['build', ...common])).toBe('0 new notifications from 10 audience rows\n');
    const out = join(dir, 'n.ndjson');
    expect(
      await run(exportNotificationsCommand, ['--since', '2020-01-01', '--format', 'ndjson', '--out', out, ...common]),
    ).toBe(`wrote 10 notifications to ${out} (10 first-time)\n`);
    expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(10);
    await expect(run(exportNotificationsCommand, ['--since', 'soon', '--out', out, ...common])).rejects.toThrow(
      new CliError('--since: expected a date YYYY-MM-DD, got "soon"', 2),
    );
  });
  it('says why nobody is invited when no referral code is assigned', async () => {
    const wh = await DuckDBWarehouse.open({ path: file });
    try {
      await wh.exec('delete from main.referral_codes');
      await runModels({
        wh,
        config: activationTestConfig(),
        registry: activationRegistry(),
        select: ['activation_audiences'],
      });
    } finally {
      await wh.close();
    }
    const out = await run(notificationsCommand, ['build', '--warehouse', file, '--config', configFile]);
    expect(out).not.toContain('invite.');
    expect(out.split('\n')[1]).toBe(
      'note: no referral codes assigned yet, so nobody is invited: run refstack codes assign, then ' +
        'refstack run --select activation_audiences and build again',
    );
  });
});
