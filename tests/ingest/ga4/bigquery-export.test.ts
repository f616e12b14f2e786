import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadGa4FromBigQuery } from '../../../ingest/ga4/bigquery-export.js';
import { parseConfig } from '../../../src/config.js';
import { BigQueryWarehouse } from '../../../src/warehouse/bigquery.js';
import { startFakeBigQuery, type FakeBigQuery, type FakeQueryResult } from '../../helpers/fake-bigquery.js';

beforeAll(() => {
  process.env['METADATA_SERVER_DETECTION'] = 'none';
});

let fake: FakeBigQuery | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const config = parseConfig({
  warehouse: { engine: 'bigquery', projectId: 'acme-analytics', dataset: 'refstack' },
  programs: [{ id: 'raf', name: 'Refer a friend' }],
});

/** A BigQuery that has landed nothing yet: 3 valid events and 1 without user_pseudo_id on each day. */
function script(landed: Set<string>): (sql: string) => FakeQueryResult {
  return (sql) => {
    if (sql === 'begin transaction') return { sessionId: 'sess-ga4' };
    if (sql.includes('from `refstack_raw`.`batches` where batch_id')) {
      return landed.size
        ? {
            fields: ['batch_id', 'source', 'target_table', 'file', 'read', 'loaded', 'quarantined'].map((name) => ({
              name,
              type: ['read', 'loaded', 'quarantined'].includes(name) ? ('INT64' as const) : ('STRING' as const),
            })),
            rows: [['b', 'ga4-bigquery:acme-analytics.analytics_123', 'touches', 'events_20250301', '4', '3', '1']],
          }
        : {};
    }
    if (sql.startsWith('insert into `refstack_raw`.`touches`')) return { dmlAffectedRows: 3 };
    if (sql.startsWith('insert into `refstack_raw`.`quarantine`')) return { dmlAffectedRows: 1 };
    if (sql.startsWith('insert into `refstack_raw`.`batches`')) {
      landed.add('x');
      return { dmlAffectedRows: 1 };
    }
    if (sql === 'select count(*) as n from ga4_day') return { fields: [{ name: 'n', type: 'INT64' }], rows: [['4']] };
    return {};
  };
}

describe('GA4 export read in place on BigQuery', () => {
  it('lands each day in one session transaction from events_* and skips a day already landed', async () => {
    const landed = new Set<string>();
    fake = await startFakeBigQuery(script(landed));
    const wh = await BigQueryWarehouse.open({ projectId: 'acme-analytics', apiEndpoint: fake.url, accessToken: 't' });
    const first = await loadGa4FromBigQuery(wh, {
      config,
      exportDataset: 'acme-analytics.analytics_123',
      from: '2025-03-01',
      to: '2025-03-01',
      now: new Date('2025-03-02T06:00:00Z'),
    });
    expect(first).toMatchObject([{ day: '2025-03-01', status: 'loaded', read: 4, loaded: 3, quarantined: 1 }]);
    const sqls = fake.jobs.map((j) => (j.configuration['query'] as { query: string }).query);
    const create = sqls.find((s) => s.startsWith('create temp table ga4_day'))!;
    expect(create).toContain('from `acme-analytics.analytics_123.events_*`');
    expect(create).toContain("where _table_suffix = @day and event_name in unnest(['session_start'])");
    // A repeated (user_pseudo_id, event_timestamp, event_name) in a day is quarantined as duplicate_key, as in the
    // NDJSON path; the quarantine insert takes each row's reason code.
    expect(create).toContain("then 'duplicate_key'");
    const quarantine = sqls.find((q) => q.startsWith('insert into `refstack_raw`.`quarantine`'))!;
    expect(quarantine).toContain("'touches', reason_code, concat(");
    const createJob = fake.jobs.find((j) => (j.configuration['query'] as { query: string }).query === create)!;
    expect((createJob.configuration['query'] as { queryParameters: unknown[] }).queryParameters).toEqual([
      { name: 'day', parameterType: { type: 'STRING' }, parameterValue: { value: '20250301' } },
      { name: 'program', parameterType: { type: 'STRING' }, parameterValue: { value: 'raf' } },
    ]);
    // Everything from the temp table to the batch row ran inside the session, then committed.
    const inSession = fake.jobs
      .filter((j) => (j.configuration['query'] as { connectionProperties?: unknown[] }).connectionProperties)
      .map((j) => (j.configuration['query'] as { query: string }).query.split('\n')[0]!.slice(0, 45));
    expect(inSession).toEqual([
      'create temp table ga4_day as select',
      'insert into `refstack_raw`.`touches` (`touch_',
      'insert into `refstack_raw`.`quarantine` (_sou',
      'select count(*) as n from ga4_day',
      'insert into `refstack_raw`.`batches` (source,',
      'drop table ga4_day',
      'commit transaction',
    ]);

    const jobsBefore = fake.jobs.length;
    const again = await loadGa4FromBigQuery(wh, {
      config,
      exportDataset: 'acme-analytics.analytics_123',
      from: '2025-03-01',
      to: '2025-03-01',
    });
    expect(again).toMatchObject([{ day: '2025-03-01', status: 'already_loaded', read: 4, loaded: 3, quarantined: 1 }]);
    expect(fake.jobs.length - jobsBefore).toBe(1); // only the batch lookup
  });

  it('rolls the day back when the accounting does not add up', async () => {
    fake = await startFakeBigQuery((sql) => {
      if (sql === 'begin transaction') return { sessionId: 's' };
      if (sql.startsWith('insert into `refstack_raw`.`touches`')) return { dmlAffectedRows: 2 };
      if (sql === 'select count(*) as n from ga4_day') return { fields: [{ name: 'n', type: 'INT64' }], rows: [['4']] };
      return {};
    });
    const wh = await BigQueryWarehouse.open({ projectId: 'acme-analytics', apiEndpoint: fake.url, accessToken: 't' });
    await expect(
      loadGa4FromBigQuery(wh, {
        config,
        exportDataset: 'acme-analytics.analytics_123',
        from: '2025-03-01',
        to: '2025-03-01',
      }),
    ).rejects.toThrow('read 4, loaded 2, quarantined 0; nothing was committed');
    const last = fake.jobs.at(-1)!.configuration['query'] as { query: string };
    expect(last.query).toBe('rollback transaction');
  });
});
