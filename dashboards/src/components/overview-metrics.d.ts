// Types for overview-metrics.js, so TypeScript tests can import it.
import type { RevenueMonth, RoiMonth } from '../../../src/site/overview-data.js';
export interface RoiHeadline {
  months: string[];
  referralRevenue: number;
  totalRevenue: number;
  share: number | null;
  referredCustomers: number;
  rewardCost: number;
  roi: number | null;
  referralCac: number | null;
  paidCac: number | null;
  payback: number | null;
  kFactor: number | null;
  velocity: number | null;
}
export function roiHeadline(rows: RoiMonth[], revenue: Pick<RevenueMonth, 'net_revenue_minor'>[]): RoiHeadline;
