import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPayouts, formatExportResults } from '../../src/cli/commands/payouts.js';
import { runModels } from '../../src/models/runner.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { memoryWarehouse } from '../helpers/landing.js';
import { landReferrals, registry } from '../models/marts/rewards/fixture.js';
import { payoutConfig as config, payoutReferees } from '../models/marts/rewards/payout-fixture.js';

/*
 * The payout scenario of payout-fixture.ts: two batches for program friends, 2025-03-01 and 2025-05-01, each
 * paying advocate A1 2000 cents (20.00 USD).
 */
let wh: Warehouse;
let out: string;
const build = () => runModels({ wh, config, registry: registry(), select: ['payout_batches'] });
beforeAll(async () => {
  wh = await memoryWarehouse();
  out = mkdtempSync(join(tmpdir(), 'refstack-payouts-'));
  await landReferrals(wh, payoutReferees);
  await build();
}, 60_000);
afterAll(async () => {
  await wh?.close();
  rmSync(out, { recursive: true, force: true });
});

describe('payouts export', () => {
  it('writes one payable CSV per batch up to --as-of, records it and audits it', async () => {
    const now = new Date('2025-07-01T09:00:00Z');
    const results = await exportPayouts(wh, config, { outDir: out, asOf: '2025-04-30', by: 'finance-bot', now });
    expect(results.map((r) => [r.payoutBatchId, r.outcome, r.advocates, r.amountMinor])).toEqual([
      ['payout-friends-USD-2025-03-01', 'exported', 1, 2000],
    ]);
    expect(readdirSync(out)).toEqual(['payout-friends-USD-2025-03-01.csv']);
    expect(readFileSync(join(out, 'payout-friends-USD-2025-03-01.csv'), 'utf8')).toBe(
      'advocate_id,amount,currency,reference\nA1,20.00,USD,payout-friends-USD-2025-03-01:A1\n',
    );
    const audit = await wh.query(
      `select actor, action, subject_type, subject_id, reason from refstack_audit_log order by recorded_at`,
    );
    expect(audit.map((a) => ({ ...a }))).toEqual([
      {
        actor: 'finance-bot',
        action: 'payout.export',
        subject_type: 'payout_batch',
        subject_id: 'payout-friends-USD-2025-03-01',
        reason: 'payable file payout-friends-USD-2025-03-01.csv: 1 advocate, 20.00 USD',
      },
    ]);
  });

  it('never writes an exported batch again, and payout_batches shows it exported', async () => {
    rmSync(join(out, 'payout-friends-USD-2025-03-01.csv'));
    const results = await exportPayouts(wh, config, { outDir: out, by: 'finance-bot' });
    expect(results.map((r) => [r.payoutBatchId, r.outcome, r.changedSinceExport ?? null])).toEqual([
      ['payout-friends-USD-2025-03-01', 'already_exported', false],
      ['payout-friends-USD-2025-05-01', 'exported', null],
    ]);
    // The removed file is not rewritten: an exported batch is never produced (paid) twice.
    expect(readdirSync(out)).toEqual(['payout-friends-USD-2025-05-01.csv']);
    expect(formatExportResults(results).split('\n')[0]).toBe(
      'already exported payout-friends-USD-2025-03-01 at 2025-07-01T09:00:00.000Z ' +
        '(payout-friends-USD-2025-03-01.csv); not written again',
    );
    const again = await exportPayouts(wh, config, { outDir: out, batch: 'payout-friends-USD-2025-05-01' });
    expect(again.map((r) => r.outcome)).toEqual(['already_exported']);
    expect((await wh.query(`select count(*) as n from payout_exports`))[0]).toEqual({ n: 2 });
    await build();
    const batches = await wh.query(`select payout_batch_id, status from payout_batches order by 1`);
    expect(batches.map((b) => b.status)).toEqual(['exported', 'exported']);
  });

  it('names an unknown batch and conflicting flags', async () => {
    await expect(exportPayouts(wh, config, { outDir: out, batch: 'nope' })).rejects.toThrow(
      'unknown payout batch "nope"',
    );
    await expect(exportPayouts(wh, config, { outDir: out, batch: 'x', asOf: '2025-01-01' })).rejects.toThrow(
      'give --batch or --as-of, not both',
    );
    // 2026-02-31 has the right shape but is no day: one line naming it, not the engine's conversion error.
    for (const bad of ['2026-02-31', '2026-13-01', 'June'])
      await expect(exportPayouts(wh, config, { outDir: out, asOf: bad })).rejects.toThrow(
        `--as-of: expected a date YYYY-MM-DD, got "${bad}"`,
      );
  });
});
