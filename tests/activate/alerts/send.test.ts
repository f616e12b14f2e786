import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../src/warehouse/warehouse.js';
import { sendAlerts } from '../../../activate/alerts/send.js';
import { startFakeServer, type FakeServer } from '../../helpers/fake-server.js';
import { memoryWarehouse, testConfig } from '../../helpers/landing.js';

let wh: Warehouse;
let server: FakeServer;
const config = testConfig({ project: { name: 'acme' } });
const HOOK_PATH = '/services/T000/B000/XXXXsecretXXXX';

beforeEach(async () => {
  wh = await memoryWarehouse();
  // Three alerts as the mart would hold them (the mart itself: tests/models/marts/activation/alerts.test.ts).
  await wh.exec(`
    create table main.alerts as select * from (values
      ('a1', 'referral_velocity_spike', 'warning', 'friends', '12 referral sign-ups', timestamp '2025-06-30', 12.0, 0.0),
      ('a2', 'fraud_score_surge', 'critical', 'friends', '12 of 12 flagged', timestamp '2025-06-30 01:00', 1.0, 0.1),
      ('a3', 'stale_source', 'warning', 'raw.survey_responses', '120 hours behind', timestamp '2025-06-30 02:00', 120.0, 72.0)
    ) t(alert_id, rule, severity, subject, message, first_seen_at, value, threshold)`);
});
afterEach(async () => {
  await server?.close();
  await wh.close();
});

const send = (webhookUrl?: string) =>
  sendAlerts(wh, config, {
    ...(webhookUrl ? { webhookUrl } : {}),
    client: { sleep: async () => {}, random: () => 0.5, log: () => {}, maxAttempts: 3 },
  });

describe('alerts send', () => {
  it('posts each alert once through a 429 and a 500; a failed post is retried by the next send', async () => {
    server = await startFakeServer((req, n) => {
      if (n === 1) return { status: 429, headers: { 'retry-after': '0' }, body: 'rate limited' };
      if (n === 3) return { status: 500, body: 'oops' };
      const text = (JSON.parse(req.body) as { text: string }).text;
      if (text.includes('stale_source')) return { status: 404, body: 'no_service' };
      return { status: 200, body: 'ok' };
    });
    const url = `${server.url}${HOOK_PATH}`;
    expect(await send()).toMatchObject({
      dryRun: true,
      alerts: 3,
      sent: 0,
      messages: [
        ':warning: [acme] referral_velocity_spike (warning) friends: 12 referral sign-ups',
        ':rotating_light: [acme] fraud_score_surge (critical) friends: 12 of 12 flagged',
        ':warning: [acme] stale_source (warning) raw.survey_responses: 120 hours behind',
      ],
    });
    expect(server.requests).toHaveLength(0);

    // a1: 429 then 200; a2: 500 then 200; a3: 404 (not retryable) -> failed.
    const first = await send(url);
    expect(first).toMatchObject({ alerts: 3, alreadySent: 0, sent: 2, failed: 1 });
    expect(server.requests).toHaveLength(5);
    expect(server.requests.every((r) => r.method === 'POST' && r.path === HOOK_PATH)).toBe(true);
    expect(JSON.parse(server.requests[1]!.body)).toEqual({
      text: ':warning: [acme] referral_velocity_spike (warning) friends: 12 referral sign-ups',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: ':warning: *referral_velocity_spike* (warning) - friends' } },
        { type: 'section', text: { type: 'mrkdwn', text: '12 referral sign-ups' } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'acme - since 2025-06-30T00:00:00.000Z - alert a1' }] },
      ],
    });
    const failed = await wh.query<{ detail: string }>(`select detail from main.sent_alerts where status = 'failed'`);
    expect(failed[0]!.detail).toMatch(/HTTP 404/);
    expect(failed[0]!.detail).not.toContain('XXXXsecretXXXX');

    server.setHandler(() => ({ status: 200, body: 'ok' }));
    expect(await send(url)).toMatchObject({ alreadySent: 2, sent: 1, failed: 0 });
    expect(await send(url)).toMatchObject({ alreadySent: 3, sent: 0 });
    expect(server.requests).toHaveLength(6);
  });
  it('stops posting once the webhook gives no response, records the rest as failed, and names a bad URL', async () => {
    const down = await startFakeServer(() => ({ body: 'ok' }));
    const url = `${down.url}${HOOK_PATH}`;
    await down.close(); // nothing listens there any more: connection refused
    const r = await send(url);
    // a1: 3 attempts without a response; a2, a3: not attempted. All three failed, retried by the next send.
    expect(r).toMatchObject({ alerts: 3, sent: 0, failed: 3 });
    expect(r.lastError).toMatch(
      /^not attempted: an earlier post got no response \(POST .* no response after 3 attempts/,
    );
    expect(r.lastError).not.toContain('XXXXsecretXXXX');
    const rows = await wh.query<{ alert_id: string; status: string }>(
      'select alert_id, status from main.sent_alerts order by alert_id',
    );
    expect(rows).toEqual([
      { alert_id: 'a1', status: 'failed' },
      { alert_id: 'a2', status: 'failed' },
      { alert_id: 'a3', status: 'failed' },
    ]);
    await expect(send('hooks.slack.com/services/T0/B0/secret')).rejects.toThrow(
      'REFSTACK_ALERT_WEBHOOK_URL is not an http(s) URL (value not shown: it is a secret)',
    );
  });
});
