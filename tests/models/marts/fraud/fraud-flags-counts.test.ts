import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { land, memoryWarehouse } from '../../../helpers/landing.js';
import { customer, flags, runFraud } from './fixture.js';

let wh: Warehouse;
beforeEach(async () => {
  wh = await memoryWarehouse();
});
afterEach(async () => {
  await wh.close();
});

const pad = (n: number) => String(n).padStart(2, '0');
/** `n` referees of `advocate` signing up on `day` (YYYY-MM-DD), one a minute from 10:00 UTC. */
const referees = (
  advocate: string,
  day: string,
  n: number,
  prefix: string,
  extra: (i: number) => object = () => ({}),
) =>
  Array.from({ length: n }, (_, i) =>
    customer(`${prefix}${pad(i)}`, `${day}T10:${pad(i)}:00Z`, advocate, extra(i) as Record<string, unknown>),
  );

describe('fraud_flags: velocity', () => {
  it('fires on an advocate-day above max(minCount, program median + k MAD), with the baseline in evidence', async () => {
    await land(wh, 'customers', [
      customer('V', '2025-01-01T00:00:00Z'),
      customer('U', '2025-01-01T00:00:00Z'),
      ...referees('V', '2025-03-01', 6, 'V'),
      ...referees('U', '2025-03-02', 1, 'Ua'),
      ...referees('U', '2025-03-03', 1, 'Ub'),
      ...referees('U', '2025-03-04', 1, 'Uc'),
    ]);
    await runFraud(wh);
    const rows = await flags(wh, 'velocity');
    // Advocate-day counts 6, 1, 1, 1: median 1; |x - 1| = 5, 0, 0, 0 -> MAD 0; threshold max(minCount 5, 1 + 5 x 0)
    // = 5; 6 > 5 fires with score min(1, 6 / (2 x 5)) = 0.6.
    expect(rows.map((r) => r.referee_id)).toEqual(['V00', 'V01', 'V02', 'V03', 'V04', 'V05']);
    expect(rows[0]!.score).toBeCloseTo(0.6, 12);
    expect(rows[0]!.evidence).toEqual({
      day: '2025-03-01',
      referrals: 6,
      baseline: 'program',
      baseline_buckets: 4,
      median: 1,
      mad: 0,
      threshold: 5,
    });
    expect(rows[0]!.flagged_at).toBe('2025-03-01T10:00:00.000Z');
  });

  it("does not fire at the threshold, nor on a busy advocate's usual day (own baseline)", async () => {
    const busy = ['2025-03-01', '2025-03-02', '2025-03-03', '2025-03-04', '2025-03-05', '2025-03-06', '2025-03-07'];
    await land(wh, 'customers', [
      customer('W', '2025-01-01T00:00:00Z'),
      customer('P', '2025-01-01T00:00:00Z'),
      customer('T', '2025-01-01T00:00:00Z'),
      // W: 6 referrals on each of 7 days. P: 1 on each of 20 days. T: 5 on one day (= the floor).
      ...busy.flatMap((day, k) => referees('W', day, 6, `W${k}`)),
      ...Array.from({ length: 20 }, (_, k) => referees('P', `2025-04-${pad(k + 1)}`, 1, `P${pad(k)}`)).flat(),
      ...referees('T', '2025-05-01', 5, 'T'),
    ]);
    await runFraud(wh);
    // Program cells: 20 x 1, 1 x 5, 7 x 6 (28): median = mean of the 14th and 15th smallest = 1, MAD 0 -> threshold 5.
    // W (7 active days >= advocateMinDays 7): own median 6, MAD 0 -> max(5, 6) = 6; 6 > 6 is false. T: 5 > 5 false.
    expect(await flags(wh, 'velocity')).toEqual([]);
    await runFraud(wh, { rules: { velocity: { advocateMinDays: 8 } } });
    // Without its own baseline W's days are judged by the program's threshold 5: all 42 referrals fire.
    const rows = await flags(wh, 'velocity');
    expect(rows.length).toBe(42);
    expect(rows[0]!.evidence).toMatchObject({ referrals: 6, baseline: 'program', threshold: 5 });
  });
});

describe('fraud_flags: signup_burst', () => {
  it('fires when one /24 has more sign-ups in a window than max(minSignups, median + k MAD)', async () => {
    const burstIp = (i: number) => ({ signup_ip: `203.0.113.${i + 1}` });
    await land(wh, 'customers', [
      customer('A', '2025-01-01T00:00:00Z'),
      customer('B', '2025-01-01T00:00:00Z'),
      // 11 referrals of A from 203.0.113.1-11 on 2025-06-10 (one 24-hour window: windows are UTC days).
      ...referees('A', '2025-06-10', 11, 'X', burstIp),
      // 10 from another /24 on 2025-06-11: at the floor, not above it.
      ...referees('B', '2025-06-11', 10, 'Y', (i) => ({ signup_ip: `198.51.100.${i + 1}` })),
    ]);
    await runFraud(wh);
    const rows = await flags(wh, 'signup_burst');
    // Cells: 11 and 10 (the two bursts), plus 1 for each of A and B (own 10.x.y.1 /24s): 1, 1, 10, 11 -> median
    // 5.5, |x - 5.5| = 4.5, 4.5, 4.5, 5.5 -> MAD 4.5 x 1.4826 = 6.6717. With the default k = 5 the threshold is
    // 5.5 + 5 x 6.6717 = 38.8585: nothing fires. With k = 0.5: 5.5 + 0.5 x 6.6717 = 8.83585, floored at minSignups
    // 10 -> 10; 11 > 10 fires (score 11 / (2 x 10) = 0.55) and 10 does not.
    expect(rows).toEqual([]);
    await runFraud(wh, { rules: { signupBurst: { k: 0.5 } } });
    const fired = await flags(wh, 'signup_burst');
    expect(fired.map((r) => r.referee_id)).toEqual(Array.from({ length: 11 }, (_, i) => `X${pad(i)}`));
    expect(fired[0]!.score).toBeCloseTo(0.55, 12);
    expect(fired[0]!.evidence).toEqual({
      ip_range: '203.0.113.0/24',
      // 2025-06-10T00:00:00Z = 1749513600 s since the epoch.
      window_start_epoch: 1749513600,
      window_hours: 24,
      signups: 11,
      baseline: 'program',
      baseline_buckets: 4,
      median: 5.5,
      mad: 6.6717,
      threshold: 10,
    });
  });
});
