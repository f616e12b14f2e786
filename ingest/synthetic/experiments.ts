/**
 * raw.experiment_assignments: the two advocate incentive experiments. Every advocate (sharer) who signed up
 * before an experiment's window ends is assigned at max(window start, sign-up), to treatment with
 * probability `treatmentShare`. The assignment bug: a small share of units also get a second row in the other
 * variant (up to two days later, inside the window); their behaviour follows the first row, and analyses
 * must exclude them.
 */
import { SYNTHETIC_TRUTHS as X } from './params.js';
import { insertLanding, ts } from './sql.js';
import { createScratch, type Gen } from './stage.js';

const DAY = 86_400;

export async function prepareExperimentAssignments(g: Gen): Promise<void> {
  const { rng, run } = g;
  const ex = X.experiments;
  const experiment = (n: 1 | 2, id: string, variants: readonly [string, string], windowEnd: number) => {
    const other = `case arm${n} when '${variants[0]}' then '${variants[1]}' else '${variants[0]}' end`;
    const later = `exp${n}_at + cast(floor(${rng.u(['idx'], `dup-time-${n}`)} * least(${ex.doubleAssignedWithinDays * DAY}, ${windowEnd} - exp${n}_at - 1)) as bigint)`;
    return `select ${n} as e, idx, 0 as dup, '${id}' as experiment_id, program_id, arm${n} as variant, customer_id, exp${n}_at as at_sec
    from _syn_cust where arm${n} is not null
    union all
    select ${n}, idx, 1, '${id}', program_id, ${other}, customer_id, ${later}
    from _syn_cust where dup${n}`;
  };
  await createScratch(
    g,
    'exp',
    `select *, row_number() over (order by e, idx, dup) as rn from (
  ${experiment(1, ex.rewardAmount.id, ex.rewardAmount.variants, run.rewardWindow[1])}
  union all
  ${experiment(2, ex.doubleSided.id, ex.doubleSided.variants, run.doubleSidedWindow[1])}
)`,
  );
}

export async function insertExperimentAssignments(g: Gen): Promise<void> {
  g.rows.experiment_assignments += await insertLanding(
    g.wh,
    g.run,
    'experiment_assignments',
    {
      experiment_id: 'experiment_id',
      program_id: 'program_id',
      variant: 'variant',
      unit_id: 'customer_id',
      unit_type: `'advocate'`,
      assigned_at: ts('at_sec'),
    },
    'rn',
    '_syn_exp',
  );
}
