import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runModels } from '../../../../src/models/runner.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { assignCodes } from '../../../../activate/codes/assign.js';
import { land, memoryWarehouse } from '../../../helpers/landing.js';
import { activationRegistry, activationTestConfig, landActivationFixture, landEarlierInvite } from './fixture.js';

let wh: Warehouse;
beforeEach(async () => {
  wh = await memoryWarehouse();
  await landActivationFixture(wh);
});
afterEach(async () => {
  await wh.close();
});

async function audiences(config = activationTestConfig()) {
  await runModels({ wh, config, registry: activationRegistry(), select: ['stg_customers', 'stg_orders'] });
  await assignCodes(wh, config, { secret: 'test' });
  await runModels({ wh, config, registry: activationRegistry(), select: ['activation_audiences'] });
  return wh.query<Record<string, unknown>>(`
    select audience, template_key, recipient_id, trigger_type, trigger_id, reward_minor, tier, referral_code,
      referrals, next_milestone, full_name, strftime(as_of, '%Y-%m-%d %H:%M') as as_of, dedupe_key
    from main.activation_audiences order by audience, recipient_id, template_key`);
}

describe('activation_audiences', () => {
  it('finds each audience of the fixture (counts by hand in fixture.ts)', async () => {
    await landEarlierInvite(wh);
    const rows = await audiences();
    const r1 = (
      await wh.query<{ referral_id: string }>(`select referral_id from main.stg_referrals where referee_id = 'R1'`)
    )[0]!.referral_id;
    expect(rows.map((r) => [r.audience, r.template_key, r.recipient_id, r.trigger_id])).toEqual([
      // A1: repeat purchase Jun 20 and milestone 1 (R1, Jun 22) in the window; the later moment wins.
      ['moment_of_joy', 'invite.milestone', 'A1', r1],
      // A2: NPS Jun 25 and support Jun 28; the later moment wins. A3 is capped, A4 is no promoter (CSAT 2).
      ['moment_of_joy', 'invite.support', 'A2', 'I2'],
      // A6: 2 converted referrals, milestone 3 is one away.
      ['one_from_milestone', 'nudge.one_from_milestone', 'A6', '2'],
      // A5's last activity Jan 15, A6's Mar 5: both more than 90 days before Jun 30.
      ['quiet', 'winback.quiet', 'A5', '2025-01-15'],
      ['quiet', 'winback.quiet', 'A6', '2025-03-05'],
      // R1 converted Jun 22: thanks to both sides.
      ['referee_converted', 'thanks.advocate', 'A1', r1],
      ['referee_converted', 'thanks.referee', 'R1', r1],
      // A1's 1000 accrued Jun 22 (approval after the 30-day holding falls after as_of), at tier Bronze.
      ['reward_earned', 'reward.earned', 'A1', expect.any(String)],
      ['tier_reached', 'tier.reached', 'A1', expect.any(String)],
    ]);
    const a1 = rows.find((r) => r.template_key === 'invite.milestone')!;
    expect(a1).toMatchObject({ referral_code: 'ALICE', referrals: 1, next_milestone: 3, full_name: 'Advocate A1' });
    expect(a1.as_of).toBe('2025-06-30 00:00');
    expect(rows.find((r) => r.audience === 'reward_earned')).toMatchObject({ reward_minor: 1000 });
    expect(rows.find((r) => r.audience === 'tier_reached')).toMatchObject({ tier: 'Bronze' });
    expect(rows.find((r) => r.recipient_id === 'A6' && r.audience === 'one_from_milestone')).toMatchObject({
      referrals: 2,
      next_milestone: 3,
      referral_code: 'GUS',
    });
    expect(new Set(rows.map((r) => r.dedupe_key)).size).toBe(rows.length);
  });

  it('without the earlier invitation A3 is invited too; a rerun gives the same table', async () => {
    const first = await audiences();
    expect(first.filter((r) => r.audience === 'moment_of_joy').map((r) => [r.recipient_id, r.template_key])).toEqual([
      ['A1', 'invite.milestone'],
      ['A2', 'invite.support'],
      ['A3', 'invite.nps_promoter'],
    ]);
    expect(await audiences()).toEqual(first);
  });

  it('a wider window and a lower promoter bar change the moments', async () => {
    const rows = await audiences(
      activationTestConfig({ audiences: { windowDays: 200, promoterMinScore: 6, milestones: [1, 3] } }),
    );
    // 200 days back from Jun 30 reaches Dec 12, 2024: every moment since. A4 (NPS 6) is now a promoter; A5 reached
    // milestone 1 on Jan 15 and A6 on Mar 1 (their latest moments); the referral conversions all thank both sides.
    expect(rows.filter((r) => r.audience === 'moment_of_joy').map((r) => [r.recipient_id, r.template_key])).toEqual([
      ['A1', 'invite.milestone'],
      ['A2', 'invite.support'],
      ['A3', 'invite.nps_promoter'],
      ['A4', 'invite.nps_promoter'],
      ['A5', 'invite.milestone'],
      ['A6', 'invite.milestone'],
    ]);
    expect(rows.filter((r) => r.audience === 'referee_converted')).toHaveLength(8);
  });

  it('is empty on an empty warehouse', async () => {
    const empty = await memoryWarehouse();
    try {
      await runModels({
        wh: empty,
        config: activationTestConfig(),
        registry: activationRegistry(),
        select: ['activation_audiences'],
      });
      expect(await empty.query('select count(*) as n from main.activation_audiences')).toEqual([{ n: 0 }]);
    } finally {
      await empty.close();
    }
  });

  it('an advocate invited in this run gets no milestone nudge in the same run', async () => {
    // A6 (2 referrals, one short of milestone 3) answers NPS 10 on Jun 29: the invitation wins over the nudge.
    await land(
      wh,
      'survey_responses',
      [{ response_id: 'S6', survey_id: 'nps', customer_id: 'A6', submitted_at: '2025-06-29', nps_score: 10 }],
      'b2',
    );
    const rows = await audiences();
    expect(rows.filter((r) => r.recipient_id === 'A6').map((r) => r.template_key)).toEqual([
      'invite.nps_promoter',
      'winback.quiet',
    ]);
  });
});
