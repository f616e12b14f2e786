/**
 * `refstack ingest hubspot --api` end to end through the CLI against a loopback fake HubSpot: the token comes
 * from the environment and never reaches the output, a rerun adds nothing, and a missing token is one line.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from '../../src/version.js';
import { startFakeServer, type FakeServer } from '../helpers/fake-server.js';

const BIN = resolve(ROOT, 'bin/refstack.js');
const TOKEN = 'pat-na1-fake-token-for-tests-only';
const fixture = (n: number) =>
  JSON.parse(readFileSync(resolve(ROOT, `tests/fixtures/hubspot/contacts-page-${n}.json`), 'utf8')) as unknown;

function cli(args: string[], cwd: string, env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...process.env, REFSTACK_QUIET: '1', METADATA_SERVER_DETECTION: 'none', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('refstack ingest hubspot --api', () => {
  it('lands contacts from the API, keeps the token out of the output, and is idempotent', async () => {
    server = await startFakeServer((req) => {
      const after = req.query['after'];
      return { body: fixture(after === undefined ? 1 : after === '104' ? 2 : 3) };
    });
    const dir = mkdtempSync(join(tmpdir(), 'refstack-api-'));
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({ programs: [{ id: 'friends', name: 'Friends' }], sources: { hubspot: { baseUrl: server.url } } }),
    );
    const args = ['ingest', 'hubspot', '--api', '--config', 'config.json', '--warehouse', 'w.duckdb', '--json'];
    const first = await cli(args, dir, { HUBSPOT_ACCESS_TOKEN: TOKEN });
    expect(first.stderr).not.toContain(TOKEN);
    expect(first.code).toBe(0);
    // The fixtures hold 8 contacts over 3 pages; one has an unparseable createdate.
    expect(JSON.parse(first.stdout)).toMatchObject({ status: 'loaded', pages: 3, read: 8, loaded: 7, quarantined: 1 });
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);

    const again = await cli(args, dir, { HUBSPOT_ACCESS_TOKEN: TOKEN });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ loaded: 0 });
  });

  it('fails in one line naming the missing environment variable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'refstack-api-'));
    const env = { HUBSPOT_ACCESS_TOKEN: '' };
    const r = await cli(['ingest', 'hubspot', '--api', '--warehouse', 'w.duckdb'], dir, env);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/HUBSPOT_ACCESS_TOKEN/);
  });
});
