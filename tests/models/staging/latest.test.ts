import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { latestPerKey, latestRowsSql } from '../../../models/staging/latest.js';
import { ensureLandingSchema } from '../../../ingest/landing-schema.js';
import type { Warehouse } from '../../../src/warehouse/warehouse.js';
import { land, memoryWarehouse } from '../../helpers/landing.js';

let wh: Warehouse;
beforeEach(async () => {
  wh = await memoryWarehouse();
  await ensureLandingSchema(wh, 'raw');
});
afterEach(async () => {
  await wh.close();
});

const rowsOf = (sql: string) =>
  wh.query<{ touch_id: string | null; touch_type: string }>(
    `select touch_id, touch_type from (${sql}) x order by touch_id nulls last, touch_type`,
  );

describe('latestRowsSql', () => {
  it('keeps the latest version of a re-landed key, a key landed once, and one row for NULL keys', async () => {
    await land(wh, 'touches', [
      { touch_id: 'T1', touch_type: 'click', occurred_at: '2025-01-01' },
      { touch_id: 'T2', touch_type: 'view', occurred_at: '2025-01-01' },
      { touch_id: null, touch_type: 'visit', occurred_at: '2025-01-01' },
    ]);
    // A later batch re-lands T1 (the later _loaded_at wins) and adds a second NULL-key row (later batch wins).
    await land(
      wh,
      'touches',
      [
        { touch_id: 'T1', touch_type: 'view', occurred_at: '2025-01-01', _loaded_at: '2026-02-01' },
        { touch_id: null, touch_type: 'click', occurred_at: '2025-01-01', _loaded_at: '2026-02-01' },
      ],
      'batch-2',
    );
    const table = wh.dialect.tableRef('raw', 'touches');
    const expected = [
      { touch_id: 'T1', touch_type: 'view' },
      { touch_id: 'T2', touch_type: 'view' },
      { touch_id: null, touch_type: 'click' },
    ];
    expect(await rowsOf(latestRowsSql(wh.dialect, table, 'touch_id'))).toEqual(expected);
    expect(await rowsOf(`select * from ${table} ${latestPerKey(wh.dialect, 'touch_id')}`)).toEqual(expected);
  });

  it('keeps a single NULL-key row', async () => {
    await land(wh, 'touches', [{ touch_id: null, touch_type: 'click', occurred_at: '2025-01-01' }]);
    const table = wh.dialect.tableRef('raw', 'touches');
    expect(await rowsOf(latestRowsSql(wh.dialect, table, 'touch_id'))).toEqual([
      { touch_id: null, touch_type: 'click' },
    ]);
  });
});
