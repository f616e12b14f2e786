import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BigQueryWarehouse } from '../../src/warehouse/bigquery.js';
import { startFakeBigQuery, type FakeBigQuery, type FakeQueryResult } from '../helpers/fake-bigquery.js';

const TOKEN = 'fake-token-for-tests';

beforeAll(() => {
  // Never look for a GCE metadata server (it would be a network call off the loopback).
  process.env['METADATA_SERVER_DETECTION'] = 'none';
});

let fake: FakeBigQuery | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function open(onQuery: (sql: string) => FakeQueryResult, extra: Record<string, unknown> = {}) {
  fake = await startFakeBigQuery(onQuery);
  const wh = await BigQueryWarehouse.open({
    projectId: 'refstack-test',
    location: 'EU',
    maximumBytesBilled: 1_000_000_000,
    labels: { app: 'refstack' },
    apiEndpoint: fake.url,
    accessToken: TOKEN,
    pageSize: 2,
    ...extra,
  });
  return { wh, fake };
}

describe('BigQueryWarehouse against a loopback fake of the REST API', () => {
  it('sends a parameterised query job with location, labels and the bytes-billed guard, polls, and pages', async () => {
    const { wh, fake } = await open(() => ({
      fields: [
        { name: 'customer_id', type: 'STRING' },
        { name: 'orders', type: 'INT64' },
        { name: 'first_at', type: 'TIMESTAMP' },
      ],
      rows: [
        ['C-1', '3', '1735689600000000'],
        ['C-2', '9007199254740993', '1735776000500000'],
        ['C-3', null, null],
      ],
      pendingPolls: 2,
    }));
    const rows = await wh.query(
      'select customer_id, orders, first_at from `raw`.`orders` where program_id = @program and n > @n',
      { program: 'raf', n: 2 },
    );
    // REST values -> the Warehouse contract: safe integers as numbers, beyond 2^53 as bigint, TIMESTAMP as Date.
    expect(rows).toEqual([
      { customer_id: 'C-1', orders: 3, first_at: new Date('2025-01-01T00:00:00Z') },
      { customer_id: 'C-2', orders: 9007199254740993n, first_at: new Date('2025-01-02T00:00:00.500Z') },
      { customer_id: 'C-3', orders: null, first_at: null },
    ]);
    const insert = fake.requests.find((r) => r.method === 'POST' && r.path.endsWith('/jobs'))!;
    expect(insert.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    const config = JSON.parse(insert.body).configuration;
    expect(config.query).toMatchObject({
      query: 'select customer_id, orders, first_at from `raw`.`orders` where program_id = @program and n > @n',
      useLegacySql: false,
      maximumBytesBilled: '1000000000',
      // The Node client sends the mode in lower case; the API accepts either.
      parameterMode: 'named',
    });
    expect(config.labels).toEqual({ app: 'refstack' });
    expect(JSON.parse(insert.body).jobReference.location).toBe('EU');
    expect(config.query.queryParameters).toEqual([
      { name: 'program', parameterType: { type: 'STRING' }, parameterValue: { value: 'raf' } },
      { name: 'n', parameterType: { type: 'INT64' }, parameterValue: { value: 2 } },
    ]);
    // Two "jobComplete: false" polls, then pages of two rows: page tokens 2 and none.
    const results = fake.requests.filter((r) => r.path.includes('/queries/'));
    expect(results.map((r) => r.query['pageToken'] ?? '')).toContain('2');
    expect(fake.jobs[0]!.polls).toBe(2);
    expect(fake.server.overrun).toBe(false);
  });

  it('streams a large result page by page', async () => {
    const { wh } = await open(() => ({
      fields: [{ name: 'i', type: 'INT64' }],
      rows: Array.from({ length: 5 }, (_, i) => [String(i)]),
    }));
    const chunks: number[][] = [];
    for await (const chunk of wh.stream<{ i: number }>('select i from t')) chunks.push(chunk.map((r) => r.i));
    expect(chunks).toEqual([[0, 1], [2, 3], [4]]);
  });

  it('surfaces a failed job with its id and BigQuery message', async () => {
    const { wh, fake } = await open(() => ({
      error: { reason: 'invalidQuery', message: 'Unrecognized name: custmer_id at [1:8]', location: 'query' },
    }));
    const err = await wh.query('select custmer_id from `raw`.`customers`').catch((e: unknown) => e as Error);
    expect((err as Error).message).toBe(
      `BigQuery job ${fake.jobs[0]!.jobId} failed: Unrecognized name: custmer_id at [1:8]`,
    );
  });

  it('reports DML affected rows and dry-run bytes', async () => {
    const { wh, fake } = await open((sql) =>
      sql.startsWith('delete') ? { dmlAffectedRows: 7 } : { totalBytesProcessed: 123456789 },
    );
    expect(await wh.execute('delete from `main`.`x` where true')).toBe(7);
    expect(await wh.dryRunBytes('select * from `main`.`x`')).toEqual({ totalBytesProcessed: 123456789 });
    const dry = fake.jobs.find((j) => j.configuration['dryRun']);
    expect(dry).toBeDefined();
  });

  it('loads a local NDJSON file with a load job appending to the table', async () => {
    const { wh, fake } = await open(() => ({}));
    const dir = mkdtempSync(join(tmpdir(), 'bq-load-'));
    try {
      const file = join(dir, 'orders.ndjson');
      writeFileSync(file, '{"order_id":"O-1"}\n{"order_id":"O-2"}\n');
      expect(await wh.loadFile('raw', 'orders', file, 'ndjson')).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const load = fake.jobs.find((j) => j.kind === 'load')!;
    expect(load.configuration['load']).toMatchObject({
      sourceFormat: 'NEWLINE_DELIMITED_JSON',
      writeDisposition: 'WRITE_APPEND',
      destinationTable: { projectId: 'refstack-test', datasetId: 'raw', tableId: 'orders' },
    });
    expect(load.upload).toBe('{"order_id":"O-1"}\n{"order_id":"O-2"}\n');
  });

  it('appendRows writes typed NDJSON (timestamps ISO, bigints as text, JSON parsed) and loads it', async () => {
    const { wh, fake } = await open(() => ({}));
    const n = await wh.appendRows(
      'raw',
      'quarantine',
      [
        { name: 'id', type: 'string' },
        { name: 'n', type: 'int64' },
        { name: 'at', type: 'timestamp' },
        { name: 'record', type: 'json' },
      ],
      [['a', 12345678901234567890n, new Date('2025-01-02T03:04:05Z'), '{"x":1}']],
    );
    expect(n).toBe(1);
    expect(fake.jobs[0]!.upload?.trim()).toBe(
      '{"id":"a","n":"12345678901234567890","at":"2025-01-02T03:04:05.000Z","record":{"x":1}}',
    );
  });

  it('runs a transaction in a session: begin with createSession, statements carry the session id, commit', async () => {
    const { wh, fake } = await open((sql) => (sql === 'begin transaction' ? { sessionId: 'sess-1' } : {}));
    await wh.transaction(async () => {
      await wh.exec('delete from `raw`.`orders` where true');
      await wh.appendRows('raw', 'orders', [{ name: 'order_id', type: 'string' }], [['O-9']]);
    });
    const sent = fake.jobs.map((j) => ({
      sql: (j.configuration['query'] as { query: string }).query,
      session: (j.configuration['query'] as { connectionProperties?: { value: string }[] }).connectionProperties?.[0]
        ?.value,
      create: (j.configuration['query'] as { createSession?: boolean }).createSession,
    }));
    expect(sent).toEqual([
      { sql: 'begin transaction', session: undefined, create: true },
      { sql: 'delete from `raw`.`orders` where true', session: 'sess-1', create: undefined },
      {
        sql: 'insert into `raw`.`orders` (`order_id`) values (cast(@p0_0 as string))',
        session: 'sess-1',
        create: undefined,
      },
      { sql: 'commit transaction', session: 'sess-1', create: undefined },
    ]);
  });

  it('rolls back when the transaction body throws', async () => {
    const { wh, fake } = await open((sql) => (sql === 'begin transaction' ? { sessionId: 'sess-2' } : {}));
    await expect(
      wh.transaction(async () => {
        await wh.exec('delete from `raw`.`orders` where true');
        throw new Error('validation failed');
      }),
    ).rejects.toThrow('validation failed');
    expect(fake.jobs.map((j) => (j.configuration['query'] as { query: string }).query).at(-1)).toBe(
      'rollback transaction',
    );
  });

  it('tableExists asks tables.get', async () => {
    const { wh, fake } = await open(() => ({}));
    fake.tables.add('main.reward_ledger');
    expect(await wh.tableExists('main', 'reward_ledger')).toBe(true);
    expect(await wh.tableExists('main', 'nope')).toBe(false);
  });
});

describe('a dry-run BigQueryWarehouse', () => {
  it('prices every statement and runs none: queries answer no rows, appends and loads send nothing', async () => {
    fake = await startFakeBigQuery(() => ({
      totalBytesProcessed: 1000,
      fields: [{ name: 'n', type: 'INT64' }],
      rows: [['5']],
    }));
    const wh = await BigQueryWarehouse.open({
      projectId: 'refstack-test',
      apiEndpoint: fake.url,
      accessToken: TOKEN,
      dryRun: true,
    });
    expect(await wh.query('select count(*) as n from `raw`.`orders`')).toEqual([]);
    expect(await wh.execute('delete from `raw`.`orders` where true')).toBe(0);
    await wh.exec('create table `main`.`x` as select 1 as a');
    expect(await wh.appendRows('raw', 'orders', [{ name: 'order_id', type: 'string' }], [['O-1'], ['O-2']])).toBe(2);
    await wh.transaction(async () => wh.exec('delete from `raw`.`orders` where true'));
    // Four statements, each sent as a dry-run job; no load upload, no session.
    expect(fake.jobs.map((j) => j.configuration['dryRun'])).toEqual([true, true, true, true]);
    expect(fake.requests.some((r) => r.path.startsWith('/upload/'))).toBe(false);
  });
});
