// Cohort grain for the retention heat maps: the marts give monthly cohorts; the page can regroup them by quarter.
/**
 * Monthly cohort cells regrouped into quarterly cohorts: per group, quarter and month offset, cohort and active
 * people are summed over the quarter's monthly cohorts that reached that offset, and the rate is their ratio
 * (so a quarter's rate is the people-weighted mean of its months' rates).
 * @param {Array<{acquisition_type: string, cohort_month: string, month_offset: number, cohort_people: number, active_people: number}>} cells
 */
export function quarterlyCohorts(cells) {
  const out = new Map();
  for (const c of cells) {
    const [year, month] = c.cohort_month.split('-').map(Number);
    const quarter = `${year}-${String(Math.floor((month - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
    const key = `${c.acquisition_type}|${quarter}|${c.month_offset}`;
    const acc = out.get(key) ?? {
      acquisition_type: c.acquisition_type,
      cohort_month: quarter,
      month_offset: c.month_offset,
      cohort_people: 0,
      active_people: 0,
    };
    acc.cohort_people += c.cohort_people;
    acc.active_people += c.active_people;
    out.set(key, acc);
  }
  return [...out.values()].map((c) => ({
    ...c,
    retention_rate: c.cohort_people ? c.active_people / c.cohort_people : 0,
  }));
}
