// Types for channel-funnel.js, so TypeScript tests can import it.
export interface ChannelCounts {
  share_channel: string;
  invited: number;
  clicked: number;
  signed_up: number;
  converted: number;
}
export function inMonthRange<T extends { month: string }>(rows: T[], from: string | null, to: string | null): T[];
export function channelTotals(
  rows: ChannelCounts[],
): (ChannelCounts & { signup_rate: number | null; conversion_rate: number | null })[];
export function channelTable(totals: ReturnType<typeof channelTotals>): HTMLElement;
export function channelChart(
  rows: { month: string; share_channel: string; converted: number }[],
  options: { width: number },
): unknown;
