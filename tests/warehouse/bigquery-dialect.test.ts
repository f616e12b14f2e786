import { describe, expect, it } from 'vitest';
import { bigqueryDialect as d } from '../../src/warehouse/bigquery-dialect.js';
import { duckdbDialect } from '../../src/warehouse/duckdb-dialect.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb.js';

describe('the bigquery dialect', () => {
  it('quotes identifiers with backticks and escapes string literals the GoogleSQL way', () => {
    expect(d.tableRef('refstack_raw', 'orders')).toBe('`refstack_raw`.`orders`');
    expect(d.stringLiteral("O'Brien \\ path\nnext")).toBe("'O\\'Brien \\\\ path\\nnext'");
    expect(d.param('program')).toBe('@program');
    expect(() => d.quoteIdent('x`; drop table y')).toThrow();
  });

  it('maps logical types and date functions, weeks starting on Monday', () => {
    expect(
      ['string', 'int64', 'float64', 'bool', 'date', 'timestamp', 'json', 'decimal'].map((t) => d.typeName(t as never)),
    ).toEqual(['string', 'int64', 'float64', 'bool', 'date', 'timestamp', 'json', 'numeric']);
    expect(d.dateTrunc('week', 'ordered_at')).toBe('date_trunc(cast(ordered_at as date), isoweek)');
    expect(d.dateDiff('day', 'a', 'b')).toBe('date_diff(cast(b as date), cast(a as date), day)');
    expect(d.safeDivide('x', 'y')).toBe('safe_divide(x, y)');
    // Months on a TIMESTAMP need DATETIME_ADD (TIMESTAMP_ADD accepts at most DAY); the result is a TIMESTAMP like
    // DuckDB's date + interval.
    expect(d.dateAdd('month', '12', 'first_day')).toBe(
      'timestamp(datetime_add(datetime(first_day), interval (12) month))',
    );
  });

  it('puts QUALIFY after a WHERE, adding `where true` when the query has none', () => {
    expect(d.qualify('rn = 1', false)).toBe('where true qualify rn = 1');
    expect(d.qualify('rn = 1', true)).toBe('qualify rn = 1');
  });

  it('creates tables with partitioning and at most four clustering columns', () => {
    const cols = [
      { name: 'program_id', type: 'string' as const },
      { name: '_loaded_at', type: 'timestamp' as const },
    ];
    expect(
      d.createTableIfNotExists('`raw`.`orders`', cols, { partitionBy: 'date(_loaded_at)', clusterBy: ['program_id'] }),
    ).toBe(
      'create table if not exists `raw`.`orders` (\n  `program_id` string,\n  `_loaded_at` timestamp\n)\npartition by date(_loaded_at)\ncluster by `program_id`',
    );
    expect(() => d.createTableAs('`m`.`t`', 'select 1', { clusterBy: ['a', 'b', 'c', 'd', 'e'] })).toThrow(
      'BigQuery clusters by at most four columns, got 5',
    );
    expect(d.createScratchTableAs('`main`.`_idm_cc`', 'select 1')).toContain(
      'options (expiration_timestamp = timestamp_add(current_timestamp(), interval 1 day))',
    );
  });

  it('extracts only capturing group 1 (BigQuery has no group argument)', () => {
    expect(d.regexpExtract('url', '[?&]ref=([^&#]+)', 1)).toBe("nullif(regexp_extract(url, '[?&]ref=([^&#]+)'), '')");
    expect(() => d.regexpExtract('url', '(a)(b)', 2)).toThrow('only capturing group 1');
  });

  it('builds hash ids as hex MD5 of the same "|"-joined text as DuckDB, so ids agree across engines', async () => {
    // The BigQuery form: to_hex(md5(array_to_string([...], '|'))); DuckDB's: md5(concat_ws('|', ...)). Both hash
    // the text 'C-1|2025' here; DuckDB computes it, and BigQuery's MD5 of the same bytes is the same digest.
    expect(d.hashId(["'C-1'", '2025'])).toBe(
      "to_hex(md5(array_to_string([coalesce(cast('C-1' as string), ''), coalesce(cast(2025 as string), '')], '|')))",
    );
    const wh = await DuckDBWarehouse.open({ path: ':memory:' });
    try {
      const [row] = await wh.query<{ h: string }>(`select ${duckdbDialect.hashId(["'C-1'", '2025'])} as h`);
      // md5('C-1|2025'), computed independently: `printf 'C-1|2025' | md5sum`.
      expect(row?.h).toBe('dc55ff7546c4a707e198d6d7f6b88a14');
    } finally {
      await wh.close();
    }
  });
});
