import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REWARD_RULE_VERSIONS_COLUMNS,
  REWARD_RULE_VERSIONS_TABLE,
  ensureOperationalTables,
} from '../../../../src/operational-tables.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { memoryWarehouse } from '../../../helpers/landing.js';
import { brief, ledger, landReferrals, rewardsTestConfig } from './fixture.js';

/*
 * A version promoted into the operational table reward_rule_versions (as `refstack experiment promote` does)
 * applies from its effectiveFrom and never changes decisions for earlier referrals. Config: v1 gives the advocate
 * 1000 cents from 2025-01-01, open-ended. Promoted v2 (2025-03-01): 2500 cents. R1 converts 02-10 (v1), R2 converts
 * 03-05 (v2). Holding 30 days, no payouts.
 */
const v1 = {
  id: 'friends-cash',
  version: 1,
  effectiveFrom: '2025-01-01',
  programIds: ['friends'],
  qualifyingEvent: { type: 'purchase' },
  advocateReward: { type: 'fixed', amountMinor: 1000, currency: 'USD' },
  holdingDays: 30,
};
const config = rewardsTestConfig({ ruleSets: [v1] });
let wh: Warehouse;
beforeAll(async () => {
  wh = await memoryWarehouse();
  await landReferrals(wh, [
    { id: 'R1', code: 'ALICE', signedUp: '2025-02-01', order: { id: 'O1', at: '2025-02-10', gross: 5000 } },
    { id: 'R2', code: 'ALICE', signedUp: '2025-03-01', order: { id: 'O2', at: '2025-03-05', gross: 5000 } },
  ]);
}, 60_000);
afterAll(async () => {
  await wh?.close();
});

describe('reward_ledger with a promoted rule version', () => {
  it('judges later referrals by the promoted version and leaves earlier ones as they were', async () => {
    const before = await ledger(wh, config);
    const v2 = {
      ...v1,
      version: 2,
      effectiveFrom: '2025-03-01',
      advocateReward: { ...v1.advocateReward, amountMinor: 2500 },
    };
    await ensureOperationalTables(wh, config.schemas.analytics);
    await wh.appendRows(config.schemas.analytics, REWARD_RULE_VERSIONS_TABLE, REWARD_RULE_VERSIONS_COLUMNS, [
      [
        'friends-cash',
        2,
        new Date('2025-03-01T00:00:00Z'),
        JSON.stringify(v2),
        'analyst',
        new Date('2025-02-28T12:00:00Z'),
        'experiment:reward-amount:treatment',
        'audit-1',
      ],
    ]);
    const after = await ledger(wh, config);
    expect(brief(after)).toEqual([
      ['R1', 'advocate', 'accrued', 1000, '2025-02-10T00:00'],
      ['R1', 'advocate', 'approved', 1000, '2025-03-12T00:00'],
      ['R2', 'advocate', 'accrued', 2500, '2025-03-05T00:00'],
      ['R2', 'advocate', 'approved', 2500, '2025-04-04T00:00'],
    ]);
    expect(after.map((r) => [r.referee_id, r.rule_version])).toEqual([
      ['R1', 1],
      ['R1', 1],
      ['R2', 2],
      ['R2', 2],
    ]);
    // R1's entries are identical to the ledger before the promotion, reasons included.
    expect(after.filter((r) => r.referee_id === 'R1')).toEqual(before.filter((r) => r.referee_id === 'R1'));
    expect(before.filter((r) => r.referee_id === 'R2').map((r) => r.amount_minor)).toEqual([1000, 1000]);
  });
});
