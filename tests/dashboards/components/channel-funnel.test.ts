/** The funnel page's client-side date range and per-channel sums (over rows already aggregated in the warehouse). */
import { describe, expect, it } from 'vitest';
import { channelTotals, inMonthRange } from '../../../dashboards/src/components/channel-funnel.js';

const row = (month: string, share_channel: string, invited: number, clicked: number, s: number, c: number) => ({
  program_id: 'p1',
  month,
  share_channel,
  invited,
  clicked,
  signed_up: s,
  converted: c,
});
const ROWS = [
  row('2025-01-01', 'email', 4, 2, 2, 1),
  row('2025-02-01', 'email', 6, 2, 2, 0),
  row('2025-02-01', 'sms', 0, 5, 1, 1),
  row('2025-03-01', 'sms', 0, 3, 0, 0),
];

describe('inMonthRange', () => {
  it('keeps months within [from, to], either end open when null', () => {
    expect(inMonthRange(ROWS, '2025-02-01', '2025-02-01').map((r) => r.share_channel)).toEqual(['email', 'sms']);
    expect(inMonthRange(ROWS, null, '2025-01-01')).toHaveLength(1);
    expect(inMonthRange(ROWS, '2025-02-01', null)).toHaveLength(3);
    expect(inMonthRange(ROWS, null, null)).toHaveLength(4);
  });
});

describe('channelTotals', () => {
  it('sums each stage per channel and takes rates from the sums, most conversions first', () => {
    expect(channelTotals(ROWS)).toEqual([
      // Both channels converted 1, so the tie goes by name: email first.
      // email: invited 4 + 6 = 10, clicked 2 + 2 = 4, signed up 2 + 2 = 4, converted 1 -> 4/4 = 1, 1/4 = 0.25.
      {
        share_channel: 'email',
        invited: 10,
        clicked: 4,
        signed_up: 4,
        converted: 1,
        signup_rate: 1,
        conversion_rate: 0.25,
      },
      // sms: clicked 5 + 3 = 8, signed up 1, converted 1 -> sign-up rate 1/8 = 0.125, conversion 1/1 = 1.
      {
        share_channel: 'sms',
        invited: 0,
        clicked: 8,
        signed_up: 1,
        converted: 1,
        signup_rate: 0.125,
        conversion_rate: 1,
      },
    ]);
    // A channel with more conversions comes first.
    expect(channelTotals([...ROWS, row('2025-03-01', 'sms', 0, 0, 0, 1)]).map((t) => t.share_channel)).toEqual([
      'sms',
      'email',
    ]);
  });
});
