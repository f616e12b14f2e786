import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runModels } from '../../../src/models/runner.js';
import type { Warehouse } from '../../../src/warehouse/warehouse.js';
import { assignCodes } from '../../../activate/codes/assign.js';
import { buildNotifications } from '../../../activate/notifications/build.js';
import { csvField, exportNotifications } from '../../../activate/notifications/export.js';
import { land, memoryWarehouse } from '../../helpers/landing.js';
import {
  activationRegistry,
  activationTestConfig,
  landActivationFixture,
  landEarlierInvite,
} from '../../models/marts/activation/fixture.js';

let wh: Warehouse;
let dir: string;
const config = activationTestConfig();
const runAudiences = () => runModels({ wh, config, registry: activationRegistry(), select: ['activation_audiences'] });

beforeEach(async () => {
  wh = await memoryWarehouse();
  dir = mkdtempSync(join(tmpdir(), 'refstack-notify-'));
  await landActivationFixture(wh);
  await landEarlierInvite(wh);
  await runModels({ wh, config, registry: activationRegistry(), select: ['stg_customers', 'stg_orders'] });
  await assignCodes(wh, config, { secret: 'test' });
  await runAudiences();
});
afterEach(async () => {
  await wh.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('notifications outbox', () => {
  it('adds each audience row once; reruns and new runs of the mart notify nobody twice', async () => {
    const now = new Date('2026-02-01T09:00:00Z');
    // The 9 audience rows of the fixture (activation-audiences.test.ts) are all new.
    expect(await buildNotifications(wh, config, { now })).toEqual({
      candidates: 9,
      added: 9,
      byTemplate: {
        'invite.milestone': 1,
        'invite.support': 1,
        'nudge.one_from_milestone': 1,
        'reward.earned': 1,
        'thanks.advocate': 1,
        'thanks.referee': 1,
        'tier.reached': 1,
        'winback.quiet': 2,
      },
    });
    expect((await buildNotifications(wh, config, { now })).added).toBe(0);

    // A2 answers NPS 10 again on Jun 29; the mart reruns: A1's and A2's invitations and A6's nudge are now inside
    // the frequency cap, so the mart drops them, and the rest are already in the outbox.
    await land(
      wh,
      'survey_responses',
      [{ response_id: 'S2b', survey_id: 'nps', customer_id: 'A2', submitted_at: '2025-06-29', nps_score: 10 }],
      'batch-2',
    );
    await runAudiences();
    const audience = await wh.query<{ template_key: string }>(
      `select template_key from main.activation_audiences where audience in ('moment_of_joy', 'one_from_milestone')`,
    );
    expect(audience).toEqual([]);
    expect(await buildNotifications(wh, config, { now })).toMatchObject({ candidates: 6, added: 0 });

    const perKey = await wh.query<{ n: number }>(
      `select count(*) as n from main.notifications group by dedupe_key having count(*) > 1`,
    );
    expect(perKey).toEqual([]);
    const invites = await wh.query<{ recipient_id: string; n: number }>(`
      select recipient_id, count(*) as n from main.notifications where template_key like 'invite.%'
      group by recipient_id order by recipient_id`);
    expect(invites).toEqual([
      { recipient_id: 'A1', n: 1 },
      { recipient_id: 'A2', n: 1 },
      { recipient_id: 'A3', n: 1 },
    ]);
    const [reward] = await wh.query<{ variables: string; recipient_email: string }>(
      `select variables, recipient_email from main.notifications where template_key = 'reward.earned'`,
    );
    expect(reward!.recipient_email).toBe('a1@example.com');
    expect(JSON.parse(reward!.variables)).toMatchObject({
      name: 'Advocate A1',
      referral_code: 'ALICE',
      reward_minor: 1000,
      currency: 'USD',
      reward: '10.00 USD',
      referrals: 1,
      next_milestone: 3,
    });
  });

  it('takes the code and link from referral_codes when the mart ran before codes were assigned', async () => {
    // The mart rebuilt with no codes: A1's reward.earned row has referral_code and link NULL.
    await wh.exec('delete from main.referral_codes');
    await runAudiences();
    const [row] = await wh.query<{ referral_code: string | null; link: string | null }>(
      `select referral_code, link from main.activation_audiences where template_key = 'reward.earned'`,
    );
    expect(row).toEqual({ referral_code: null, link: null });
    await assignCodes(wh, config, { secret: 'test' });
    await buildNotifications(wh, config, { now: new Date('2026-02-01T09:00:00Z') });
    const [reward] = await wh.query<{ variables: string }>(
      `select variables from main.notifications where template_key = 'reward.earned'`,
    );
    const v = JSON.parse(reward!.variables) as { referral_code: string; link: string; links: { email: string } };
    // A1 carries the source code ALICE (fixture), adopted again by the second `codes assign`.
    expect(v.referral_code).toBe('ALICE');
    expect(v.link).toBe('https://example.com/?ref=ALICE');
    expect(v.links.email).toContain('ref=ALICE&');
  });

  it('exports rows since a date as CSV or NDJSON and stamps exported_at once', async () => {
    await buildNotifications(wh, config, { now: new Date('2026-02-01T09:00:00Z') });
    const csv = join(dir, 'n.csv');
    const first = await exportNotifications(wh, config, {
      since: new Date('2026-01-15T00:00:00Z'),
      format: 'csv',
      out: csv,
      now: new Date('2026-02-02T00:00:00Z'),
    });
    // The 9 built on Feb 1; A3's earlier invitation was created Jan 1, before --since.
    expect(first).toMatchObject({ rows: 9, firstTimeExported: 9 });
    const lines = readFileSync(csv, 'utf8').trimEnd().split('\r\n');
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe(
      'notification_id,dedupe_key,recipient_id,recipient_email,program_id,audience,template_key,variables,triggered_at,created_at',
    );
    const nd = join(dir, 'n.ndjson');
    const again = await exportNotifications(wh, config, { since: new Date('2025-01-01'), format: 'ndjson', out: nd });
    expect(again).toMatchObject({ rows: 10, firstTimeExported: 1 });
    const parsed = readFileSync(nd, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { template_key: string; variables: unknown; created_at: string });
    expect(parsed[0]).toMatchObject({ template_key: 'invite.repeat_purchase', created_at: '2026-01-01T00:00:00.000Z' });
    expect(typeof parsed[1]!.variables).toBe('object');
    const stamped = await wh.query<{ exported_at: Date }>(
      `select distinct exported_at from main.notifications where created_at >= timestamp '2026-01-15' `,
    );
    expect(stamped.map((r) => r.exported_at.toISOString())).toEqual(['2026-02-02T00:00:00.000Z']);
  });

  it('quotes CSV fields with commas, quotes and newlines', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('x\ny')).toBe('"x\ny"');
    expect(csvField(null)).toBe('');
    expect(csvField(new Date('2025-01-02T03:04:05Z'))).toBe('2025-01-02T03:04:05.000Z');
  });
});
