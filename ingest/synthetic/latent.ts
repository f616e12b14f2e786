/**
 * Stage 3: the full per-customer latent table `_syn_cust`: group (referred / non_referred / ring), the
 * advocate and referral timing, first purchase, the BG/NBD and Gamma-Gamma latent draws, and the touch
 * counts with their row-number bases. Every later stage reads it.
 */
import { SYNTHETIC_TRUTHS as X } from './params.js';
import { caseOf, categorical, wholeSeconds } from './sql.js';
import { countOf, createScratch, type Gen } from './stage.js';

const DAY = 86_400;

/** SQL: a per-group parameter column from a `{ non_referred, referred }` table; the ring uses non_referred's. */
function byGroup(g: Gen, table: Record<'non_referred' | 'referred', Record<string, number>>, key: string): string {
  return caseOf(g.d, 'grp', { referred: String(table.referred[key]) }, String(table.non_referred[key]));
}

export async function buildLatent(g: Gen): Promise<void> {
  const { d, rng, run } = g;
  const u = (salt: string) => rng.u(['idx'], salt);
  const [w2s, w2e] = run.doubleSidedWindow;
  const end = run.endSec;
  const conv = X.firstPurchase.probability;
  const exp2 = X.experiments.doubleSided;
  const cap = X.purchaseCap;
  const ring = X.fraudRing;
  const bg = X.bgnbd as unknown as Record<'non_referred' | 'referred', Record<string, number>>;
  const lam = rng.gamma(['idx'], 'lambda', 'g_r', 'lam');
  const pa = rng.gamma(['idx'], 'beta-a', 'g_a', 'pa');
  const pb = rng.gamma(['idx'], 'beta-b', 'g_b', 'pb');
  const nu = rng.gamma(['idx'], 'nu', 'g_q', 'nu');
  const gg = X.gammaGamma as unknown as Record<'non_referred' | 'referred', Record<string, number>>;

  await createScratch(
    g,
    'cust',
    `with j as (
  select c.*, coalesce(p.adv_idx, case when c.ring_role = 'referee' then c.ring_adv_idx end) as adv_idx
  from _syn_c0 c left join _syn_pick p on p.idx = c.idx
), k as (
  select j.*,
    case when j.ring_role is not null then 'ring' when j.adv_idx is not null then 'referred' else 'non_referred' end as grp,
    a.referral_code as referred_by_code, a.customer_id as advocate_id, a.created_sec as adv_created_sec,
    a.ip1 as adv_ip, a.dev1 as adv_dev, a.arm2 as adv_arm2
  from j left join _syn_c0 a on a.idx = j.adv_idx
), l as (
  select *,
    case when ring_role = 'referee' then 'link' when adv_idx is not null then ${categorical(d, u('share-channel'), X.referrals.shareChannelMix)} end as share_channel,
    case when adv_idx is not null then 'referral' else base_channel end as acq_channel,
    case when adv_idx is not null
      then created_sec - cast(floor(${u('click')} * least(${X.referrals.clickBeforeSignupMaxSeconds}, created_sec - adv_created_sec)) as bigint) end as click_sec,
    grp = 'referred' and adv_arm2 = '${exp2.variants[1]}' and created_sec >= ${w2s} and created_sec < ${w2e} as treat2,
    case when ring_role = 'referee' then created_sec + ${ring.refereeOrderDelaySeconds[0]}
        + cast(floor(${u('first-delay')} * ${ring.refereeOrderDelaySeconds[1] - ring.refereeOrderDelaySeconds[0]}) as bigint)
      when ring_role = 'advocate' then created_sec + ${ring.advocateOrderDelaySeconds}
      else created_sec + ${wholeSeconds(`${rng.exp(['idx'], 'first-delay')} * ${X.firstPurchase.meanDelayDays * DAY}`)} end as first_cand,
    ${byGroup(g, bg, 'r')} as g_r, ${byGroup(g, bg, 'alpha')} as g_alpha,
    ${byGroup(g, bg, 'a')} as g_a, ${byGroup(g, bg, 'b')} as g_b,
    ${byGroup(g, gg, 'p')} as g_p, ${byGroup(g, gg, 'q')} as g_q, ${byGroup(g, gg, 'gamma')} as g_gamma
  from k
), m as (
  select *,
    case when share_channel = 'email'
      then click_sec - cast(floor(${u('invite')} * least(${X.referrals.inviteBeforeClickMaxDays * DAY}, click_sec - adv_created_sec)) as bigint) end as invite_sec,
    coalesce(click_sec, created_sec - cast(floor(${u('acquisition-time')} * least(${X.touches.acquisitionBeforeSignupMaxSeconds}, created_sec - ${run.startSec})) as bigint)) as acq_sec,
    case when grp = 'ring' then true
      when grp = 'referred' then ${u('convert')} < ${conv.referred} * (case when treat2 then ${exp2.refereeConversionMultiplier} else 1 end)
      else ${u('convert')} < ${conv.non_referred} end as converts,
    ${lam.columns}, ${pa.columns}, ${pb.columns}, ${nu.columns}
  from l
), m2 as (
  select * exclude (lam_x, lam_lu, pa_x, pa_lu, pb_x, pb_lu, nu_x, nu_lu),
    ${lam.value} as lam_g, ${pa.value} as pa_g, ${pb.value} as pb_g, ${nu.value} as nu_g
  from m
), n as (
  select *,
    case when converts and first_cand < ${end} then first_cand end as first_order_sec,
    greatest(coalesce(lam_g, g_r) / g_alpha, 1e-12) as lam,
    least(greatest(coalesce(pa_g, g_a) / (coalesce(pa_g, g_a) + coalesce(pb_g, g_b)), 1e-12), 1 - 1e-12) as p_drop,
    greatest(coalesce(nu_g, g_q) / g_gamma, 1e-12) as nu,
    (lam_g is null)::int + (pa_g is null)::int + (pb_g is null)::int + (nu_g is null)::int as gamma_fallbacks,
    case when ring_role is not null then 1 else 1 + least(${rng.geometric(['idx'], 'journey', X.touches.journeyExtraMean)}, ${X.touches.journeyCap}) end as n_pre,
    case when ring_role is not null then 0 else least(${rng.geometric(['idx'], 'engagement', X.touches.engagementMean)}, ${X.touches.engagementCap}) end as n_eng
  from m2
), o as (
  select *,
    1 + cast(least(floor(ln(${u('dropout')}) / ln(1 - p_drop)), 1e9) as bigint) as j_drop,
    least(lam * (${end} - first_order_sec) / ${X.secondsPerWeek}, 1e7) as mu,
    n_dev + n_eng as n_post
  from n
)
select * exclude (lam_g, pa_g, pb_g, nu_g, first_cand, mu),
  case when grp = 'ring' or first_order_sec is null then 0
    else least(j_drop, cast(ceil(mu + ${cap.sigmas} * sqrt(mu) + ${cap.extra}) as bigint)) end as cap
from o`,
  );
  // Row-number bases of the per-customer touch parts, computed narrow: a window carries every column it sees.
  await createScratch(
    g,
    'tbase',
    `select idx,
  sum(n_pre) over (order by idx rows between unbounded preceding and current row) - n_pre as pre_base,
  sum(n_post) over (order by idx rows between unbounded preceding and current row) - n_post as post_base
from _syn_cust`,
  );
  g.counters.gammaFallbacks += await countOf(g, `select sum(gamma_fallbacks) as n from _syn_cust`);
}
