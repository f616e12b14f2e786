import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailDomainSql, ipRangeSql, jsonObjectSql } from '../../../../models/marts/fraud/evidence-sql.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { memoryWarehouse } from '../../../helpers/landing.js';

let wh: Warehouse;
beforeAll(async () => {
  wh = await memoryWarehouse();
});
afterAll(async () => {
  await wh.close();
});

describe('jsonObjectSql', () => {
  it('writes valid JSON with escaped strings, numbers, booleans and nulls', async () => {
    const d = wh.dialect;
    const nasty = d.stringLiteral('a "quoted" \\ back\nslash');
    const sql = `select ${jsonObjectSql(d, {
      s: { str: nasty },
      n: { num: '42' },
      f: { num: '0.25' },
      b: { bool: '1 = 2' },
      missing: { str: 'null' },
      no_number: { num: 'null' },
    })} as j`;
    const [row] = await wh.query<{ j: string }>(sql);
    expect(JSON.parse(row!.j)).toEqual({
      s: 'a "quoted" \\ back\nslash',
      n: 42,
      f: 0.25,
      b: false,
      missing: null,
      no_number: null,
    });
    expect(() => jsonObjectSql(d, { 'Bad-Key': { num: '1' } })).toThrow('key "Bad-Key" is not lower_snake_case');
  });
});

describe('emailDomainSql', () => {
  it('takes the part after the last @', async () => {
    const [row] = await wh.query<{ a: string; b: string | null }>(
      `select ${emailDomainSql(wh.dialect, "'x@y@mailinator.com'")} as a, ${emailDomainSql(wh.dialect, "'nobody'")} as b`,
    );
    expect(row).toEqual({ a: 'mailinator.com', b: null });
  });
});

describe('ipRangeSql', () => {
  it('keys IPv4 by /24 and IPv6 by the first three hextets', async () => {
    const inputs = [
      '192.0.2.7',
      ' 2001:DB8:a:b::1',
      '2001:db8::1',
      'fe80::1',
      '::1',
      '2001:db8:a',
      'not-an-ip',
      '1.2.3',
    ];
    const sql = inputs.map((ip) => `select ${ipRangeSql(wh.dialect, `'${ip}'`)} as r`).join(' union all ');
    const rows = await wh.query<{ r: string | null }>(sql);
    expect(rows.map((r) => r.r)).toEqual([
      '192.0.2.0/24',
      '2001:db8:a::/48',
      '2001:db8:0::/48',
      'fe80:0:0::/48',
      '0:0:0::/48',
      '2001:db8:a::/48',
      null,
      null,
    ]);
  });
});
