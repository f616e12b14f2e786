import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb.js';
import { duckdbDialect as d } from '../../src/warehouse/duckdb-dialect.js';

let wh: DuckDBWarehouse;
beforeEach(async () => {
  wh = await DuckDBWarehouse.open({ path: ':memory:', threads: 1 });
  await wh.exec('create schema raw; create table raw.t (a varchar, b bigint, c timestamp, d decimal(18,2), e boolean)');
});
afterEach(async () => {
  await wh.close();
});

describe('DuckDB warehouse', () => {
  it('appends a subset of columns in any order, by name', async () => {
    const n = await wh.appendRows(
      'raw',
      't',
      [
        { name: 'd', type: 'decimal' },
        { name: 'a', type: 'string' },
        { name: 'c', type: 'timestamp' },
      ],
      [
        ['12.34', 'x', new Date('2025-03-04T05:06:07Z')],
        [null, 'y', null],
      ],
    );
    expect(n).toBe(2);
    const rows = await wh.query(
      `select a, b, strftime(c, '%Y-%m-%dT%H:%M:%S') as c, cast(d as varchar) as d from raw.t order by a`,
    );
    expect(rows).toEqual([
      { a: 'x', b: null, c: '2025-03-04T05:06:07', d: '12.34' },
      { a: 'y', b: null, c: null, d: null },
    ]);
  });

  it('rejects a value of the wrong type, naming the row and column', async () => {
    await expect(wh.appendRows('raw', 't', [{ name: 'b', type: 'int64' }], [[1], [2.5]])).rejects.toThrow(
      'appendRows row 2: column b expects int64, got "2.5"',
    );
    expect(await wh.query('select count(*) as n from raw.t')).toEqual([{ n: 0 }]);
  });

  it('binds named parameters and keeps big integers exact', async () => {
    await wh.appendRows('raw', 't', [{ name: 'b', type: 'int64' }], [[9_007_199_254_740_993n], [5]]);
    expect(await wh.query('select b from raw.t where b > $min order by b', { min: 4 })).toEqual([
      { b: 5 },
      { b: 9_007_199_254_740_993n },
    ]);
  });

  it('streams results in bounded chunks', async () => {
    const sizes: number[] = [];
    let total = 0;
    for await (const chunk of wh.stream<{ i: number }>('select i from range(5000) t(i)')) {
      sizes.push(chunk.length);
      total += chunk.reduce((s, r) => s + r.i, 0);
    }
    expect(sizes).toEqual([2048, 2048, 904]); // DuckDB's vector size is 2,048 rows
    expect(total).toBe((4999 * 5000) / 2);
  });

  it('bulk-loads a file by column name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'refstack-load-'));
    writeFileSync(join(dir, 'a.csv'), 'b,a\n7,seven\n8,eight\n');
    writeFileSync(join(dir, 'a.ndjson'), '{"a":"nine","e":true}\n');
    expect(await wh.loadFile('raw', 't', join(dir, 'a.csv'), 'csv')).toBe(2);
    expect(await wh.loadFile('raw', 't', join(dir, 'a.ndjson'), 'ndjson')).toBe(1);
    expect(await wh.query('select a, b, e from raw.t order by a')).toEqual([
      { a: 'eight', b: 8, e: null },
      { a: 'nine', b: null, e: true },
      { a: 'seven', b: 7, e: null },
    ]);
    writeFileSync(join(dir, 'bad.csv'), 'zzz\n1\n');
    await expect(wh.loadFile('raw', 't', join(dir, 'bad.csv'), 'csv')).rejects.toThrow(/zzz/);
  });

  it('rolls back a failed transaction', async () => {
    await expect(
      wh.transaction(async () => {
        await wh.exec(`insert into raw.t (a) values ('kept?')`);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await wh.query('select count(*) as n from raw.t')).toEqual([{ n: 0 }]);
    await wh.transaction(() => wh.exec(`insert into raw.t (a) values ('kept')`));
    expect(await wh.query('select a from raw.t')).toEqual([{ a: 'kept' }]);
  });

  it('refuses unsafe identifiers and reports SQL errors with the statement', async () => {
    await expect(wh.appendRows('raw', 't; drop table raw.t', [], [])).rejects.toThrow(
      /table: "t; drop table raw.t" is not a valid identifier/,
    );
    await expect(wh.query('select missing_column from raw.t')).rejects.toMatchObject({
      sql: 'select missing_column from raw.t',
    });
    expect(await wh.tableExists('raw', 't')).toBe(true);
    expect(await wh.tableExists('raw', 'nope')).toBe(false);
  });

  it('opens a file read-only for loaders while refusing writes', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'refstack-wh-')), 'w.duckdb');
    const writer = await DuckDBWarehouse.open({ path });
    await writer.exec('create table x as select 42 as v');
    await writer.close();
    const reader = await DuckDBWarehouse.open({ path, readOnly: true });
    try {
      expect(await reader.query('select v from x')).toEqual([{ v: 42 }]);
      await expect(reader.exec('create table y (a int)')).rejects.toThrow(/read-only/i);
    } finally {
      await reader.close();
    }
  });
});

describe('duckdb dialect', () => {
  it('truncates weeks to Monday and months to the first', async () => {
    // 2025-03-06 is a Thursday; its ISO week starts Monday 2025-03-03.
    const [row] = await wh.query(
      `select cast(${d.dateTrunc('week', "timestamp '2025-03-06 15:00:00'")} as varchar) as w, cast(${d.dateTrunc('month', "date '2025-03-06'")} as varchar) as m, ${d.dateDiff('day', "date '2025-03-01'", "date '2025-03-06'")} as dd`,
    );
    expect(row).toEqual({ w: '2025-03-03', m: '2025-03-01', dd: 5 });
  });

  it('draws deterministic uniforms in [0, 1) with mean near 1/2', async () => {
    const sql = `select min(u) as lo, max(u) as hi, avg(u) as mean from (select ${d.hashUniform(['7', 'i', "'salt'"])} as u from range(100000) t(i))`;
    const [a] = await wh.query<{ lo: number; hi: number; mean: number }>(sql);
    const [b] = await wh.query<{ lo: number; hi: number; mean: number }>(sql);
    expect(a).toEqual(b);
    expect(a!.lo).toBeGreaterThanOrEqual(0);
    expect(a!.hi).toBeLessThan(1);
    // Mean of 100,000 U(0,1) draws: sd = sqrt(1/12 / 1e5) = 0.000913; 5 sd = 0.0046.
    expect(Math.abs(a!.mean - 0.5)).toBeLessThan(0.0046);
  });

  it('counts epoch seconds rounding down, as BigQuery UNIX_SECONDS does', async () => {
    // Hand calculation: Date.UTC(2024, 0, 1) / 1000 = 1704067200, so 00:00:00.6 is 1704067200 and 1969-12-31
    // 23:59:59.5 is -0.5 s, floored to -1 (a bare cast of the double rounds them to 1704067201 and 0).
    const [row] = await wh.query(
      `select ${d.epochSeconds("timestamp '2024-01-01 00:00:00.6'")} as a, ${d.epochSeconds("timestamp '1969-12-31 23:59:59.5'")} as b`,
    );
    expect(row).toEqual({ a: 1704067200, b: -1 });
  });

  it('escapes string literals and quotes identifiers', () => {
    expect(d.stringLiteral("O'Brien")).toBe("'O''Brien'");
    expect(d.tableRef('raw', 'orders')).toBe('"raw"."orders"');
    expect(() => d.quoteIdent('a"b')).toThrow(/not a valid identifier/);
  });
});
