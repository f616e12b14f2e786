// The Attribution page's From/To month range: the loader's per-month credit (summed in the warehouse per program,
// model, channel and conversion month) summed again over the chosen months into the AttributionCell shape the
// chart and matrix draw, with each channel's share of its model's total in that selection.
import { inMonthRange } from './channel-funnel.js';

/**
 * Cells of one program selection (null = all programs) over the months in [from, to].
 * @param {Array<{program_id: string, model: string, channel: string, month: string, conversions: number, revenue_minor: number, assisted_conversions: number}>} monthly
 * @param {string | null} program
 * @param {string | null} from first month (YYYY-MM-DD), null = open
 * @param {string | null} to last month (YYYY-MM-DD), null = open
 * @returns {Array<{program_id: string | null, model: string, channel: string, conversions: number, revenue_minor: number, assisted_conversions: number, conversion_share: number | null, revenue_share: number | null}>}
 */
export function attributionCellsInRange(monthly, program, from, to) {
  const cells = new Map();
  for (const r of inMonthRange(monthly, from, to)) {
    if (program !== null && r.program_id !== program) continue;
    const key = `${r.model}\u0000${r.channel}`;
    const c = cells.get(key) ?? {
      program_id: program,
      model: r.model,
      channel: r.channel,
      conversions: 0,
      revenue_minor: 0,
      assisted_conversions: 0,
    };
    c.conversions += r.conversions;
    // Integer minor units: exact in JS numbers well below 2^53.
    c.revenue_minor += r.revenue_minor;
    c.assisted_conversions += r.assisted_conversions;
    cells.set(key, c);
  }
  const totals = new Map();
  for (const c of cells.values()) {
    const t = totals.get(c.model) ?? { conversions: 0, revenue_minor: 0 };
    t.conversions += c.conversions;
    t.revenue_minor += c.revenue_minor;
    totals.set(c.model, t);
  }
  const share = (x, total) => (total === 0 ? null : x / total);
  return [...cells.values()]
    .map((c) => ({
      ...c,
      conversion_share: share(c.conversions, totals.get(c.model).conversions),
      revenue_share: share(c.revenue_minor, totals.get(c.model).revenue_minor),
    }))
    .sort((a, b) => a.model.localeCompare(b.model) || a.channel.localeCompare(b.channel));
}
