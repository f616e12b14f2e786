/**
 * The synthetic invitation emails (3,000 customers, 18 months from 2025-01-01, seed 42): one send per invite,
 * email clicks exactly at the invitation link clicks, and the planted bounce and open rates of the other
 * invites recovered within 3 standard errors. Then the funnel reads them: every code resolves to its advocate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMAIL_EVENT_TRUTHS as T } from '../../../ingest/synthetic/email-events.js';
import { generateSynthetic, type SyntheticOptions } from '../../../ingest/synthetic/index.js';
import { MODELS } from '../../../models/index.js';
import { stgEmailEvents } from '../../../models/staging/stg-email-events.js';
import { ModelRegistry } from '../../../src/models/registry.js';
import { runModels } from '../../../src/models/runner.js';
import { parseConfig } from '../../../src/config.js';
import { DuckDBWarehouse } from '../../../src/warehouse/duckdb.js';

const PROGRAMS = [
  { id: 'friends', kind: 'customer_referral' as const },
  { id: 'partners', kind: 'affiliate' as const },
];
const OPTIONS: SyntheticOptions = { customers: 3_000, seed: 42, start: '2025-01-01', months: 18, programs: PROGRAMS };

let wh: DuckDBWarehouse;
const one = async (sql: string) => (await wh.query<Record<string, number>>(sql))[0]!;
beforeAll(async () => {
  wh = await DuckDBWarehouse.open({ path: ':memory:', threads: 1 });
  await generateSynthetic(wh, OPTIONS);
});
afterAll(async () => {
  await wh.close();
});

describe('synthetic email events', () => {
  it('sends one invitation email per invited event, same code, recipient and second', async () => {
    const r = await one(`
      select
        (select count(*) from raw.referral_events where event_type = 'invited') as invites,
        (select count(*) from raw.email_events where event_type = 'sent') as sends,
        (select count(*) from raw.referral_events i join raw.email_events s
           on s.event_type = 'sent' and s.recipient_email = i.referee_email and s.referral_code = i.referral_code
           and s.occurred_at = i.occurred_at and s.program_id = i.program_id
         where i.event_type = 'invited') as matched`);
    expect(Number(r.sends)).toBe(Number(r.invites));
    expect(Number(r.matched)).toBe(Number(r.invites));
  });

  it('records an email click exactly for every invitation link click, after an open, never with a bounce', async () => {
    const r = await one(`
      with s as (
        select email_id,
          min(case when event_type = 'sent' then occurred_at end) as sent_at,
          min(case when event_type = 'opened' then occurred_at end) as opened_at,
          min(case when event_type = 'clicked' then occurred_at end) as clicked_at,
          max(case when event_type = 'bounced' then 1 else 0 end) as bounced,
          max(case when event_type = 'clicked' and url = 'https://shop.example.com/r?ref=' || referral_code then 1 else 0 end) as url_ok
        from raw.email_events group by email_id
      )
      select
        sum(case when clicked_at is not null then 1 else 0 end) as clicks,
        sum(case when clicked_at is not null and (opened_at is null or opened_at > clicked_at or bounced = 1 or url_ok = 0) then 1 else 0 end) as bad_clicks,
        sum(case when bounced = 1 and opened_at is not null then 1 else 0 end) as opened_bounces,
        sum(case when opened_at < sent_at then 1 else 0 end) as opens_before_send,
        (select count(*) from raw.email_events where occurred_at < timestamp '2025-01-01' or occurred_at >= timestamp '2026-07-01') as outside
      from s`);
    // Invitation link clicks: the referral 'clicked' event at the same second as an email click, same code.
    const linkClicks = await one(`
      select count(distinct e.event_id) as n from raw.email_events e
      join raw.referral_events c on c.event_type = 'clicked' and c.referral_code = e.referral_code and c.occurred_at = e.occurred_at
      where e.event_type = 'clicked'`);
    expect({ ...r, clicks: Number(r.clicks) > 0 }).toEqual({
      clicks: true,
      bad_clicks: 0,
      opened_bounces: 0,
      opens_before_send: 0,
      outside: 0,
    });
    expect(Number(linkClicks.n)).toBe(Number(r.clicks));
  });

  it('plants the bounce and open rates of invites without a link click (within 3 standard errors)', async () => {
    const r = await one(`
      with s as (
        select email_id, max(case when event_type = 'opened' then 1 else 0 end) as o,
          max(case when event_type = 'clicked' then 1 else 0 end) as c, max(case when event_type = 'bounced' then 1 else 0 end) as b
        from raw.email_events group by email_id
      )
      select sum(case when c = 0 then 1 else 0 end) as n, sum(case when c = 0 then b else 0 end) as bounced,
        sum(case when c = 0 and b = 0 then 1 else 0 end) as delivered, sum(case when c = 0 and b = 0 then o else 0 end) as opened
      from s`);
    const [n, bounced, delivered, opened] = [r.n, r.bounced, r.delivered, r.opened].map(Number) as [
      number,
      number,
      number,
      number,
    ];
    // Binomial standard errors sqrt(p (1 - p) / n) at the planted p (bounceRate 0.02, openRate 0.45).
    const seBounce = Math.sqrt((T.bounceRate * (1 - T.bounceRate)) / n);
    const seOpen = Math.sqrt((T.openRate * (1 - T.openRate)) / delivered);
    expect(n).toBeGreaterThan(1_000);
    expect(Math.abs(bounced / n - T.bounceRate)).toBeLessThan(3 * seBounce);
    expect(Math.abs(opened / delivered - T.openRate)).toBeLessThan(3 * seOpen);
  });

  it('feeds the funnel: every invitation email resolves to its advocate and opens never exceed sends', async () => {
    const config = parseConfig({ programs: PROGRAMS.map((p) => ({ id: p.id, name: p.id })), fxRates: { EUR: '1.08' } });
    const registry = new ModelRegistry([...MODELS.filter((m) => m.name !== 'stg_email_events'), stgEmailEvents]);
    await runModels({ wh, config, registry, select: ['stg_email_events', 'referral_funnel'] });
    const s = await one(`select count(*) as n, sum(case when advocate_id is null then 1 else 0 end) as orphans,
      sum(case when referral_code_source = 'event' then 1 else 0 end) as from_event from stg_email_events`);
    expect(Number(s.orphans)).toBe(0);
    expect(Number(s.from_event)).toBe(Number(s.n));
    const f = await one(`select sum(invited) as invited, sum(invite_emails_sent) as sent, sum(opened) as opened,
      sum(email_clicked) as email_clicked from referral_funnel`);
    const sends = await one(`select count(*) as n from raw.email_events where event_type = 'sent'`);
    expect(Number(f.sent)).toBe(Number(sends.n));
    expect(Number(f.invited)).toBe(Number(sends.n));
    expect(Number(f.opened)).toBeLessThanOrEqual(Number(f.sent));
    expect(Number(f.email_clicked)).toBeLessThanOrEqual(Number(f.opened));
  });
});
