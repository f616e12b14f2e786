import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HUBSPOT_LAYOUT } from '../../activate/crm-export/formats.js';
import { ensureLandingSchema } from '../../ingest/landing-schema.js';
import { advocateScores } from '../../models/marts/advocates/advocate-scores.js';
import { exportAdvocatesCommand } from '../../src/cli/commands/export-advocates.js';
import { runModels } from '../../src/models/runner.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb.js';
import { land, testConfig } from '../helpers/landing.js';
import { registryWith } from '../models/marts/fraud/fixture.js';

describe('refstack export advocates', () => {
  const dir = mkdtempSync(join(tmpdir(), 'refstack-export-'));
  const file = join(dir, 'wh.duckdb');
  beforeAll(async () => {
    const wh = await DuckDBWarehouse.open({ path: file, threads: 1 });
    try {
      await ensureLandingSchema(wh);
      await land(wh, 'customers', [
        { customer_id: 'C1', created_at: '2025-01-01T00:00:00Z', email: 'a@example.com', full_name: 'Ann, "A" Lee' },
        { customer_id: 'C2', created_at: '2025-02-01T00:00:00Z', email: 'b@example.com', full_name: 'Bo Ek' },
      ]);
      await runModels({
        wh,
        config: testConfig(),
        registry: registryWith(advocateScores),
        select: ['advocate_scores'],
      });
    } finally {
      await wh.close();
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = async (args: string[]) => {
    let out = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
      out += String(s);
      return true;
    });
    try {
      await exportAdvocatesCommand().parseAsync(['node', 'advocates', ...args, '--warehouse', file]);
    } finally {
      spy.mockRestore();
    }
    return out;
  };

  it('writes a HubSpot import file and says how many rows', async () => {
    const out = join(dir, 'hubspot.csv');
    expect(await run(['--format', 'hubspot', '--out', out])).toBe(`wrote 2 advocate(s) to ${out} (hubspot)\n`);
    const [header, ...rows] = parse(readFileSync(out, 'utf8')) as string[][];
    expect(header).toEqual([...HUBSPOT_LAYOUT.header]);
    expect(rows.map((r) => [r[0], r[1], r[2]]).sort()).toEqual([
      ['a@example.com', 'Ann, "A"', 'Lee'],
      ['b@example.com', 'Bo', 'Ek'],
    ]);
  });

  it('rejects an unknown format', async () => {
    await expect(run(['--format', 'marketo', '--out', join(dir, 'x.csv')])).rejects.toThrow(/marketo/);
  });
});
