// Types for attribution-range.js, so TypeScript tests can import it.
export interface AttributionMonthCell {
  program_id: string;
  model: string;
  channel: string;
  month: string;
  conversions: number;
  revenue_minor: number;
  assisted_conversions: number;
}
export function attributionCellsInRange(
  monthly: AttributionMonthCell[],
  program: string | null,
  from: string | null,
  to: string | null,
): {
  program_id: string | null;
  model: string;
  channel: string;
  conversions: number;
  revenue_minor: number;
  assisted_conversions: number;
  conversion_share: number | null;
  revenue_share: number | null;
}[];
