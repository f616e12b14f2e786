import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultRegistry } from '../../models/index.js';
import { decideReview, listReviewQueue, reviewCommand } from '../../src/cli/commands/review.js';
import { runModels } from '../../src/models/runner.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb.js';
import { ensureLandingSchema } from '../../ingest/landing-schema.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { land } from '../helpers/landing.js';
import { customer, fraudTestConfig, order } from '../models/marts/fraud/fixture.js';

const config = fraudTestConfig({ highValueThresholdMinor: 50_000 });
const run = (wh: Warehouse) => runModels({ wh, config, registry: defaultRegistry(), select: ['review_queue'] });

/** A: advocate; E shares A's device (flagged 0.6); F has a 60,000 order (high value); G is clean. */
async function seed(wh: Warehouse): Promise<Map<string, string>> {
  await ensureLandingSchema(wh);
  await land(wh, 'customers', [
    customer('A', '2025-01-01T00:00:00Z', undefined, { signup_device_id: 'dev-A' }),
    customer('E', '2025-02-01T00:00:00Z', 'A', { signup_device_id: 'dev-A' }),
    customer('F', '2025-02-02T00:00:00Z', 'A'),
    customer('G', '2025-02-03T00:00:00Z', 'A'),
  ]);
  await land(wh, 'orders', [order('O-F', 'F', '2025-02-03T00:00:00Z', { gross_minor: 60_000 })]);
  await run(wh);
  const rows = await wh.query<{ referee_id: string; referral_id: string }>('select * from stg_referrals');
  return new Map(rows.map((r) => [r.referee_id, r.referral_id]));
}

describe('review decide / list', () => {
  let wh: Warehouse;
  let ids: Map<string, string>;
  beforeAll(async () => {
    wh = await DuckDBWarehouse.open({ path: ':memory:', threads: 1 });
    ids = await seed(wh);
  });
  afterAll(async () => {
    await wh.close();
  });

  it('refuses an unknown referral id and a referral not in the queue, writing nothing', async () => {
    await expect(
      decideReview(wh, config, { referralId: 'nope', decision: 'reject', note: 'x', by: 'rita' }),
    ).rejects.toThrow('review decide: unknown referral id "nope"');
    await expect(
      decideReview(wh, config, { referralId: ids.get('G')!, decision: 'approve', note: 'x', by: 'rita' }),
    ).rejects.toThrow(`referral "${ids.get('G')}" is not in the review queue`);
    await expect(
      decideReview(wh, config, { referralId: ids.get('E')!, decision: 'reject', note: '  ', by: 'rita' }),
    ).rejects.toThrow('--note must say why');
    const n = await wh.query<{ n: number }>('select count(*) as n from review_decisions');
    expect(Number(n[0]!.n)).toBe(0);
  });

  it('writes both rows or neither: a failing decision insert rolls the audit entry back', async () => {
    const failing = new Proxy(wh, {
      get(target, prop, receiver) {
        if (prop === 'appendRows')
          return async (...args: Parameters<Warehouse['appendRows']>) => {
            if (args[1] === 'review_decisions') throw new Error('disk full');
            return target.appendRows(...args);
          };
        const value = Reflect.get(target, prop, receiver) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    await expect(
      decideReview(failing, config, { referralId: ids.get('F')!, decision: 'approve', note: 'x', by: 'rita' }),
    ).rejects.toThrow('disk full');
    const counts = await wh.query<{ a: number; d: number }>(
      'select (select count(*) from refstack_audit_log) as a, (select count(*) from review_decisions) as d',
    );
    expect(counts.map((c) => [Number(c.a), Number(c.d)])).toEqual([[0, 0]]);
  });

  it('appends the decision and an audit entry that point at each other; the rerun shows the status', async () => {
    const at = new Date('2025-03-01T12:00:00Z');
    const rec = await decideReview(wh, config, {
      referralId: ids.get('E')!,
      decision: 'reject',
      note: 'same device as the advocate',
      by: 'rita',
      at,
    });
    expect(rec).toMatchObject({ decision: 'reject', decidedBy: 'rita', previousStatus: 'pending' });
    const decisions = await wh.query<Record<string, unknown>>('select * from review_decisions');
    expect(decisions).toMatchObject([
      {
        decision_id: rec.decisionId,
        referral_id: ids.get('E'),
        decision: 'reject',
        decided_by: 'rita',
        note: 'same device as the advocate',
        audit_id: rec.auditId,
      },
    ]);
    const audit = await wh.query<Record<string, unknown>>('select * from refstack_audit_log');
    expect(audit).toMatchObject([
      {
        audit_id: rec.auditId,
        actor: 'rita',
        action: 'review.decide',
        subject_type: 'referral',
        subject_id: ids.get('E'),
        reason: 'same device as the advocate',
      },
    ]);
    expect(JSON.parse(String(audit[0]!.details))).toMatchObject({
      decision: 'reject',
      decision_id: rec.decisionId,
      previous_status: 'pending',
      queue_reasons: 'fraud_score',
      fraud_score: 0.6,
    });
    // The queue shows the decision only after the models rerun.
    expect((await listReviewQueue(wh, config, { status: 'rejected' })).length).toBe(0);
    await run(wh);
    const rejected = await listReviewQueue(wh, config, { status: 'rejected' });
    expect(rejected.map((r) => [r.refereeId, r.decidedBy, r.decidedAt, r.note])).toEqual([
      ['E', 'rita', '2025-03-01T12:00:00.000Z', 'same device as the advocate'],
    ]);
    expect((await listReviewQueue(wh, config, { status: 'pending' })).map((r) => r.refereeId)).toEqual(['F']);
  });
});

describe('refstack review (command)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'refstack-review-'));
  const file = join(dir, 'wh.duckdb');
  let ids: Map<string, string>;
  beforeAll(async () => {
    const wh = await DuckDBWarehouse.open({ path: file, threads: 1 });
    try {
      ids = await seed(wh);
    } finally {
      await wh.close();
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const runCli = async (args: string[]) => {
    let out = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
      out += String(s);
      return true;
    });
    try {
      await reviewCommand()
        .exitOverride()
        .parseAsync(['node', 'review', ...args, '--warehouse', file]);
    } finally {
      spy.mockRestore();
    }
    return out;
  };

  it('decides, tells the user to rerun the models, and lists as JSON', async () => {
    const out = await runCli(['decide', ids.get('F')!, 'approve', '--note', 'big, but a real customer', '--by', 'sam']);
    expect(out).toContain(`recorded: approve referral ${ids.get('F')} by sam`);
    expect(out).toContain('refstack run --select reward_ledger+');
    const listed = JSON.parse(await runCli(['list', '--status', 'pending', '--json'])) as { refereeId: string }[];
    // Not yet rebuilt: both are still pending in the queue table.
    expect(listed.map((r) => r.refereeId).sort()).toEqual(['E', 'F']);
  });

  it('refuses an unknown referral with a one-line error', async () => {
    await expect(runCli(['decide', 'R-unknown', 'reject', '--note', 'x'])).rejects.toThrow(
      'review decide: unknown referral id "R-unknown"',
    );
  });
});
