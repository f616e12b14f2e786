import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runModels } from '../../../../src/models/runner.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { memoryWarehouse } from '../../../helpers/landing.js';
import { brief, ledger, landReferrals, registry, rewardsTestConfig } from './fixture.js';

/*
 * A rule change: version 1 (fixed 2000 cents to the advocate) runs from 2025-01-01; on 2025-03-01 version 2
 * (12.5% of the commission base, 14-day holding) replaces it. R1 converts on 2025-02-20, R2 on 2025-03-05, both
 * on 10,000-cent USD orders with no discount or tax.
 */
let wh: Warehouse;
beforeEach(async () => {
  wh = await memoryWarehouse();
  await landReferrals(wh, [
    { id: 'R1', code: 'ALICE', signedUp: '2025-02-01', order: { id: 'O1', at: '2025-02-20T12:00:00Z', gross: 10_000 } },
    { id: 'R2', code: 'ALICE', signedUp: '2025-02-01', order: { id: 'O2', at: '2025-03-05T12:00:00Z', gross: 10_000 } },
  ]);
});
afterEach(async () => {
  await wh.close();
});

const base = {
  id: 'friends-cash',
  programIds: ['friends'],
  qualifyingEvent: { type: 'purchase' },
  holdingDays: 30,
  clawbackDays: 60,
};
const v1 = {
  ...base,
  version: 1,
  effectiveFrom: '2025-01-01',
  advocateReward: { type: 'fixed', amountMinor: 2000, currency: 'USD' },
};
const v2 = {
  ...base,
  version: 2,
  effectiveFrom: '2025-03-01',
  holdingDays: 14,
  advocateReward: { type: 'percent', percent: '12.5' },
};

const COLUMNS = `ledger_entry_id, program_id, rule_set_id, rule_version, referral_id, advocate_id, referee_id, beneficiary_id,
  beneficiary_role, order_id, entry_type, amount_minor, held_delta_minor, approved_delta_minor, currency, reward_kind,
  reason_code, reason, decided_at, effective_at`;

describe('reward_ledger: rule versions', () => {
  it('judges each referral by the version in effect when it converted', async () => {
    const rows = await ledger(wh, rewardsTestConfig({ ruleSets: [{ ...v1, effectiveTo: '2025-03-01' }, v2] }));
    // R1 (2025-02-20, v1): fixed 2000, approved 30 days later on 2025-03-22T12:00.
    // R2 (2025-03-05, v2): 12.5% of 10,000 = 1250, approved 14 days later on 2025-03-19T12:00.
    expect(rows.map((r) => [r.referee_id, r.rule_version, r.entry_type, r.amount_minor, r.decided_at])).toEqual([
      ['R1', 1, 'accrued', 2000, '2025-02-20T12:00:00.000Z'],
      ['R1', 1, 'approved', 2000, '2025-03-22T12:00:00.000Z'],
      ['R2', 2, 'accrued', 1250, '2025-03-05T12:00:00.000Z'],
      ['R2', 2, 'approved', 1250, '2025-03-19T12:00:00.000Z'],
    ]);
  });

  it('adding a version never changes decisions already made', async () => {
    // Before the change: only v1, open-ended, run as of 2025-02-28.
    await runModels({
      wh,
      config: rewardsTestConfig({ asOf: '2025-02-28', ruleSets: [v1] }),
      registry: registry(),
      select: ['reward_ledger'],
    });
    const before = await wh.query(`select ${COLUMNS} from reward_ledger order by ledger_entry_id`);
    expect(before.map((r) => [r.referee_id, r.entry_type, r.amount_minor])).toEqual([['R1', 'accrued', 2000]]);
    // After: v1 closed on 2025-03-01, v2 added; run as of the data's end (2025-06-30).
    await runModels({
      wh,
      config: rewardsTestConfig({ ruleSets: [{ ...v1, effectiveTo: '2025-03-01' }, v2] }),
      registry: registry(),
      select: ['reward_ledger'],
    });
    const after = await wh.query(
      `select ${COLUMNS} from reward_ledger where decided_at < timestamp '2025-03-01' order by ledger_entry_id`,
    );
    expect(after).toEqual(before);
  });

  it('gives the identical ledger on a rerun with the same inputs', async () => {
    const config = rewardsTestConfig({ ruleSets: [{ ...v1, effectiveTo: '2025-03-01' }, v2] });
    const first = brief(await ledger(wh, config));
    const firstFull = await wh.query(`select ${COLUMNS}, as_of from reward_ledger order by ledger_entry_id`);
    const second = brief(await ledger(wh, config));
    const secondFull = await wh.query(`select ${COLUMNS}, as_of from reward_ledger order by ledger_entry_id`);
    expect(second).toEqual(first);
    expect(secondFull).toEqual(firstFull);
    expect(new Set(secondFull.map((r) => r.ledger_entry_id)).size).toBe(secondFull.length);
  });
});
