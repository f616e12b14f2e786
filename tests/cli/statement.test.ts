import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { statementCommand } from '../../src/cli/commands/statement.js';
import { runModels } from '../../src/models/runner.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb.js';
import { ensureLandingSchema } from '../../ingest/landing-schema.js';
import { activationRegistry, activationTestConfig, landActivationFixture } from '../models/marts/activation/fixture.js';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'refstack-statement-cli-'));
  file = join(dir, 'wh.duckdb');
  const wh = await DuckDBWarehouse.open({ path: file });
  try {
    await ensureLandingSchema(wh);
    await landActivationFixture(wh);
    await runModels({ wh, config: activationTestConfig(), registry: activationRegistry(), select: ['reward_ledger'] });
  } finally {
    await wh.close();
  }
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  vi.restoreAllMocks();
});

describe('refstack statement', () => {
  it('writes a CSV statement and rejects an unknown advocate in one line', async () => {
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    const csv = join(dir, 'a6.csv');
    try {
      await statementCommand()
        .exitOverride()
        .parseAsync(['node', 'statement', 'A6', '--format', 'csv', '--out', csv, '--warehouse', file]);
      await expect(
        statementCommand().exitOverride().parseAsync(['node', 'statement', 'ZZ', '--out', csv, '--warehouse', file]),
      ).rejects.toThrow(/advocate "ZZ" has no referrals and no rewards/);
    } finally {
      vi.restoreAllMocks();
    }
    expect(out).toBe(`wrote the statement of A6 (2 lines) to ${csv}\n`);
    // A6's two referrals, R6a and R6b, each 1000 approved (tests/activate/statement/statement.test.ts).
    const lines = readFileSync(csv, 'utf8').trimEnd().split('\r\n');
    expect(lines.slice(1).map((l) => l.split(',').slice(1, 2).concat(l.split(',').slice(5, 9)))).toEqual([
      ['R6a', 'approved; awaiting payout', '1000', '0', '1000'],
      ['R6b', 'approved; awaiting payout', '1000', '0', '1000'],
    ]);
  });
  it('writes to stdout without --out, and prints the statement as JSON with --json', async () => {
    const capture = async (args: string[]) => {
      let out = '';
      vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
        out += String(chunk);
        return true;
      });
      try {
        await statementCommand()
          .exitOverride()
          .parseAsync(['node', 'statement', ...args, '--warehouse', file]);
      } finally {
        vi.restoreAllMocks();
      }
      return out;
    };
    const csv = (await capture(['A6', '--format', 'csv'])).trimEnd().split('\r\n');
    expect(csv[0]).toMatch(/^referral_id,referee,/);
    expect(csv).toHaveLength(3);
    const json = JSON.parse(await capture(['A6', '--json'])) as { advocateId: string; totals: object };
    // A6: R6a and R6b, 1000 approved each (tests/activate/statement/statement.test.ts).
    expect(json.advocateId).toBe('A6');
    expect(json.totals).toEqual({
      earnedMinor: 2000,
      heldMinor: 0,
      inReviewMinor: 0,
      approvedMinor: 2000,
      paidMinor: 0,
      reversedMinor: 0,
    });
  });
});
