import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { codesCommand } from '../../src/cli/commands/codes.js';
import { runModels } from '../../src/models/runner.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb.js';
import { ensureLandingSchema } from '../../ingest/landing-schema.js';
import { defaultRegistry } from '../../models/index.js';
import { land, testConfig } from '../helpers/landing.js';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'refstack-codes-'));
  file = join(dir, 'wh.duckdb');
  const wh = await DuckDBWarehouse.open({ path: file });
  try {
    await ensureLandingSchema(wh);
    await land(wh, 'customers', [
      { customer_id: 'C1', created_at: '2025-01-01', program_id: 'default' },
      { customer_id: 'C2', created_at: '2025-01-01', program_id: 'default' },
    ]);
    await land(wh, 'orders', [
      {
        order_id: 'O1',
        customer_id: 'C1',
        program_id: 'default',
        ordered_at: '2025-02-01',
        currency: 'USD',
        gross_minor: 100,
        discount_minor: 0,
        tax_minor: 0,
        refunded_minor: 0,
        status: 'paid',
      },
    ]);
    await runModels({
      wh,
      config: testConfig({}),
      registry: defaultRegistry(),
      select: ['stg_orders', 'stg_customers'],
    });
  } finally {
    await wh.close();
  }
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  vi.restoreAllMocks();
});

async function run(args: string[]): Promise<string> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  await codesCommand()
    .exitOverride()
    .parseAsync(['node', 'codes', ...args]);
  vi.restoreAllMocks();
  return out;
}

describe('refstack codes assign', () => {
  it('assigns once, reports counts, and records the run in the audit log', async () => {
    process.env['REFSTACK_CODE_SECRET'] = 'cli-secret';
    try {
      expect(await run(['assign', '--warehouse', file])).toBe(
        '1 eligible advocates: 1 new codes, 0 adopted from the source, 0 already assigned (0 candidates redrawn)\n' +
          'next: refstack run --select activation_audiences, then refstack notifications build (invitations need a code)\n',
      );
      expect(JSON.parse(await run(['assign', '--warehouse', file, '--json']))).toEqual({
        eligible: 1,
        alreadyAssigned: 1,
        generated: 0,
        adopted: 0,
        collisions: 0,
      });
      expect(await run(['assign', '--warehouse', file])).toBe(
        '1 eligible advocates: 0 new codes, 0 adopted from the source, 1 already assigned (0 candidates redrawn)\n',
      );
    } finally {
      delete process.env['REFSTACK_CODE_SECRET'];
    }
    const wh = await DuckDBWarehouse.open({ path: file });
    try {
      const audit = await wh.query<{ action: string; n: number }>(
        `select action, count(*) as n from main.refstack_audit_log group by action`,
      );
      expect(audit).toEqual([{ action: 'codes.assign', n: 3 }]);
      expect(await wh.query('select customer_id from main.referral_codes')).toEqual([{ customer_id: 'C1' }]);
    } finally {
      await wh.close();
    }
  });
  it('rejects an unknown --program as a usage error (exit 2) naming it and the configured ones', async () => {
    // The command reads the repository's refstack.config.ts (no --config), whose programs include friends.
    await expect(run(['assign', '--program', 'nope', '--warehouse', file])).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(
        /^codes assign --program: unknown program "nope" \(config programs: .*friends.*\)$/,
      ),
    });
  });
});
