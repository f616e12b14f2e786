import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BatchWriter, ChunkedAppender, fileBatchId, findBatch } from '../../ingest/batch.js';
import { ensureLandingSchema, landingColumns } from '../../ingest/landing-schema.js';
import type { Lineage } from '../../ingest/quarantine.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb.js';

describe('fileBatchId', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'refstack-batch-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is sha256(table, NUL, file bytes)', async () => {
    const file = join(dir, 'x.csv');
    writeFileSync(file, 'order_id\nO-1\n');
    // python3 -c "import hashlib; print(hashlib.sha256(b'orders\x00order_id\nO-1\n').hexdigest())"
    expect(await fileBatchId('orders', file)).toBe('b362febaba6a7a918fb283a000cc1b2179035c2d5b09073558b8d6af3db5eff4');
    // Same bytes, another table: another batch (b'customers\x00order_id\nO-1\n').
    expect(await fileBatchId('customers', file)).toBe(
      '69b29c36dd98566a5397688129453ceace995dcbe3a7bd076c906299967801a2',
    );
  });
});

describe('batch accounting', () => {
  let wh: DuckDBWarehouse;
  const lineage: Lineage = { source: 'test:customers', batchId: 'b-1', loadedAt: new Date('2025-06-01T00:00:00Z') };
  const row = (id: string, n: number) => [
    id,
    'default',
    null,
    null,
    new Date('2025-01-01T00:00:00Z'),
    null,
    null,
    null,
    null,
    null,
    null,
    lineage.source,
    lineage.batchId,
    n,
    lineage.loadedAt,
  ];
  beforeEach(async () => {
    wh = await DuckDBWarehouse.open({ path: ':memory:' });
    await ensureLandingSchema(wh);
  });
  afterEach(async () => {
    await wh.close();
  });

  it('appends in chunks of the given size', async () => {
    const append = vi.spyOn(wh, 'appendRows');
    const appender = new ChunkedAppender(wh, 'raw', 'customers', landingColumns('customers'), 2);
    for (let i = 1; i <= 5; i++) await appender.push(row(`C-${i}`, i));
    // 5 rows in chunks of 2: two appends while pushing, the last row waits for flush.
    expect(append.mock.calls.map((c) => (c[3] as unknown[]).length)).toEqual([2, 2]);
    await appender.flush();
    expect(append.mock.calls.map((c) => (c[3] as unknown[]).length)).toEqual([2, 2, 1]);
    expect(appender.appended).toBe(5);
  });

  it('records read = loaded + quarantined', async () => {
    const writer = new BatchWriter(wh, 'raw', 'customers', landingColumns('customers'), lineage);
    await writer.load(row('C-1', 1));
    await writer.reject(2, 'f.csv row 2', [{ reason: 'missing_value', text: 'column created_at: missing value' }], {
      customer_id: 'C-2',
    });
    await writer.load(row('C-3', 3));
    const record = await writer.finish('f.csv');
    expect(record).toMatchObject({ read: 3, loaded: 2, quarantined: 1 });
    expect(writer.reasons).toEqual({ missing_value: 1 });
    expect(await findBatch(wh, 'raw', 'b-1')).toEqual(record);
    expect(await findBatch(wh, 'raw', 'b-2')).toBeNull();
    expect(
      await wh.query(`select _row_number, reason_code, message, cast(record as varchar) as record from raw.quarantine`),
    ).toEqual([
      {
        _row_number: 2,
        reason_code: 'missing_value',
        message: 'f.csv row 2: column created_at: missing value',
        record: '{"customer_id":"C-2"}',
      },
    ]);
  });

  it('refuses to record a batch whose counts do not add up, and rolls back', async () => {
    // A warehouse that silently drops a row: the appender reports one row fewer than it was given.
    const original = wh.appendRows.bind(wh);
    vi.spyOn(wh, 'appendRows').mockImplementation(async (schema, table, columns, rows) => {
      const n = await original(schema, table, columns, rows);
      return table === 'customers' ? n - 1 : n;
    });
    const writer = new BatchWriter(wh, 'raw', 'customers', landingColumns('customers'), lineage);
    await expect(
      wh.transaction(async () => {
        await writer.load(row('C-1', 1));
        await writer.load(row('C-2', 2));
        return writer.finish('f.csv');
      }),
    ).rejects.toThrow(
      'test:customers: batch accounting does not add up: read 2, loaded 1, quarantined 0 (reasons counted 0); nothing was committed',
    );
    expect(await wh.query('select count(*) as n from raw.customers')).toEqual([{ n: 0 }]);
    expect(await wh.query('select count(*) as n from raw.batches')).toEqual([{ n: 0 }]);
  });
});
