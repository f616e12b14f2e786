/**
 * raw.referral_events, consistent with raw.customers and raw.orders by construction:
 * - per referred customer: invited (email shares only; sent from the advocate's IP/device, referee_email =
 *   the customer's email), clicked (the referee's device), signed_up (at created_at, referee_id set) and, when
 *   the customer ever ordered, converted (order_id = the first order);
 * - per advocate and reward-experiment segment: invites that lead to no sign-up and link clicks that lead
 *   to no sign-up, floor(mu + U) of each with mu = w * m * rate * weeks (m = the reward multiplier for treatment
 *   advocates inside the window), so E[count] = mu exactly. A share of the extra invites is clicked.
 * The non-converting clicks (`_syn_xclick`) also become anonymous referral touches.
 */
import { hexIdSql, docIpSql } from './latent-base.js';
import { SYNTHETIC_TRUTHS as X } from './params.js';
import { categorical, expand, insertLanding, paddedId, ts } from './sql.js';
import { createScratch, ID_WIDTH, orderIdSql, type Gen } from './stage.js';

const DAY = 86_400;

/** Share channels of non-email link clicks: the share-channel mix without email, renormalized. */
function linkChannelMix(): Record<string, number> {
  const entries = Object.entries(X.referrals.shareChannelMix).filter(([c]) => c !== 'email');
  const total = entries.reduce((s, [, w]) => s + w, 0);
  return Object.fromEntries(entries.map(([c, w]) => [c, w / total]));
}

export async function prepareReferralEvents(g: Gen): Promise<void> {
  const { d, rng, run } = g;
  const [w1s, w1e] = run.rewardWindow;
  const end = run.endSec;
  const rx = X.referrals;
  const reward = X.experiments.rewardAmount;
  const segKeys = ['idx', 'seg'];
  const weeks = `(hi - lo) / ${X.secondsPerWeek}`;

  await createScratch(
    g,
    'seg',
    `select *,
  cast(floor(share_w * mult * ${rx.extraInvitesPerWeek} * ${weeks} + ${rng.u(segKeys, 'n-invites')}) as bigint) as n_inv,
  cast(floor(share_w * mult * ${rx.extraLinkClicksPerWeek} * ${weeks} + ${rng.u(segKeys, 'n-links')}) as bigint) as n_link
from (
  select c.idx, s.i as seg, c.share_w, c.program_id, c.referral_code, c.customer_id, c.cnum, c.ip1, c.dev1,
    greatest(c.created_sec, case s.i when 0 then ${run.startSec} when 1 then ${w1s} else ${w1e} end) as lo,
    case s.i when 0 then ${w1s} when 1 then ${w1e} else ${end} end as hi,
    case when s.i = 1 and c.arm1 = '${reward.variants[1]}' then ${reward.inviteRateMultiplier} else 1 end as mult
  from _syn_c0 c, range(3) s(i)
  where c.sharer
)
where lo < hi`,
  );
  const k3 = ['s.idx', 's.seg', 's.i'];
  await createScratch(
    g,
    'xinv',
    `select *, ${rng.u(['idx', 'seg', 'k'], 'invite-click')} < ${rx.extraInviteClickRate} as clicked,
  invite_sec + cast(floor(${rng.u(['idx', 'seg', 'k'], 'invite-click-time')} * least(${rx.extraInviteClickWithinDays * DAY}, ${end} - invite_sec - 1)) as bigint) as click_sec
from (
  select s.idx, s.seg, s.i as k, s.program_id, s.referral_code, s.customer_id, s.cnum, s.ip1, s.dev1,
    s.lo + cast(floor(${rng.u(k3, 'invite-time')} * (s.hi - s.lo)) as bigint) as invite_sec
  from ${expand('_syn_seg', 'n_inv', 's')}
)`,
  );
  const xKeys = ['idx', 'seg', 'kind', 'k'];
  await createScratch(
    g,
    'xclick',
    `select *, row_number() over (order by idx, seg, kind, k) as xrn,
  ${hexIdSql(g, 'a_', xKeys, 'xclick-anon')} as anon, ${hexIdSql(g, 'd_', xKeys, 'xclick-device')} as dev,
  ${docIpSql(rng, xKeys, 'xclick-ip')} as ip
from (
  select idx, seg, 0 as kind, k, click_sec, 'email' as share_channel, program_id, referral_code, customer_id from _syn_xinv where clicked
  union all
  select s.idx, s.seg, 1 as kind, s.i as k,
    s.lo + cast(floor(${rng.u(k3, 'link-click-time')} * (s.hi - s.lo)) as bigint) as click_sec,
    ${categorical(d, rng.u(k3, 'link-channel'), linkChannelMix())} as share_channel, s.program_id, s.referral_code, s.customer_id
  from ${expand('_syn_seg', 'n_link', 's')}
)`,
  );

  const events = `(
  select 1 as part, c.idx as a, 0 as b, e.i as k, c.program_id,
    case e.i when 0 then 'invited' when 1 then 'clicked' when 2 then 'signed_up' else 'converted' end as event_type,
    case e.i when 0 then c.invite_sec when 1 then c.click_sec when 2 then c.created_sec else c.first_order_sec end as occurred_sec,
    c.referred_by_code as referral_code, c.advocate_id,
    case when e.i >= 2 then c.customer_id end as referee_id,
    case when e.i = 0 then c.email end as referee_email,
    case when e.i = 3 then ${orderIdSql('o.rn')} end as order_id,
    c.share_channel,
    case when e.i = 0 then c.adv_ip else c.ip1 end as ip,
    case when e.i = 0 then c.adv_dev else c.dev1 end as device_id
  from _syn_cust c cross join range(4) e(i)
  left join _syn_orders o on o.idx = c.idx and o.k = 0
  where c.adv_idx is not null
    and (e.i in (1, 2) or (e.i = 0 and c.share_channel = 'email') or (e.i = 3 and c.first_order_sec is not null))
  union all
  select 2, idx, seg, k, program_id, 'invited', invite_sec, referral_code, customer_id, null,
    'invitee.' || cnum || '.' || seg || '.' || k || '@example.net', null, 'email', ip1, dev1
  from _syn_xinv
  union all
  select 3, idx, seg * 2 + kind, k, program_id, 'clicked', click_sec, referral_code, customer_id, null, null, null, share_channel, ip, dev
  from _syn_xclick
)`;
  // Row numbers are computed narrow and joined back: a window carries every column it sees.
  await createScratch(g, 're0', `select * from ${events}`);
  await createScratch(
    g,
    're',
    `select e.*, n.rn from _syn_re0 e
join (select part, a, b, k, row_number() over (order by part, a, b, k) as rn from _syn_re0) n
  on n.part = e.part and n.a = e.a and n.b = e.b and n.k = e.k`,
  );
}

export async function insertReferralEvents(g: Gen): Promise<void> {
  g.rows.referral_events += await insertLanding(
    g.wh,
    g.run,
    'referral_events',
    {
      event_id: paddedId('E', 'rn', ID_WIDTH),
      program_id: 'program_id',
      event_type: 'event_type',
      occurred_at: ts('occurred_sec'),
      referral_code: 'referral_code',
      advocate_id: 'advocate_id',
      referee_id: 'referee_id',
      referee_email: 'referee_email',
      order_id: 'order_id',
      share_channel: 'share_channel',
      ip: 'ip',
      device_id: 'device_id',
    },
    'rn',
    '_syn_re',
  );
}
