// Labels and colours of the acquisition types (customer_ltv / cohort_retention `acquisition_type`), shared by
// the Cohorts and LTV page's charts so referred is always the accent blue and not referred always grey.
export const GROUP_LABELS = { referred: 'Referred', non_referred: 'Not referred' };
export const GROUP_COLORS = { referred: '#3b5bdb', non_referred: '#9ca3af' };
