import { afterEach, describe, expect, it } from 'vitest';
import { ensureLandingSchema } from '../../ingest/landing-schema.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';

/** The batch table exactly as releases before `raw.batches` created it. */
const LEGACY_DDL = `create table raw.load_batches (batch_id varchar not null, source varchar not null,
  target_table varchar not null, file_name varchar, rows_read bigint not null, rows_loaded bigint not null,
  rows_quarantined bigint not null, loaded_at timestamp not null)`;

describe('ensureLandingSchema: raw.batches and the legacy raw.load_batches', () => {
  let wh: Warehouse;
  afterEach(async () => wh?.close());

  it('creates raw.batches with the documented columns', async () => {
    wh = await DuckDBWarehouse.open({ path: ':memory:', threads: 1 });
    await ensureLandingSchema(wh);
    const cols = await wh.query<{ column_name: string }>(
      `select column_name from information_schema.columns where table_schema = 'raw' and table_name = 'batches' order by ordinal_position`,
    );
    expect(cols.map((c) => c.column_name)).toEqual([
      'source',
      'batch_id',
      'target_table',
      'file',
      'read',
      'loaded',
      'quarantined',
      'started_at',
      'finished_at',
    ]);
    expect(await wh.tableExists('raw', 'load_batches')).toBe(false);
  });

  it('copies an old warehouse’s raw.load_batches rows into raw.batches exactly once and drops the old table', async () => {
    wh = await DuckDBWarehouse.open({ path: ':memory:', threads: 1 });
    await wh.exec('create schema raw');
    await wh.exec(LEGACY_DDL);
    await wh.exec(`insert into raw.load_batches values
      ('b1', 'canonical-csv:orders.csv', 'orders', '/data/orders.csv', 5, 3, 2, '2025-06-01 10:00:00'),
      ('b2', 'hubspot-api:contacts', 'customers', 'GET /crm/v3/objects/contacts', 100, 100, 0, '2025-06-02 00:00:00')`);

    await ensureLandingSchema(wh);
    await ensureLandingSchema(wh); // the second call finds nothing left to migrate

    expect(await wh.tableExists('raw', 'load_batches')).toBe(false);
    const rows = await wh.query(
      `select source, batch_id, target_table, file, read, loaded, quarantined,
        cast(started_at as varchar) as started_at, cast(finished_at as varchar) as finished_at
       from raw.batches order by batch_id`,
    );
    expect(rows).toEqual([
      {
        source: 'canonical-csv:orders.csv',
        batch_id: 'b1',
        target_table: 'orders',
        file: '/data/orders.csv',
        read: 5,
        loaded: 3,
        quarantined: 2,
        started_at: '2025-06-01 10:00:00',
        finished_at: '2025-06-01 10:00:00',
      },
      {
        source: 'hubspot-api:contacts',
        batch_id: 'b2',
        target_table: 'customers',
        file: 'GET /crm/v3/objects/contacts',
        read: 100,
        loaded: 100,
        quarantined: 0,
        started_at: '2025-06-02 00:00:00',
        finished_at: '2025-06-02 00:00:00',
      },
    ]);
  });

  it('skips legacy rows whose batch id raw.batches already holds (an interrupted earlier migration)', async () => {
    wh = await DuckDBWarehouse.open({ path: ':memory:', threads: 1 });
    await ensureLandingSchema(wh);
    await wh.exec(`insert into raw.batches values
      ('canonical-csv:orders.csv', 'b1', 'orders', '/data/orders.csv', 5, 3, 2, '2025-06-01 10:00:00', '2025-06-01 10:00:05')`);
    await wh.exec(LEGACY_DDL);
    await wh.exec(`insert into raw.load_batches values
      ('b1', 'canonical-csv:orders.csv', 'orders', '/data/orders.csv', 5, 3, 2, '2025-06-01 10:00:00')`);

    await ensureLandingSchema(wh);

    expect(await wh.query('select batch_id, count(*) as n from raw.batches group by batch_id')).toEqual([
      { batch_id: 'b1', n: 1 },
    ]);
    expect(await wh.tableExists('raw', 'load_batches')).toBe(false);
  });
});
