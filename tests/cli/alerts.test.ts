import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { alertsCommand } from '../../src/cli/commands/alerts.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb.js';
import { startFakeServer } from '../helpers/fake-server.js';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'refstack-alerts-cli-'));
  file = join(dir, 'wh.duckdb');
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ project: { name: 'acme' } }));
  const wh = await DuckDBWarehouse.open({ path: file });
  try {
    await wh.exec(`create table main.alerts as select 'a1' as alert_id, 'stale_source' as rule, 'warning' as severity,
      'raw.orders' as subject, '80 hours behind' as message, timestamp '2025-06-30' as first_seen_at, 80.0 as value,
      72.0 as threshold`);
  } finally {
    await wh.close();
  }
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  vi.restoreAllMocks();
  delete process.env['REFSTACK_ALERT_WEBHOOK_URL'];
});

async function run(): Promise<string> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await alertsCommand()
      .exitOverride()
      .parseAsync(['node', 'alerts', 'send', '--warehouse', file, '--config', join(dir, 'config.json')]);
  } finally {
    vi.restoreAllMocks();
  }
  return out;
}

describe('refstack alerts send', () => {
  it('prints without a webhook, posts once with one', async () => {
    expect(await run()).toBe(
      '1 new alerts (REFSTACK_ALERT_WEBHOOK_URL is not set; nothing posted)\n' +
        '  :warning: [acme] stale_source (warning) raw.orders: 80 hours behind\n',
    );
    const server = await startFakeServer(() => ({ body: 'ok' }));
    try {
      process.env['REFSTACK_ALERT_WEBHOOK_URL'] = `${server.url}/hook/secret-path`;
      expect(await run()).toBe('1 alerts posted, 0 failed, 0 sent before\n');
      expect(await run()).toBe('0 alerts posted, 0 failed, 1 sent before\n');
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
  it('fails (non-zero exit) naming the error when a post fails, after printing the counts', async () => {
    const server = await startFakeServer(() => ({ status: 404, body: 'no_service' }));
    try {
      process.env['REFSTACK_ALERT_WEBHOOK_URL'] = `${server.url}/hook/secret-path`;
      await expect(run()).rejects.toThrow(
        /^1 alert\(s\) not posted \(POST .* failed with HTTP 404 after 1 attempt: no_service\); the next send retries them$/,
      );
    } finally {
      delete process.env['REFSTACK_ALERT_WEBHOOK_URL'];
      await server.close();
    }
  });
});
