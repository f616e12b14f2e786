import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../../../models/index.js';
import { runModels } from '../../../../src/models/runner.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { land, memoryWarehouse, testConfig } from '../../../helpers/landing.js';

/*
 * Program "friends", written out by hand (all times UTC):
 *   January cohort: A (Jan 1 00:00), B (Jan 15, referred by A), C (Jan 20, referred by A).
 *   February cohort: D (Feb 4, referred by B), E (Feb 10), F (Feb 12, used its own code: self-referral),
 *   G (Feb 20 12:00, referred by D), H (Feb 25, referred by E).
 *   Invites: A 4 (January), B 2 (Jan 20, Feb 1), D 1 (Feb 5), E 1 (Mar 1 00:00, the latest time in the program).
 * Program "partners": one customer P (Jan 5), no referral activity.
 */
let wh: Warehouse;

beforeEach(async () => {
  wh = await memoryWarehouse();
  const customer = (id: string, created_at: string, referredBy?: string, program_id = 'friends') => ({
    customer_id: id,
    program_id,
    created_at,
    referral_code: id,
    referred_by_code: referredBy,
  });
  await land(wh, 'customers', [
    customer('A', '2025-01-01T00:00:00Z'),
    customer('B', '2025-01-15T00:00:00Z', 'A'),
    customer('C', '2025-01-20T00:00:00Z', 'A'),
    customer('D', '2025-02-04T00:00:00Z', 'B'),
    customer('E', '2025-02-10T00:00:00Z'),
    customer('F', '2025-02-12T00:00:00Z', 'F'),
    customer('G', '2025-02-20T12:00:00Z', 'D'),
    customer('H', '2025-02-25T00:00:00Z', 'E'),
    customer('P', '2025-01-05T00:00:00Z', undefined, 'partners'),
  ]);
  const invite = (event_id: string, code: string, occurred_at: string) => ({
    event_id,
    event_type: 'invited',
    referral_code: code,
    occurred_at,
  });
  await land(wh, 'referral_events', [
    invite('i1', 'A', '2025-01-02T00:00:00Z'),
    invite('i2', 'A', '2025-01-03T00:00:00Z'),
    invite('i3', 'A', '2025-01-05T00:00:00Z'),
    invite('i4', 'A', '2025-01-10T00:00:00Z'),
    invite('i5', 'B', '2025-01-20T00:00:00Z'),
    invite('i6', 'B', '2025-02-01T00:00:00Z'),
    invite('i7', 'D', '2025-02-05T00:00:00Z'),
    invite('i8', 'E', '2025-03-01T00:00:00Z'),
    // A's code used in another program: activity outside the customer's own program is not counted
    // (friends' January cohort keeps 6 invites; partners has no such customer). Jan 4 is before P's sign-up,
    // so partners' as_of stays Jan 5.
    { ...invite('i9', 'A', '2025-01-04T00:00:00Z'), program_id: 'partners' },
    // A click is not an invite.
    { event_id: 'c1', event_type: 'clicked', referral_code: 'A', occurred_at: '2025-01-02T01:00:00Z' },
  ]);
});

afterEach(async () => {
  await wh.close();
});

describe('referral_growth', () => {
  it('computes each cohort metric from literal rows', async () => {
    const registry = defaultRegistry();
    await runModels({ wh, config: testConfig(), registry, select: ['referral_growth'] });
    const rows = await wh.query(`
      select program_id, strftime(cohort_month, '%Y-%m') as cohort_month, customers_acquired, active_advocates,
        invites_sent, referred_signups, invites_per_customer, invite_conversion_rate, k_factor,
        median_viral_cycle_days, strftime(as_of, '%Y-%m-%d %H:%M') as as_of, observed_weeks, referral_velocity
      from referral_growth order by program_id, cohort_month`);
    expect(rows).toEqual([
      {
        program_id: 'friends',
        cohort_month: '2025-01',
        customers_acquired: 3, // A, B, C
        active_advocates: 2, // A (4 invites, referred B and C), B (2 invites, referred D); C did nothing
        invites_sent: 6, // A 4 + B 2 (B's February invite still belongs to B's January cohort)
        referred_signups: 3, // B and C by A, D by B
        invites_per_customer: 2, // 6 / 3
        invite_conversion_rate: 0.5, // 3 / 6
        k_factor: 1, // 2 x 0.5
        // Cycle days: B 15 Jan - A 1 Jan = 14, C 20 Jan - A 1 Jan = 19, D 4 Feb - B 15 Jan = 20; median 19.
        median_viral_cycle_days: 19,
        as_of: '2025-03-01 00:00', // E's invite, the latest time in the program
        observed_weeks: 59 / 7, // 1 Jan -> 1 Mar = 31 + 28 = 59 days
        referral_velocity: 3 / 2 / (59 / 7), // 3 referrals / 2 active advocates / 8.43 weeks = 0.1780
      },
      {
        program_id: 'friends',
        cohort_month: '2025-02',
        customers_acquired: 5, // D, E, F, G, H
        active_advocates: 2, // D (1 invite, referred G), E (1 invite, referred H); F's self-referral is not activity
        invites_sent: 2, // D 1 + E 1
        referred_signups: 2, // G by D, H by E (F's self-referral excluded)
        invites_per_customer: 0.4, // 2 / 5
        invite_conversion_rate: 1, // 2 / 2
        k_factor: 0.4, // 0.4 x 1
        // Cycle days: G 20 Feb 12:00 - D 4 Feb = 16.5, H 25 Feb - E 10 Feb = 15; even count: (15 + 16.5) / 2.
        median_viral_cycle_days: 15.75,
        as_of: '2025-03-01 00:00',
        observed_weeks: 4, // 1 Feb -> 1 Mar = 28 days
        referral_velocity: 0.25, // 2 / 2 / 4
      },
      {
        program_id: 'partners',
        cohort_month: '2025-01',
        customers_acquired: 1,
        active_advocates: 0,
        invites_sent: 0,
        referred_signups: 0,
        invites_per_customer: 0, // 0 / 1
        invite_conversion_rate: null, // no invites
        k_factor: null,
        median_viral_cycle_days: null, // no referrals
        as_of: '2025-01-05 00:00', // P's sign-up: as_of is per program
        observed_weeks: 4 / 7, // 1 Jan -> 5 Jan
        referral_velocity: null, // no active advocates
      },
    ]);
  });
});
