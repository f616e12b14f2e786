import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { syncCommand } from '../../src/cli/commands/sync.js';
import { CliError } from '../../src/cli/errors.js';
import { runModels } from '../../src/models/runner.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb.js';
import { ensureLandingSchema } from '../../ingest/landing-schema.js';
import { assignCodes } from '../../activate/codes/assign.js';
import { activationRegistry, activationTestConfig, landActivationFixture } from '../models/marts/activation/fixture.js';
import { startFakeServer } from '../helpers/fake-server.js';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'refstack-sync-cli-'));
  file = join(dir, 'wh.duckdb');
  const config = activationTestConfig();
  const wh = await DuckDBWarehouse.open({ path: file });
  try {
    await ensureLandingSchema(wh);
    await landActivationFixture(wh);
    await runModels({
      wh,
      config,
      registry: activationRegistry(),
      select: ['stg_customers', 'stg_orders', 'stg_referrals'],
    });
    await assignCodes(wh, config, { secret: 't' });
  } finally {
    await wh.close();
  }
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  vi.restoreAllMocks();
});

describe('refstack sync', () => {
  it('prints a dry run without credentials and refuses --apply without them', async () => {
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    const saved = process.env['HUBSPOT_ACCESS_TOKEN'];
    delete process.env['HUBSPOT_ACCESS_TOKEN'];
    try {
      await syncCommand().exitOverride().parseAsync(['node', 'sync', 'hubspot', '--warehouse', file]);
      await expect(
        syncCommand().exitOverride().parseAsync(['node', 'sync', 'hubspot', '--apply', '--warehouse', file]),
      ).rejects.toThrow(CliError);
    } finally {
      vi.restoreAllMocks();
      if (saved !== undefined) process.env['HUBSPOT_ACCESS_TOKEN'] = saved;
    }
    const lines = out.trimEnd().split('\n');
    // The fixture's 11 CRM people, 7 with an email (tests/activate/sync/sync.test.ts).
    expect(lines[0]).toBe(
      'hubspot_contacts: 7 records, 0 unchanged since their last push, 7 would be sent (dry run; add --apply to send), 4 skipped (no email / not a hubspot customer)',
    );
    expect(lines[1]).toMatch(/^ {2}a1@example\.com {2}\{"refstack_advocate_score":"","refstack_tier":""/);
    expect(lines).toHaveLength(8);
  });
  it('exits non-zero naming the failure when records fail with --apply', async () => {
    // Every HubSpot batch answers 400 (not retryable): all 7 records of the fixture fail.
    const server = await startFakeServer(() => ({
      status: 400,
      body: { message: 'Property refstack_tier does not exist' },
    }));
    const cfgFile = join(dir, 'config.json');
    writeFileSync(
      cfgFile,
      JSON.stringify({
        fxRates: { EUR: '1.08' },
        programs: [{ id: 'friends', name: 'Friends' }],
        activation: { sync: { hubspot: { baseUrl: server.url } } },
      }),
    );
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    process.env['HUBSPOT_ACCESS_TOKEN'] = 'pat-test';
    try {
      await expect(
        syncCommand()
          .exitOverride()
          .parseAsync(['node', 'sync', 'hubspot', '--apply', '--warehouse', file, '--config', cfgFile]),
      ).rejects.toThrow(
        /^hubspot_contacts: 7 record\(s\) failed \(.*refstack_tier does not exist.*\); a rerun sends only those$/,
      );
    } finally {
      delete process.env['HUBSPOT_ACCESS_TOKEN'];
      vi.restoreAllMocks();
      await server.close();
    }
  });
});
