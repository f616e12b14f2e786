import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RefstackConfig } from '../../../../src/config.js';
import { runModels } from '../../../../src/models/runner.js';
import { demoConfig } from '../../../../src/pipeline.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { generateSynthetic, syntheticOptionsFor } from '../../../../ingest/synthetic/index.js';
import { assignCodes } from '../../../../activate/codes/assign.js';
import { buildNotifications } from '../../../../activate/notifications/build.js';
import { activationAuditSample } from '../../../../models/marts/activation/activation-audit-sample.js';
import { alerts } from '../../../../models/marts/activation/alerts.js';
import { memoryWarehouse } from '../../../helpers/landing.js';
import { activationRegistry } from './fixture.js';

/*
 * Invariants of activation on the synthetic demo (2,000 customers, seed 42, the demo config): they hold for any data,
 * each checked by an independent query. The counts themselves are printed for the closing note, not asserted: the
 * generator's output is another issue's to change.
 */
let wh: Warehouse;
let config: RefstackConfig;
const registry = () => activationRegistry([alerts, activationAuditSample]);
const one = async (sql: string): Promise<Record<string, number>> => (await wh.query<Record<string, number>>(sql))[0]!;

beforeAll(async () => {
  wh = await memoryWarehouse();
  config = demoConfig();
  await generateSynthetic(wh, syntheticOptionsFor(config, 2000, 42));
  await runModels({ wh, config, registry: registry(), select: ['stg_customers', 'stg_orders'] });
  await assignCodes(wh, config, { secret: 'demo' });
  await runModels({
    wh,
    config,
    registry: registry(),
    select: ['activation_audiences', 'alerts', 'activation_audit_sample'],
  });
}, 240_000);
afterAll(async () => {
  await wh.close();
});

describe('activation on the demo', () => {
  it('gives every eligible advocate exactly one code, distinct from every source code', async () => {
    const c = await one(`select count(*) as n, count(distinct code) as codes, count(distinct customer_id) as customers
      from main.referral_codes`);
    expect(c.n).toBe(c.codes);
    expect(c.n).toBe(c.customers);
    const eligible = await one(`select count(distinct customer_id) as n from main.stg_orders
      where status in ('paid', 'partially_refunded')`);
    expect(c.n).toBe(eligible.n);
    const clash = await one(`select count(*) as n from main.referral_codes r join raw.customers c
      on upper(trim(c.referral_code)) = r.code and c.customer_id <> r.customer_id`);
    expect(clash.n).toBe(0);
    process.stderr.write(`demo codes: ${c.n}\n`);
  });

  it('notifies nobody twice: a second build adds nothing, and a rebuilt mart adds no invitation', async () => {
    const audience = await wh.query<{ audience: string; n: number }>(
      'select audience, count(*) as n from main.activation_audiences group by audience order by audience',
    );
    const first = await buildNotifications(wh, config, { now: new Date('2026-01-01T00:00:00Z') });
    expect(first.added).toBe(first.candidates);
    expect((await buildNotifications(wh, config)).added).toBe(0);
    await runModels({ wh, config, registry: registry(), select: ['activation_audiences'] });
    const again = await buildNotifications(wh, config);
    expect(again.byTemplate).toEqual({});
    const dup = await one(`select count(*) as n from (select dedupe_key from main.notifications group by dedupe_key
      having count(*) > 1) d`);
    expect(dup.n).toBe(0);
    const invites = await one(`select coalesce(max(n), 0) as n from (select recipient_id, count(*) as n
      from main.notifications where template_key like 'invite.%' group by recipient_id) x`);
    expect(invites.n).toBeLessThanOrEqual(1);
    process.stderr.write(
      `demo audiences: ${JSON.stringify(audience)}; notifications ${JSON.stringify(first.byTemplate)}\n`,
    );
  });

  it('samples audits inside converted referrals and lists alerts', async () => {
    const s = await one(`select count(*) as n, coalesce(sum(case when r.is_converted then 1 else 0 end), 0) as converted
      from main.activation_audit_sample a join main.stg_referrals r on r.referral_id = a.referral_id`);
    expect(s.n).toBe(s.converted);
    const a = await wh.query('select rule, subject, value, threshold from main.alerts order by rule, subject');
    process.stderr.write(`demo audit sample: ${s.n}; alerts: ${JSON.stringify(a)}\n`);
  });
});
