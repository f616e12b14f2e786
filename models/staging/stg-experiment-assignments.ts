import { defineModel } from '../../src/models/define-model.js';

/**
 * Experiment assignments, cleaned. Landing rows are deduplicated to one row per experiment and unit: the same
 * (experiment, unit, variant) landed twice (a reload, a retried event) counts once at its earliest time.
 * A unit that appears in more than one variant of an experiment (an assignment or logging bug) is kept here,
 * flagged `is_excluded`, with `variant` NULL, so analyses exclude it and can still count it.
 */
export const stgExperimentAssignments = defineModel({
  name: 'stg_experiment_assignments',
  grain: 'one row per experiment and assigned unit',
  dependsOn: [],
  columns: {
    experiment_id: 'experiment id (trimmed)',
    program_id: 'referral program of the first assignment',
    unit_id: 'the assigned unit (customer id)',
    unit_type: 'advocate | referee | visitor (lower case)',
    variant: 'the variant the unit was assigned to; NULL when it was assigned to more than one',
    first_variant: 'the variant of the earliest assignment (also for excluded units)',
    assigned_at: 'earliest assignment time (UTC)',
    variant_count: 'distinct variants the unit was assigned to (1 when clean)',
    is_excluded: 'true when the unit must be left out of analyses (variant_count > 1)',
    exclusion_reason: "'assigned_to_multiple_variants' when excluded, else NULL",
  },
  build: ({ d, source }) => `
with cleaned as (
  select
    trim(experiment_id) as experiment_id,
    program_id,
    trim(unit_id) as unit_id,
    lower(trim(unit_type)) as unit_type,
    trim(variant) as variant,
    assigned_at
  from ${source('experiment_assignments')}
  where trim(experiment_id) <> '' and trim(unit_id) <> '' and trim(variant) <> ''
),
per_variant as (
  select experiment_id, unit_id, variant, min(assigned_at) as assigned_at
  from cleaned
  group by 1, 2, 3
),
per_unit as (
  select experiment_id, unit_id, count(*) as variant_count, min(assigned_at) as assigned_at
  from per_variant
  group by 1, 2
),
first_row as (
  select experiment_id, unit_id, variant, program_id, unit_type
  from cleaned
  ${d.qualify('row_number() over (partition by experiment_id, unit_id order by assigned_at, variant, program_id) = 1', false)}
)
select
  u.experiment_id,
  f.program_id,
  u.unit_id,
  f.unit_type,
  case when u.variant_count = 1 then f.variant end as variant,
  f.variant as first_variant,
  u.assigned_at,
  u.variant_count,
  u.variant_count > 1 as is_excluded,
  case when u.variant_count > 1 then 'assigned_to_multiple_variants' end as exclusion_reason
from per_unit u
join first_row f on f.experiment_id = u.experiment_id and f.unit_id = u.unit_id
`,
});
