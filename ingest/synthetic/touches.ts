/**
 * raw.touches, in five parts (row numbers run on across parts; within a part they come from precomputed
 * per-customer bases, so no large sort is needed):
 * 1. journeys before sign-up (customer_id NULL): Geometric extra touches within 21 days, then the acquisition
 *    touch (for referred customers: the referral click, at the clicked event's time);
 * 2. after sign-up (customer_id set): the welcome page on the sign-up device, a login on the second device
 *    (so each anonymous id has an identified touch for stitching), and engagement touches (some anonymous);
 * 3. one touch up to an hour before each order;
 * 4. anonymous visitors who never sign up;
 * 5. the non-converting referral clicks (`_syn_xclick`).
 */
import { hexIdSql, docIpSql } from './latent-base.js';
import { SYNTHETIC_TRUTHS as X } from './params.js';
import { programSql, regionSql } from './programs.js';
import { caseOf, categorical, expand, insertLanding, paddedId, ts } from './sql.js';
import { createScratch, ID_WIDTH, indexTable, type Gen } from './stage.js';
import { withTouchColumns } from './touch-channels.js';

const DAY = 86_400;

/** SQL: the device columns, on the second device when `useSecond` holds. */
const device = (useSecond: string) =>
  `case when ${useSecond} then anon2 else anon1 end as anonymous_id,
    case when ${useSecond} then dev2 else dev1 end as device_id,
    case when ${useSecond} then ip2 else ip1 end as ip`;

async function insertPart(g: Gen, base: string): Promise<void> {
  g.rows.touches += await insertLanding(
    g.wh,
    g.run,
    'touches',
    {
      touch_id: paddedId('T', 'rn', ID_WIDTH),
      program_id: 'program_id',
      anonymous_id: 'anonymous_id',
      customer_id: 'customer_id',
      occurred_at: ts('occurred_sec'),
      touch_type: 'touch_type',
      utm_source: 'utm_source',
      utm_medium: 'utm_medium',
      utm_campaign: 'utm_campaign',
      utm_content: 'utm_content',
      utm_term: 'utm_term',
      referrer_url: 'referrer_url',
      page_url: 'page_url',
      device_id: 'device_id',
      ip: 'ip',
    },
    'rn',
    withTouchColumns(g, base),
  );
}

/** Builds `_syn_vis`: the anonymous visitors who never sign up, with their touch counts and row-number bases. */
export async function prepareTouches(g: Gen): Promise<void> {
  const { d, rng, run, plan } = g;
  const tx = X.touches;
  const start = run.startSec;
  const end = run.endSec;
  const visitors = Math.round(tx.visitorsPerCustomer * run.options.customers);
  const kv = ['v.i'];
  await createScratch(
    g,
    'vis',
    `select *, sum(n) over (order by vidx rows between unbounded preceding and current row) - n as base,
  ${programSql(d, plan, 'region', rng.u(['vidx'], 'visitor-program'))} as program_id
from (
  select v.i as vidx, 1 + least(${rng.geometric(kv, 'visitor-touches', tx.visitorExtraMean)}, ${tx.visitorCap}) as n,
    ${start} + cast(floor(${rng.u(kv, 'visitor-first')} * ${end - start}) as bigint) as first_sec,
    ${regionSql(d, plan, rng.u(kv, 'visitor-region'))} as region,
    ${hexIdSql(g, 'a_', kv, 'visitor-anon')} as anon, ${hexIdSql(g, 'd_', kv, 'visitor-device')} as dev,
    ${docIpSql(rng, kv, 'visitor-ip')} as ip
  from ${await indexTable(g, 'visitor_idx', visitors)} v
)`,
  );
}

export async function insertTouches(g: Gen): Promise<void> {
  const { d, rng, run } = g;
  const tx = X.touches;
  const start = run.startSec;
  const end = run.endSec;
  const k3 = ['c.idx', 'c.i'];
  const u = (salt: string) => rng.u(k3, salt);

  const journeyMix = caseOf(
    d,
    'c.grp',
    { referred: categorical(d, u('journey-channel'), tx.journeyMix.referred) },
    categorical(d, u('journey-channel'), tx.journeyMix.non_referred),
  );
  await insertPart(
    g,
    `select 1 as part, c.idx as a, 0 as b, c.i as k, c.program_id, null::varchar as customer_id,
    case when c.i = c.n_pre - 1 then c.acq_sec
      else c.acq_sec - cast(floor(${u('journey-time')} * least(${tx.journeyWindowDays * DAY}, c.acq_sec - ${start})) as bigint) end as occurred_sec,
    case when c.i = c.n_pre - 1 then c.acq_channel
      when c.grp = 'non_referred' and ${u('journey-same')} < ${tx.journeySameAsAcquisition} then c.acq_channel
      else ${journeyMix} end as ch,
    c.referred_by_code as code, c.share_channel,
    ${device(`c.i < c.n_pre - 1 and c.n_dev = 2 and ${u('journey-device')} < ${tx.secondDeviceJourneyShare}`)},
    ${g.rows.touches} + b.pre_base + c.i + 1 as rn
  from ${expand('_syn_cust', 'n_pre', 'c')} join _syn_tbase b on b.idx = c.idx`,
  );

  await insertPart(
    g,
    `select 2 as part, c.idx as a, 0 as b, c.i as k, c.program_id,
    case when c.i < c.n_dev or ${u('logged-in')} < ${tx.loggedInShare} then c.customer_id end as customer_id,
    case when c.i = 0 then c.created_sec + cast(floor(${u('post-time')} * least(${tx.welcomeWithinSeconds}, ${end} - c.created_sec - 1)) as bigint)
      when c.i < c.n_dev then c.created_sec + cast(floor(${u('post-time')} * least(${X.identity.secondDeviceLoginWithinDays * DAY}, ${end} - c.created_sec - 1)) as bigint)
      else c.created_sec + cast(floor(${u('post-time')} * (${end} - c.created_sec)) as bigint) end as occurred_sec,
    case when c.i = 0 then 'internal' when c.i < c.n_dev then 'login' else ${categorical(d, u('engagement-channel'), tx.engagementMix)} end as ch,
    null::varchar as code, null::varchar as share_channel,
    ${device(`c.n_dev = 2 and (c.i = 1 or (c.i >= 2 and ${u('post-device')} < ${tx.secondDeviceShare}))`)},
    ${g.rows.touches} + b.post_base + c.i + 1 as rn
  from ${expand('_syn_cust', 'n_post', 'c')} join _syn_tbase b on b.idx = c.idx`,
  );

  const ko = ['o.idx', 'o.k'];
  await insertPart(
    g,
    `select 3 as part, o.idx as a, 0 as b, o.k as k, o.program_id, o.customer_id,
    o.ordered_sec - cast(floor(${rng.u(ko, 'order-touch-time')} * least(${tx.orderTouchWithinSeconds}, o.ordered_sec - o.created_sec)) as bigint) as occurred_sec,
    ${categorical(d, rng.u(ko, 'order-touch-channel'), tx.orderMix)} as ch, null::varchar as code, null::varchar as share_channel,
    ${device(`c.n_dev = 2 and ${rng.u(ko, 'order-touch-device')} < ${tx.secondDeviceShare}`)},
    ${g.rows.touches} + o.rn as rn
  from _syn_orders o join _syn_cust c on c.idx = o.idx`,
  );

  const kt = ['v.vidx', 'v.i'];
  await insertPart(
    g,
    `select 4 as part, v.vidx as a, 0 as b, v.i as k, v.program_id, null::varchar as customer_id,
    case when v.i = 0 then v.first_sec
      else v.first_sec + cast(floor(${rng.u(kt, 'visitor-time')} * least(${tx.visitorWindowDays * DAY}, ${end} - v.first_sec - 1)) as bigint) end as occurred_sec,
    ${categorical(d, rng.u(kt, 'visitor-channel'), tx.visitorMix)} as ch, null::varchar as code, null::varchar as share_channel,
    v.anon as anonymous_id, v.dev as device_id, v.ip, ${g.rows.touches} + v.base + v.i + 1 as rn
  from ${expand('_syn_vis', 'n', 'v')}`,
  );

  await insertPart(
    g,
    `select 5 as part, x.idx as a, x.seg * 2 + x.kind as b, x.k, x.program_id, null::varchar as customer_id,
    x.click_sec as occurred_sec, 'referral' as ch, x.referral_code as code, x.share_channel,
    x.anon as anonymous_id, x.dev as device_id, x.ip, ${g.rows.touches} + x.xrn as rn
  from _syn_xclick x`,
  );
}
