/** martStatus on a real in-memory DuckDB: missing, incomplete (names the missing columns), empty and ready. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { martStatus } from '../../src/site/mart.js';
import { pseudonym, personLabeller } from '../../src/site/pseudonym.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb.js';

describe('martStatus', () => {
  let wh: DuckDBWarehouse;
  beforeEach(async () => {
    wh = await DuckDBWarehouse.open({ path: ':memory:' });
  });
  afterEach(async () => {
    await wh.close();
  });

  it('tells missing, incomplete, empty and ready apart', async () => {
    expect(await martStatus(wh, 'main', 't', ['a', 'b'])).toEqual({
      table: 't',
      state: 'missing',
      missingColumns: [],
      rows: 0,
    });
    await wh.exec('create table main.t (a integer, c integer)');
    expect(await martStatus(wh, 'main', 't', ['a', 'b', 'precision'])).toMatchObject({
      state: 'incomplete',
      missingColumns: ['b', 'precision'],
    });
    expect(await martStatus(wh, 'main', 't', ['a'])).toMatchObject({ state: 'empty', rows: 0 });
    await wh.exec('insert into main.t values (1, 2), (3, 4)');
    expect(await martStatus(wh, 'main', 't', ['a', 'c'])).toMatchObject({ state: 'ready', rows: 2 });
  });

  it('refuses a schema that is not an identifier', async () => {
    await expect(martStatus(wh, 'main; drop', 't', [])).rejects.toThrow(/REFSTACK_SCHEMA/);
  });
});

describe('pseudonym', () => {
  it('is sha256(salt NUL id), first 8 hex digits, with a prefix; PII allowed passes ids through', () => {
    // Hand check: printf 'refstack-site\0C0007221' | sha256sum | cut -c1-8
    const p = pseudonym('C0007221', 'adv', 'refstack-site');
    expect(p).toBe('adv_103157f9');
    expect(pseudonym('C0007221', 'adv', 'refstack-site')).toBe(p);
    expect(pseudonym('C0007221', 'adv', 'other-salt')).not.toBe(p);
    expect(pseudonym(null, 'adv', 'x')).toBeNull();
    expect(personLabeller({})('C0007221')).toBe(p);
    expect(personLabeller({ REFSTACK_SITE_ALLOW_PII: '1' })('C0007221')).toBe('C0007221');
  });
});
