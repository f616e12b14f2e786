// Tests ingest/cursors.ts (shared by the HubSpot and Stripe sources); it sits here because tests/ingest/ root
// is outside this paths. Move to tests/ingest/cursors.test.ts when convenient.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ensureCursorTable,
  formatApiLoadReport,
  getCursor,
  landPageWithCursor,
  setCursor,
  type ApiPage,
} from '../../../ingest/cursors.js';
import { LANDING_TABLES } from '../../../ingest/landing-schema.js';
import type { Warehouse } from '../../../src/warehouse/warehouse.js';
import { memoryWarehouse } from '../../helpers/landing.js';

let wh: Warehouse;
beforeEach(async () => {
  wh = await memoryWarehouse();
  await ensureCursorTable(wh, 'raw');
});
afterEach(async () => wh.close());

const customer = (id: string) =>
  LANDING_TABLES.customers.map((c) =>
    c.name === 'customer_id' ? id : c.name === 'program_id' ? 'friends' : c.name === 'created_at' ? new Date(0) : null,
  );

function page(overrides: Partial<ApiPage> = {}): ApiPage {
  return {
    source: 'test-api:things',
    table: 'customers',
    batchId: 'b1',
    loadedAt: new Date('2026-01-01T00:00:00Z'),
    requestLine: 'GET /things',
    records: [{ id: 'a' }, { id: 'b' }, { id: '' }],
    validate: (r) => {
      const id = (r as { id: string }).id;
      return id
        ? { ok: true, values: customer(id) }
        : {
            ok: false,
            problems: [{ reason: 'missing_value', text: 'field id: missing' }],
            where: 'page 1 record 3',
            record: r,
          };
    },
    cursor: 'after-page-1',
    ...overrides,
  };
}

const count = async (table: string) =>
  Number((await wh.query<{ n: number }>(`select count(*) as n from raw.${table}`))[0]!.n);

describe('source cursors', () => {
  it('stores one cursor per source, replacing the previous one', async () => {
    expect(await getCursor(wh, 'raw', 'x')).toBeNull();
    await setCursor(wh, 'raw', 'x', 'one', new Date('2026-01-01T00:00:00Z'));
    await setCursor(wh, 'raw', 'x', 'two', new Date('2026-01-02T00:00:00Z'));
    await setCursor(wh, 'raw', 'y', 'other', new Date('2026-01-02T00:00:00Z'));
    expect(await getCursor(wh, 'raw', 'x')).toBe('two');
    expect(await count('source_cursors')).toBe(2);
  });

  it('lands a page, its quarantine, its batch row and the cursor together', async () => {
    const outcome = await landPageWithCursor(wh, 'raw', page());
    expect(outcome.status).toBe('loaded');
    expect(outcome.batch).toMatchObject({ read: 3, loaded: 2, quarantined: 1, file: 'GET /things' });
    expect(outcome.reasons).toEqual({ missing_value: 1 });
    expect([await count('customers'), await count('quarantine'), await count('batches')]).toEqual([2, 1, 1]);
    expect((await wh.query(`select message from raw.quarantine`))[0]).toEqual({
      message: 'page 1 record 3: field id: missing',
    });
    expect(await getCursor(wh, 'raw', 'test-api:things')).toBe('after-page-1');

    // The same batch id again lands nothing but still moves the cursor.
    const again = await landPageWithCursor(wh, 'raw', page({ cursor: 'after-page-1-again' }));
    expect(again.status).toBe('already_loaded');
    expect([await count('customers'), await count('batches')]).toEqual([2, 1]);
    expect(await getCursor(wh, 'raw', 'test-api:things')).toBe('after-page-1-again');
  });

  it('rolls back the rows and keeps the old cursor when landing a page fails', async () => {
    await setCursor(wh, 'raw', 'test-api:things', 'before', new Date('2026-01-01T00:00:00Z'));
    const failing = page({
      validate: (r, row) => {
        if (row === 3) throw new Error('boom on record 3');
        return { ok: true, values: customer((r as { id: string }).id) };
      },
    });
    await expect(landPageWithCursor(wh, 'raw', failing)).rejects.toThrow('boom on record 3');
    expect([await count('customers'), await count('quarantine'), await count('batches')]).toEqual([0, 0, 0]);
    expect(await getCursor(wh, 'raw', 'test-api:things')).toBe('before');
  });

  it('only moves the cursor for a page with nothing to land', async () => {
    const outcome = await landPageWithCursor(wh, 'raw', page({ records: [], cursor: 'c2' }));
    expect(outcome.status).toBe('empty');
    expect(await count('batches')).toBe(0);
    expect(await getCursor(wh, 'raw', 'test-api:things')).toBe('c2');
  });

  it('formats a run report on one line', () => {
    const base = { source: 'hubspot-api:contacts', table: 'customers' as const, batchIds: [], cursor: '' };
    expect(
      formatApiLoadReport({
        ...base,
        status: 'loaded',
        pages: 3,
        read: 8,
        loaded: 7,
        quarantined: 1,
        reasons: { invalid_timestamp: 1 },
        unchanged: 0,
      }),
    ).toBe(
      'hubspot-api:contacts -> customers: 3 pages, 8 read, 7 loaded, 1 quarantined (invalid_timestamp 1), 0 unchanged',
    );
    expect(
      formatApiLoadReport({
        ...base,
        status: 'up_to_date',
        pages: 3,
        read: 0,
        loaded: 0,
        quarantined: 0,
        reasons: {},
        unchanged: 8,
      }),
    ).toBe('hubspot-api:contacts -> customers: up to date (3 pages, 8 unchanged)');
  });
});
