/**
 * loadReferralChannels (the funnel by share channel and month) and the cohort_retention column guard, on a real
 * in-memory DuckDB with literal staging rows; every expected count is worked out by hand in a comment.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCohortRetention, loadLtv } from '../../src/site/cohorts-ltv-data.js';
import { loadReferralChannels, UNTRACKED_CHANNEL } from '../../src/site/referral-channels-data.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb.js';

const NOW = new Date('2026-01-02T03:04:05Z');

describe('loadReferralChannels', () => {
  let wh: DuckDBWarehouse;
  beforeEach(async () => {
    wh = await DuckDBWarehouse.open({ path: ':memory:' });
  });
  afterEach(async () => {
    await wh.close();
  });

  async function stage(withChannel = true) {
    await wh.exec(`create table main.stg_referral_events as select * from (values
      ('e1', 'p1', 'invited', timestamp '2025-01-05 10:00:00', null, 'email'),
      ('e2', 'p1', 'invited', timestamp '2025-01-20 10:00:00', null, 'email'),
      ('e3', 'p1', 'clicked', timestamp '2025-01-21 10:00:00', null, 'email'),
      ('e4', 'p1', 'clicked', timestamp '2025-02-02 10:00:00', null, 'sms'),
      ('e5', 'p1', 'signed_up', timestamp '2025-01-22 10:00:00', 'R1', 'email'),
      ('e6', 'p1', 'signed_up', timestamp '2025-02-03 10:00:00', 'R2', 'sms'),
      ('e7', 'p1', 'signed_up', timestamp '2025-02-01 10:00:00', 'R2', 'whatsapp'),
      ('e8', 'p1', 'invited', timestamp '2025-02-10 10:00:00', null, null)
    ) t(event_id, program_id, event_type, occurred_at, referee_id, share_channel)`);
    if (!withChannel) await wh.exec('alter table main.stg_referral_events drop column share_channel');
    await wh.exec(`create table main.stg_referrals as select * from (values
      ('p1', 'R1', timestamp '2025-01-22 10:00:00', timestamp '2025-02-05 10:00:00', true),
      ('p1', 'R2', timestamp '2025-02-01 10:00:00', null, false),
      ('p1', 'R3', timestamp '2025-02-15 10:00:00', timestamp '2025-02-20 10:00:00', true)
    ) t(program_id, referee_id, signed_up_at, converted_at, is_converted)`);
  }

  it('counts each stage in its month, sign-ups and conversions under the first sign-up event’s channel', async () => {
    await stage();
    const data = await loadReferralChannels(wh, 'main', { now: NOW });
    expect(data.status.state).toBe('ready');
    expect(data.programs).toEqual(['p1']);
    expect(data.channels).toEqual(['email', UNTRACKED_CHANNEL, 'sms', 'whatsapp']);
    const row = (share_channel: string, month: string, invited: number, clicked: number, s: number, c: number) => ({
      program_id: 'p1',
      share_channel,
      month,
      invited,
      clicked,
      signed_up: s,
      converted: c,
    });
    expect(data.rows).toEqual([
      // e1, e2 invited and e3 clicked in January by email; R1 signed up in January (its event e5 is email).
      row('email', '2025-01-01', 2, 1, 1, 0),
      // R1 converted on 2025-02-05: counted in February, under its sign-up channel.
      row('email', '2025-02-01', 0, 0, 0, 1),
      // e8 has no channel; R3 has no sign-up event: its sign-up and conversion (both February) are not tracked.
      row(UNTRACKED_CHANNEL, '2025-02-01', 1, 0, 1, 1),
      // e4 clicked by SMS.
      row('sms', '2025-02-01', 0, 1, 0, 0),
      // R2's first sign-up event is e7 (whatsapp, 1 Feb), not e6 (sms, 3 Feb): one sign-up, counted once.
      row('whatsapp', '2025-02-01', 0, 0, 1, 0),
    ]);
    // Summed over channels: 3 invited, 2 clicked, 3 signed up (= stg_referrals rows), 2 converted (is_converted).
    const sum = (k: 'invited' | 'clicked' | 'signed_up' | 'converted') => data.rows.reduce((s, r) => s + r[k], 0);
    expect([sum('invited'), sum('clicked'), sum('signed_up'), sum('converted')]).toEqual([3, 2, 3, 2]);
  });

  it('is empty with the reason when the tables are missing or older than share_channel', async () => {
    const missing = await loadReferralChannels(wh, 'main', { now: NOW });
    expect(missing).toMatchObject({ rows: [], status: { state: 'missing', table: 'stg_referral_events' } });
    await stage(false);
    const old = await loadReferralChannels(wh, 'main', { now: NOW });
    expect(old.rows).toEqual([]);
    expect(old.status).toMatchObject({ state: 'incomplete', missingColumns: ['share_channel'] });
  });
});

describe('loadCohortRetention column guard', () => {
  it('reports a cohort_retention built before segment_type as incomplete instead of a Binder Error', async () => {
    const wh = await DuckDBWarehouse.open({ path: ':memory:' });
    try {
      await wh.exec(`create table main.cohort_retention as select * from (values
        ('referred', date '2025-01-01', 1, 10, 4, 0.4)
      ) t(acquisition_type, cohort_month, month_offset, cohort_people, active_people, retention_rate)`);
      const data = await loadCohortRetention(wh, 'main', { now: NOW });
      expect(data).toEqual({
        generatedAt: '2026-01-02T03:04:05.000Z',
        available: true,
        status: { table: 'cohort_retention', state: 'incomplete', missingColumns: ['segment_type'], rows: 0 },
        cells: [],
        curve: [],
      });
    } finally {
      await wh.close();
    }
  });

  it('gives the empty LTV shape when customer_ltv predates a column it reads', async () => {
    const wh = await DuckDBWarehouse.open({ path: ':memory:' });
    try {
      await wh.exec(
        `create table main.customer_ltv as select 'referred' as acquisition_type, 100 as predicted_clv_minor`,
      );
      await wh.exec(`create table main.ltv_model_fit as select 'referred' as acquisition_type, 'bgnbd' as model,
        'r' as parameter, 1.0 as value, 3 as customers, true as converged, -1.5 as log_likelihood`);
      // customer_ltv lacks reporting_currency, time_unit, horizon and calibration_end.
      expect(await loadLtv(wh, 'main', { now: NOW })).toMatchObject({ available: false, groups: [], parameters: [] });
    } finally {
      await wh.close();
    }
  });
});
