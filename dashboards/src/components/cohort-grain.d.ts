// Types for cohort-grain.js, so TypeScript tests can import it.
export interface CohortCell {
  acquisition_type: string;
  cohort_month: string;
  month_offset: number;
  cohort_people: number;
  active_people: number;
}
export function quarterlyCohorts(cells: CohortCell[]): (CohortCell & { retention_rate: number })[];
