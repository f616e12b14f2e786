// Tests the paging driver in ingest/cursors.ts (runPagedIngest, parseStoredCursor) with an in-memory fake
// API: three pages linked by tokens, a loop, and a malformed page.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ensureCursorTable,
  getCursor,
  parseStoredCursor,
  runPagedIngest,
  type PagedSource,
} from '../../ingest/cursors.js';
import { LANDING_TABLES } from '../../ingest/landing-schema.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { memoryWarehouse } from '../helpers/landing.js';

let wh: Warehouse;
beforeEach(async () => {
  wh = await memoryWarehouse();
  await ensureCursorTable(wh, 'raw');
});
afterEach(async () => wh.close());

const pageSchema = z.object({ items: z.array(z.object({ id: z.string() })), next: z.string().nullable() });
type Page = z.infer<typeof pageSchema>;

/** A source over literal pages keyed by token ('' = the first). */
function source(pages: Record<string, unknown>, fetched: string[]): PagedSource<Page> {
  return {
    source: 'fake-api:things',
    table: 'customers',
    rawSchema: 'raw',
    loadedAt: new Date('2026-01-01T00:00:00Z'),
    storedCursor: null,
    firstToken: '',
    async fetch(token) {
      fetched.push(token);
      return { data: pages[token], text: JSON.stringify(pages[token]), requestLine: `GET /things after=${token}` };
    },
    pageSchema,
    what: 'a things page',
    plan: (page, f) => ({
      records: page.items,
      unchanged: 0,
      next: page.next,
      cursor: page.next ?? 'done',
      batchId: `batch:${f.text}`,
    }),
    validate: (record, row, pageNumber) => {
      const id = (record as { id: string }).id;
      if (id)
        return {
          ok: true,
          values: LANDING_TABLES.customers.map((c) =>
            c.name === 'customer_id'
              ? id
              : c.name === 'program_id'
                ? 'friends'
                : c.name === 'created_at'
                  ? new Date(0)
                  : null,
          ),
        };
      return {
        ok: false,
        problems: [{ reason: 'missing_value', text: 'field id: missing' }],
        where: `page ${pageNumber} record ${row}`,
        record,
      };
    },
    repeated: (line, token) => `${line}: token ${token} seen twice`,
  };
}

describe('runPagedIngest', () => {
  it('follows the tokens to the end, landing each page with its cursor and tallying the run', async () => {
    const fetched: string[] = [];
    const pages = {
      '': { items: [{ id: 'a' }, { id: 'b' }], next: 't1' },
      t1: { items: [{ id: '' }], next: 't2' },
      t2: { items: [{ id: 'c' }], next: null },
    };
    const report = await runPagedIngest(wh, source(pages, fetched));
    expect(fetched).toEqual(['', 't1', 't2']);
    // 4 records over 3 pages: 3 loaded, 1 quarantined (page 2 record 1 has no id).
    expect(report).toMatchObject({ status: 'loaded', pages: 3, read: 4, loaded: 3, quarantined: 1, cursor: 'done' });
    expect(report.reasons).toEqual({ missing_value: 1 });
    expect(await getCursor(wh, 'raw', 'fake-api:things')).toBe('done');
    expect(await wh.query('select file, read, loaded, quarantined from raw.batches order by file')).toEqual([
      { file: 'GET /things after=', read: 2, loaded: 2, quarantined: 0 },
      { file: 'GET /things after=t1', read: 1, loaded: 0, quarantined: 1 },
      { file: 'GET /things after=t2', read: 1, loaded: 1, quarantined: 0 },
    ]);
  });

  it('stops on a token it has seen before, keeping the pages committed before the loop', async () => {
    const pages = {
      '': { items: [{ id: 'a' }], next: 't1' },
      t1: { items: [{ id: 'b' }], next: 't2' },
      t2: { items: [{ id: 'c' }], next: 't1' },
    };
    await expect(runPagedIngest(wh, source(pages, []))).rejects.toThrow('GET /things after=t2: token t1 seen twice');
    expect(await wh.query('select customer_id from raw.customers order by 1')).toEqual([
      { customer_id: 'a' },
      { customer_id: 'b' },
    ]);
    expect(await getCursor(wh, 'raw', 'fake-api:things')).toBe('t2');
  });

  it('refuses a page without the documented shape, naming the request and the field', async () => {
    await expect(runPagedIngest(wh, source({ '': { items: 'nope', next: null } }, []))).rejects.toThrow(
      'GET /things after=: the response is not a things page: items: Invalid input: expected array, received string',
    );
  });
});

describe('parseStoredCursor', () => {
  const schema = z.object({ v: z.literal(1), at: z.number() }).strict();
  it('parses a cursor this version wrote, and names the source of one it did not', () => {
    expect(parseStoredCursor('{"v":1,"at":5}', schema, 'fake-api:things', 'start over')).toEqual({ v: 1, at: 5 });
    expect(() => parseStoredCursor('{"v":2}', schema, 'fake-api:things', 'start over')).toThrow(
      'raw.source_cursors: the cursor of fake-api:things is not one this version wrote: "{\\"v\\":2}"; delete that row to start over',
    );
  });
});
