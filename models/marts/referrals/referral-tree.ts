import { defineModel } from '../../../src/models/define-model.js';

/**
 * Deepest advocate chain the tree walks above an edge. A chain longer than this stops with `depth_capped`
 * (generation and root unknown). Real programs rarely pass ten generations; the cap bounds the recursion on
 * adversarial data (e.g. a very long ring of fake accounts).
 */
export const REFERRAL_TREE_MAX_DEPTH = 100;

/**
 * The referral graph: every advocate -> referee edge placed in its tree. Edges under a root are placed by walking
 * the trees down from the roots. Every other edge walks up its advocate chain (the advocate's own referrer,
 * theirs, ...) within the program with a recursive CTE, carrying
 * the visited ids so a referral ring (A referred B, B referred A) is detected the first time an id repeats:
 * the walk stops and the edge is flagged `in_cycle`, with generation and root left NULL because a ring has no
 * root. Edges below a ring (C referred by B, who is in the A<->B ring) are flagged too: their chain loops.
 * A self-referral is a ring of one.
 *
 * A referral whose advocate is unknown (a code matching no customer) is not an edge; its referee, if an
 * advocate, counts as a root, since nothing above them is known.
 */
export const referralTree = defineModel({
  name: 'referral_tree',
  grain: 'one row per program and referral edge advocate -> referee (each referee has at most one advocate)',
  dependsOn: ['stg_referrals'],
  columns: {
    program_id: 'referral program',
    advocate_id: 'the referring customer',
    referee_id: 'the referred customer',
    generation:
      "1 when the advocate was not referred (a root), 2 when the advocate's referrer is a root, ...; " +
      'NULL when the chain loops or exceeds the depth cap',
    root_advocate_id: 'the unreferred advocate at the top of the chain; NULL when the chain loops or is capped',
    signed_up_at: "the referee's sign-up time",
    converted_at: "the referee's first order at or after sign-up, if any",
    in_cycle: 'the advocate chain above this edge loops (a referral ring, including self-referral)',
    depth_capped: `the chain was longer than ${REFERRAL_TREE_MAX_DEPTH} advocates and the walk stopped`,
  },
  build: ({ d, ref }) => {
    // Visited ids are kept as '|id1|id2|' and searched with strpos (both engines); an id containing '|'
    // could only cause a false ring, never miss one.
    const mark = (id: string) => `concat('|', ${id}, '|')`;
    // Two passes with the same result as walking every edge up its chain, at a cost linear in the edges:
    // `down` walks the trees top-down from the roots (each edge is reached once, from its advocate's edge),
    // which places every edge of a chain that ends at a root within the depth cap. Only the edges it cannot
    // place (rings, edges below rings, chains deeper than the cap: few) are walked upwards as before.
    return `
with recursive edges as (
  select program_id, advocate_id, referee_id, signed_up_at, converted_at
  from ${ref('stg_referrals')}
  where advocate_id is not null
),
down as (
  select e.program_id, e.referee_id, e.advocate_id as root_advocate_id, 1 as depth
  from edges e
  left join edges above on above.program_id = e.program_id and above.referee_id = e.advocate_id
  where above.referee_id is null and e.advocate_id <> e.referee_id
  union all
  select c.program_id, c.referee_id, p.root_advocate_id, p.depth + 1 as depth
  from down p
  join edges c on c.program_id = p.program_id and c.advocate_id = p.referee_id
  where p.depth < ${REFERRAL_TREE_MAX_DEPTH}
),
unplaced as (
  select e.program_id, e.advocate_id, e.referee_id
  from edges e
  left join down p on p.program_id = e.program_id and p.referee_id = e.referee_id
  where p.referee_id is null
),
walk as (
  select
    program_id, referee_id,
    advocate_id as ancestor,
    1 as depth,
    concat('|', referee_id, '|', advocate_id, '|') as visited,
    advocate_id = referee_id as looped
  from unplaced
  union all
  select
    w.program_id, w.referee_id,
    p.advocate_id as ancestor,
    w.depth + 1 as depth,
    concat(w.visited, p.advocate_id, '|') as visited,
    strpos(w.visited, ${mark('p.advocate_id')}) > 0 as looped
  from walk w
  join edges p on p.program_id = w.program_id and p.referee_id = w.ancestor
  where not w.looped and w.depth < ${REFERRAL_TREE_MAX_DEPTH}
),
last_step as (
  select program_id, referee_id, ancestor, depth, looped
  from walk
  ${d.qualify('row_number() over (partition by program_id, referee_id order by depth desc) = 1', false)}
),
placed as (
  select program_id, referee_id, depth as generation, root_advocate_id, false as in_cycle, false as depth_capped
  from down
  union all
  select
    l.program_id, l.referee_id,
    case when l.looped or above.referee_id is not null then null else l.depth end as generation,
    case when l.looped or above.referee_id is not null then null else l.ancestor end as root_advocate_id,
    l.looped as in_cycle,
    (not l.looped and above.referee_id is not null) as depth_capped
  from last_step l
  left join edges above on not l.looped and above.program_id = l.program_id and above.referee_id = l.ancestor
)
select
  e.program_id,
  e.advocate_id,
  e.referee_id,
  p.generation,
  p.root_advocate_id,
  e.signed_up_at,
  e.converted_at,
  p.in_cycle,
  p.depth_capped
from edges e
join placed p on p.program_id = e.program_id and p.referee_id = e.referee_id
order by e.program_id, e.referee_id
`;
  },
});
