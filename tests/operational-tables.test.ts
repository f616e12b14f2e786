import { describe, expect, it } from 'vitest';
import { appendAudit, defaultActor, ensureOperationalTables } from '../src/operational-tables.js';
import { memoryWarehouse } from './helpers/landing.js';

describe('operational tables', () => {
  it('are created idempotently and the audit log keeps who, what, why and details', async () => {
    const wh = await memoryWarehouse();
    try {
      await ensureOperationalTables(wh, 'main');
      await ensureOperationalTables(wh, 'main');
      const id = await appendAudit(wh, 'main', {
        actor: 'ana',
        action: 'review.decide',
        subjectType: 'referral',
        subjectId: 'r-1',
        reason: 'same card as advocate',
        details: { decision: 'reject' },
        recordedAt: new Date('2026-01-02T03:04:05Z'),
      });
      const rows = await wh.query(
        `select audit_id, actor, action, subject_type, subject_id, reason, details::varchar as details,
                recorded_at::varchar as recorded_at from main.refstack_audit_log`,
      );
      expect(rows).toEqual([
        {
          audit_id: id,
          actor: 'ana',
          action: 'review.decide',
          subject_type: 'referral',
          subject_id: 'r-1',
          reason: 'same card as advocate',
          details: '{"decision":"reject"}',
          recorded_at: '2026-01-02 03:04:05',
        },
      ]);
      const tables = await wh.query<{ n: number }>(
        `select count(*)::int as n from information_schema.tables where table_name in ('review_decisions', 'reward_rule_versions')`,
      );
      expect(tables[0]?.n).toBe(2);
    } finally {
      await wh.close();
    }
  });

  it('creates the log when missing, and appends inside a transaction without DDL once it exists', async () => {
    // BigQuery refuses DDL on permanent tables inside a multi-statement transaction, where review decide and
    // experiment promote call appendAudit (after ensuring the tables).
    const wh = await memoryWarehouse();
    try {
      const entry = { actor: 'ana', action: 'review.decide', subjectType: 'referral', subjectId: 'r-1' };
      await appendAudit(wh, 'main', entry);
      const sent: string[] = [];
      const exec = wh.exec.bind(wh);
      wh.exec = async (sql: string) => {
        sent.push(sql);
        return exec(sql);
      };
      await wh.transaction(() => appendAudit(wh, 'main', entry));
      // Temporary tables (DuckDB's appender staging) are allowed in a BigQuery transaction; permanent DDL is not.
      expect(sent.filter((sql) => /^\s*create\s+(?!temp)/i.test(sql))).toEqual([]);
      const [row] = await wh.query<{ n: number }>('select count(*)::int as n from main.refstack_audit_log');
      expect(row?.n).toBe(2);
    } finally {
      await wh.close();
    }
  });

  it('defaultActor prefers REFSTACK_ACTOR, then the OS user', () => {
    expect(defaultActor({ REFSTACK_ACTOR: ' finance-bot ', USER: 'x' })).toBe('finance-bot');
    expect(defaultActor({ USER: 'sam' })).toBe('sam');
    expect(defaultActor({})).toBe('unknown');
  });
});
