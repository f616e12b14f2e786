/**
 * The data loader as Framework runs it: `node --import tsx dashboards/src/data/referral-funnel.json.ts` with
 * the warehouse in REFSTACK_WAREHOUSE. JSON on stdout; on failure one line on stderr and exit 1.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pseudonym } from '../../../src/site/pseudonym.js';
import { DuckDBWarehouse } from '../../../src/warehouse/duckdb.js';
import { writeLiteralFunnel } from '../../e2e/fixtures/literal-funnel.js';

const LOADER = fileURLToPath(new URL('../../../dashboards/src/data/referral-funnel.json.ts', import.meta.url));

function runLoader(env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', LOADER], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('referral-funnel.json loader', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'refstack-loader-'));
    const wh = await DuckDBWarehouse.open({ path: join(dir, 'ok.duckdb') });
    try {
      await writeLiteralFunnel(wh, 'marts', 'USD');
    } finally {
      await wh.close();
    }
    const empty = await DuckDBWarehouse.open({ path: join(dir, 'empty.duckdb') });
    await empty.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the page data as JSON, reading the schema it is given', () => {
    const run = runLoader({ REFSTACK_WAREHOUSE: join(dir, 'ok.duckdb'), REFSTACK_SCHEMA: 'marts' });
    expect(run.status).toBe(0);
    const data = JSON.parse(run.stdout) as { reportingCurrency: string; totals: { invited: number }[] };
    // 43 = 10 + 5 + 8 + 20 + 0 (fixtures/literal-funnel.ts).
    expect(data.reportingCurrency).toBe('USD');
    expect(data.totals[0]!.invited).toBe(43);
  });

  it('pseudonymises advocates unless REFSTACK_SITE_ALLOW_PII=1', () => {
    const ids = (env: Record<string, string>) => {
      const run = runLoader({ REFSTACK_WAREHOUSE: join(dir, 'ok.duckdb'), REFSTACK_SCHEMA: 'marts', ...env });
      expect(run.status).toBe(0);
      const data = JSON.parse(run.stdout) as { advocates: { advocate_id: string | null }[] };
      return [...new Set(data.advocates.map((a) => a.advocate_id))].sort();
    };
    const raw = ids({ REFSTACK_SITE_ALLOW_PII: '1' });
    expect(raw).toEqual(['adv_a', 'adv_b', 'adv_p']);
    expect(ids({ REFSTACK_SITE_ALLOW_PII: '', REFSTACK_PSEUDONYM_SALT: '' })).toEqual(
      raw.map((id) => pseudonym(id, 'adv', 'refstack-site')).sort(),
    );
  });

  it('fails in one line when the warehouse file does not exist', () => {
    const run = runLoader({ REFSTACK_WAREHOUSE: join(dir, 'missing.duckdb') });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([
      `referral-funnel loader: warehouse ${join(dir, 'missing.duckdb')} does not exist: run \`refstack demo\` or \`refstack run\` first (or set REFSTACK_WAREHOUSE)`,
    ]);
  });

  it('fails in one line when the mart is missing', () => {
    const run = runLoader({ REFSTACK_WAREHOUSE: join(dir, 'empty.duckdb') });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      `referral-funnel loader: table main.referral_funnel not found in ${join(dir, 'empty.duckdb')}: run \`refstack demo\` or \`refstack run\` first`,
    );
  });
});
