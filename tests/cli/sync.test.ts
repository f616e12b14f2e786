import { mkdtempSync, rmSync } from 'node:fs';
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
});
