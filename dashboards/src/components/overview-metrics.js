// Headline numbers of the Executive overview, derived from program_roi rows (one per month and program) for the
// selected programs and months. Sums are sums of integer minor units. Ratios are re-weighted so that, for the
// mart's definitions, they equal the ratio of the sums:
//   ROI           = sum(roi × cost) / sum(cost), cost = reward_cost_cash_minor + reward_cost_non_cash_minor
//                   (exactly (Σvalue − Σcost) / Σcost when roi = (value − cost) / cost per row);
//   referral CAC  = sum(referral_cac_minor × referred_customers) / sum(referred_customers);
//   payback       = sum(payback_months × referred_customers) / sum(referred_customers);
//   paid CAC      = mean of the months' paid_cac_minor where there was paid spend (no paid-customer weights in
//                   the mart);
//   K-factor      = sum(k_factor × referred_customers) / sum(referred_customers) over the selected months (monthly
//                   cohorts weighted by size; the latest cohorts are still referring, so a single month understates);
//   velocity      = conversions per month: sum(conversions) / months selected.
// tests/e2e/site-pages.test.ts computes the same formulas in SQL on the mart.

const sum = (rows, f) => rows.reduce((s, r) => s + (f(r) ?? 0), 0);

function weighted(rows, value, weight) {
  const usable = rows.filter((r) => value(r) !== null && value(r) !== undefined && weight(r) > 0);
  const w = sum(usable, weight);
  return w > 0 ? sum(usable, (r) => value(r) * weight(r)) / w : null;
}

/**
 * @param {Array<object>} rows program_roi rows already filtered to the selection
 * @param {Array<{month: string, program_id: string|null, net_revenue_minor: number}>} revenue stg_orders revenue rows, filtered alike
 */
export function roiHeadline(rows, revenue) {
  const cost = (r) => r.reward_cost_cash_minor + r.reward_cost_non_cash_minor;
  const months = [...new Set(rows.map((r) => r.month))].sort();
  const paid = rows.filter((r) => r.paid_cac_minor !== null);
  const referralRevenue = sum(rows, (r) => r.referral_revenue_minor);
  const totalRevenue = sum(revenue, (r) => r.net_revenue_minor);
  return {
    months,
    referralRevenue,
    totalRevenue,
    share: totalRevenue > 0 ? referralRevenue / totalRevenue : null,
    referredCustomers: sum(rows, (r) => r.referred_customers),
    rewardCost: sum(rows, cost),
    roi: weighted(rows, (r) => r.roi, cost),
    referralCac: weighted(
      rows,
      (r) => r.referral_cac_minor,
      (r) => r.referred_customers,
    ),
    paidCac: paid.length ? sum(paid, (r) => r.paid_cac_minor) / paid.length : null,
    payback: weighted(
      rows,
      (r) => r.payback_months,
      (r) => r.referred_customers,
    ),
    kFactor: weighted(
      rows,
      (r) => r.k_factor,
      (r) => r.referred_customers,
    ),
    velocity: months.length ? sum(rows, (r) => r.conversions) / months.length : null,
  };
}
