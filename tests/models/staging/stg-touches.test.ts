import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../../models/index.js';
import { generateSynthetic, SYNTHETIC_TRUTHS } from '../../../ingest/synthetic/index.js';
import type { RefstackConfig } from '../../../src/config.js';
import { demoConfig } from '../../../src/pipeline.js';
import { runModels } from '../../../src/models/runner.js';
import type { Warehouse } from '../../../src/warehouse/warehouse.js';
import { land, memoryWarehouse, testConfig } from '../../helpers/landing.js';

const registry = defaultRegistry();
const person = (type: string, value: string) => createHash('md5').update(`${type}|${value}`).digest('hex');
const SITE = 'https://www.shop.example.com';

interface TouchRow {
  touch_id: string;
  person_id: string;
  person_source: string;
  utm_source: string | null;
  utm_campaign: string | null;
  referrer_host: string | null;
  referral_code: string | null;
  is_internal_referrer: boolean;
  source: string;
  medium: string;
  channel_group: string;
  is_direct: boolean;
}

async function touches(wh: Warehouse, config: RefstackConfig = testConfig()): Promise<Map<string, TouchRow>> {
  await runModels({ wh, config, registry, select: ['stg_touches'] });
  const rows = await wh.query<TouchRow>(`select * from main.stg_touches order by touch_id`);
  return new Map(rows.map((r) => [r.touch_id, r]));
}

describe('stg_touches', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await memoryWarehouse();
  });
  afterEach(async () => {
    await wh.close();
  });

  it('cleans UTMs, extracts the referral code, derives source/medium and the channel group, keeps the latest version', async () => {
    const at = '2025-05-01T12:00:00Z';
    const t = (touch_id: string, row: Record<string, unknown>) => ({
      touch_id,
      anonymous_id: `A-${touch_id}`,
      occurred_at: at,
      touch_type: 'click',
      page_url: `${SITE}/`,
      ...row,
    });
    await land(wh, 'touches', [
      t('T01', {
        utm_source: ' Google ',
        utm_medium: 'CPC',
        utm_campaign: 'Search-Brand',
        page_url: `${SITE}/?utm_source=Google`,
      }),
      t('T02', {
        page_url: `${SITE}/r?ref=rabc123&utm_source=referral`,
        utm_source: 'referral',
        utm_medium: 'referral',
        utm_campaign: 'friends',
      }),
      t('T03', { page_url: `${SITE}/r?x=1&REF=rdef456#top`, referrer_url: 'https://wa.me/' }),
      t('T04', { referrer_url: 'https://www.google.com/search?q=gifts', touch_type: 'visit' }),
      t('T05', {
        referrer_url: 'https://shop.example.com/signup',
        page_url: `${SITE}/account/welcome`,
        touch_type: 'visit',
      }),
      t('T06', { referrer_url: 'https://blog.shop.example.com/post', touch_type: 'visit' }),
      t('T07', { referrer_url: 'https://l.facebook.com/', touch_type: 'visit' }),
      t('T08', { referrer_url: 'https://news.example.org/article', touch_type: 'visit' }),
      t('T09', { touch_type: 'visit' }),
      t('T10', { utm_source: 'newsletter', utm_medium: '', touch_type: 'click' }),
      t('T11', { utm_source: 'newsletter', utm_medium: 'email', utm_campaign: 'winback' }),
      // A later batch supersedes T01's first version.
      {
        ...t('T01', { utm_source: 'bing', utm_medium: 'cpc' }),
        _batch_id: 'b2',
        _loaded_at: new Date('2026-02-01T00:00:00Z'),
      },
    ]);
    const got = await touches(wh);
    expect(got.size).toBe(11);
    const pick = (id: string) => {
      const r = got.get(id)!;
      return [r.source, r.medium, r.channel_group, r.referral_code, r.is_internal_referrer];
    };
    expect(pick('T01')).toEqual(['bing', 'cpc', 'Paid Search', null, false]);
    expect(pick('T02')).toEqual(['referral', 'referral', 'Referral Program', 'RABC123', false]);
    // Code in the middle of the query, parameter name in capitals, a fragment after it; no UTMs.
    expect(pick('T03')).toEqual(['wa.me', 'referral', 'Referral Program', 'RDEF456', false]);
    expect(pick('T04')).toEqual(['google.com', 'organic', 'Organic Search', null, false]);
    // Own host (www. ignored) and a subdomain of it: internal navigation, so Direct.
    expect(pick('T05')).toEqual(['(direct)', '(none)', 'Direct', null, true]);
    expect(pick('T06')).toEqual(['(direct)', '(none)', 'Direct', null, true]);
    expect(pick('T07')).toEqual(['l.facebook.com', 'referral', 'Organic Social', null, false]);
    expect(pick('T08')).toEqual(['news.example.org', 'referral', 'Referral', null, false]);
    expect(pick('T09')).toEqual(['(direct)', '(none)', 'Direct', null, false]);
    // A source without a medium: GA4's (not set), which no rule matches.
    expect(pick('T10')).toEqual(['newsletter', '(not set)', 'Unassigned', null, false]);
    expect(pick('T11')).toEqual(['newsletter', 'email', 'Email', null, false]);
    expect(got.get('T09')?.is_direct).toBe(true);
    expect(got.get('T01')?.utm_source).toBe('bing');
    expect(got.get('T04')?.referrer_host).toBe('google.com');
  });

  it('uses the configured own domains instead of the page hosts', async () => {
    await land(wh, 'touches', [
      {
        touch_id: 'T1',
        anonymous_id: 'A1',
        occurred_at: '2025-05-01',
        touch_type: 'visit',
        page_url: `${SITE}/`,
        referrer_url: 'https://shop.example.com/',
      },
      {
        touch_id: 'T2',
        anonymous_id: 'A1',
        occurred_at: '2025-05-01',
        touch_type: 'visit',
        page_url: `${SITE}/`,
        referrer_url: 'https://checkout.example.net/',
      },
    ]);
    const config = testConfig({ touches: { ownDomains: ['checkout.example.net'] } });
    const got = await touches(wh, config);
    expect(got.get('T1')).toMatchObject({ is_internal_referrer: false, channel_group: 'Referral' });
    expect(got.get('T2')).toMatchObject({ is_internal_referrer: true, channel_group: 'Direct' });
  });

  it("takes person_id from the customer, else the anonymous id's person, else the device's, else the anonymous id", async () => {
    await land(wh, 'customers', [{ customer_id: 'C1', email: 'ann@example.com', created_at: '2025-03-01T10:00:00Z' }]);
    const base = { occurred_at: '2025-03-02T00:00:00Z', touch_type: 'visit', page_url: `${SITE}/` };
    await land(wh, 'touches', [
      { ...base, touch_id: 'T1', anonymous_id: 'A1', device_id: 'D1', customer_id: 'C1' },
      { ...base, touch_id: 'T2', anonymous_id: 'A1', device_id: 'D9' },
      { ...base, touch_id: 'T3', anonymous_id: 'A-NEW-COOKIE', device_id: 'D1' },
      { ...base, touch_id: 'T4', anonymous_id: 'A-STRANGER', device_id: 'D-STRANGER' },
    ]);
    const got = await touches(wh);
    const c1 = person('customer_id', 'C1');
    expect(got.get('T1')).toMatchObject({ person_id: c1, person_source: 'customer_id' });
    expect(got.get('T2')).toMatchObject({ person_id: c1, person_source: 'anonymous_id' });
    expect(got.get('T3')).toMatchObject({ person_id: c1, person_source: 'device_id' });
    expect(got.get('T4')).toMatchObject({
      person_id: person('anonymous_id', 'A-STRANGER'),
      person_source: 'anonymous',
    });
  });
});

/**
 * The group each synthetic generator channel is meant to land in (ingest/synthetic/touch-channels.ts, TRUTHS.md
 * "Channel encoding"). 'internal' is the welcome page referred from the site's own /signup page and 'login' a typed-in
 * login: neither is marketing, both are Direct.
 */
const INTENDED: Record<string, string> = {
  paid_search: 'Paid Search',
  paid_social: 'Paid Social',
  email: 'Email',
  organic: 'Organic Search',
  direct: 'Direct',
  referral: 'Referral Program',
  internal: 'Direct',
  login: 'Direct',
};

/**
 * SQL over raw.touches recovering the generator's channel from its exact encoding (not from the channel rules):
 * the literal values of SYNTHETIC_TRUTHS.touchEncoding and the page paths touch-channels.ts writes.
 */
function generatorChannelSql(wh: Warehouse): string {
  const te = SYNTHETIC_TRUTHS.touchEncoding;
  const list = (o: Record<string, number>) =>
    Object.keys(o)
      .map((k) => wh.dialect.stringLiteral(k))
      .join(', ');
  const site = 'https://shop.example.com/'; // touch-channels.ts SITE
  return `case
    when page_url like '${site}r?ref=%' then 'referral'
    when page_url = '${site}account/welcome' and referrer_url = '${site}signup' then 'internal'
    when page_url = '${site}login' and referrer_url is null and utm_source is null then 'login'
    when utm_medium = 'cpc' and utm_source in (${list(te.searchSource)}) and utm_campaign in (${list(te.searchCampaign)}) then 'paid_search'
    when utm_medium in (${list(te.socialMedium)}) and utm_source in (${list(te.socialSource)}) and utm_campaign in (${list(te.socialCampaign)}) then 'paid_social'
    when utm_medium = 'email' and utm_source in (${list(te.emailSource)}) and utm_campaign in (${list(te.emailCampaign)}) then 'email'
    when utm_source is null and utm_medium is null and referrer_url in (${list(te.organicReferrer)}) then 'organic'
    when utm_source is null and utm_medium is null and referrer_url is null and page_url = '${site}' then 'direct'
    else 'undecoded' end`;
}

describe('stg_touches on the synthetic demo', () => {
  it('puts every generated touch in the group its generator channel intends', async () => {
    const wh = await memoryWarehouse();
    try {
      const config = demoConfig();
      await generateSynthetic(wh, {
        customers: 3000,
        seed: 11,
        start: '2025-01-01',
        months: 18,
        programs: config.programs,
      });
      await runModels({ wh, config, registry, select: ['stg_touches'] });
      const rows = await wh.query<{ channel: string; channel_group: string; n: number }>(`
        select r.channel, s.channel_group, cast(count(*) as integer) as n
        from (select touch_id, ${generatorChannelSql(wh)} as channel from raw.touches) r
        join main.stg_touches s on s.touch_id = r.touch_id
        group by 1, 2 order by 1, 2`);
      const total = await wh.query<{ raw: number; stg: number }>(
        `select (select cast(count(*) as integer) from raw.touches) as raw, (select cast(count(*) as integer) from main.stg_touches) as stg`,
      );
      expect(total[0]!.stg).toBe(total[0]!.raw);
      // Every generator channel occurs, every touch decodes, and each channel maps to exactly its intended group.
      expect(new Set(rows.map((r) => r.channel))).toEqual(new Set(Object.keys(INTENDED)));
      expect(rows.filter((r) => r.channel_group !== INTENDED[r.channel])).toEqual([]);
      expect(rows.reduce((a, r) => a + r.n, 0)).toBe(total[0]!.raw);
    } finally {
      await wh.close();
    }
  });
});
