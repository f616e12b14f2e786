/**
 * Stage 2: who referred whom (`_syn_pick`: referee idx -> advocate idx).
 *
 * A customer with referral intent signs up through an advocate drawn among the advocates (sharers) of the
 * same program who signed up earlier, with probability proportional to the advocate's share intensity w
 * (times the reward experiment's multiplier for treatment advocates, inside its window). Weights are
 * integers (w * 1e6 + 1) so the cumulative sums are exact; each referee draws a target in [0, W) where W is
 * the total weight of earlier advocates, and the advocate whose interval [cw_start, cw_end) holds it is chosen.
 * A customer with intent is referred with probability min(1, A / A*), A the number of earlier advocates in
 * the program and A* the advocates its first `referralRampDays` days bring; the others stay non-referred.
 *
 * Segments split time at the reward experiment's window, because the weights change there.
 */
import { SYNTHETIC_TRUTHS as X } from './params.js';
import { createScratch, type Gen } from './stage.js';

/** SQL: the reward-experiment segment (0 before, 1 inside, 2 after its window) of a time in seconds. */
export function rewardSegmentSql(g: Gen, sec: string): string {
  const [w1s, w1e] = g.run.rewardWindow;
  return `(case when ${sec} < ${w1s} then 0 when ${sec} < ${w1e} then 1 else 2 end)`;
}

export async function pickAdvocates(g: Gen): Promise<void> {
  const { rng } = g;
  const scale = X.shareIntensity.integerScale;
  const multiplier = X.experiments.rewardAmount.inviteRateMultiplier;
  const treatment = X.experiments.rewardAmount.variants[1];
  await createScratch(
    g,
    'advseg',
    `select program_id, seg, idx, wseg, wseg_end - wseg as cw_start, wseg_end as cw_end
from (
  select *, sum(wseg) over (partition by program_id, seg order by idx rows between unbounded preceding and current row) as wseg_end
  from (
    select c.program_id, s.i as seg, c.idx,
      case when s.i = 1 and c.arm1 = '${treatment}'
        then cast(round((1 + floor(c.share_w * ${scale})) * ${multiplier}) as bigint)
        else cast(1 + floor(c.share_w * ${scale}) as bigint) end as wseg
    from _syn_c0 c, range(3) s(i)
    where c.sharer
  )
)`,
  );
  // Two running maxima instead of asof joins: DuckDB plans an asof join on transaction-local tables as a
  // nested loop (no statistics yet), which is quadratic. cw_end and advocate idx both increase with idx, so a
  // running max over a merged, ordered stream is "the last advocate before".
  await createScratch(
    g,
    'pick',
    `with r as (
  select idx, program_id, ${rewardSegmentSql(g, 'created_sec')} as seg from _syn_c0 where ref_intent
), ramp as (
  select program_id, count(*) * ${X.referralRampDays / g.run.days} as advocates_at_maturity from _syn_c0 where sharer group by 1
), r1 as (
  select w.* from (
    select idx, program_id, seg, kind,
      max(cw_end) over (partition by program_id, seg order by idx, kind rows between unbounded preceding and current row) as total,
      sum(kind) over (partition by program_id, seg order by idx, kind rows between unbounded preceding and current row) as advocates
    from (
      select idx, program_id, seg, 0 as kind, null::bigint as cw_end from r
      union all
      select idx, program_id, seg, 1 as kind, cw_end from _syn_advseg
    )
  ) w join ramp on ramp.program_id = w.program_id
  where kind = 0 and total is not null and ${rng.u(['idx'], 'referral-ramp')} < least(1, advocates / ramp.advocates_at_maturity)
), r2 as (
  select *, cast(floor(${rng.u(['idx'], 'advocate')} * total) as bigint) as target from r1
)
select idx, adv_idx from (
  select idx, kind, max(adv) over (partition by program_id, seg order by pos, kind rows between unbounded preceding and current row) as adv_idx
  from (
    select program_id, seg, cw_start as pos, 0 as kind, idx, idx as adv from _syn_advseg
    union all
    select program_id, seg, target as pos, 1 as kind, idx, null::bigint as adv from r2
  )
)
where kind = 1`,
  );
}
