import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvField, csvRecord } from '../../../activate/crm-export/csv.js';
import { splitName } from '../../../activate/crm-export/names.js';

describe('csvField / csvRecord (RFC 4180)', () => {
  it('quotes only what needs it and doubles quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('Smith, Jo')).toBe('"Smith, Jo"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField(' padded')).toBe('" padded"');
    expect(csvField('Zoë Ørsted 山田')).toBe('Zoë Ørsted 山田');
    expect(csvField(null)).toBe('');
    expect(csvField(74.17)).toBe('74.17');
    expect(csvRecord(['a', 'b,c', null])).toBe('a,"b,c",\r\n');
  });

  it('round-trips through a strict CSV parser', () => {
    const values = ['a,b', '"q"', 'x\r\ny', '', ' lead', 'ü', '""'];
    const text = csvRecord(values) + csvRecord(values);
    expect(parse(text, { relax_quotes: false, relax_column_count: false })).toEqual([values, values]);
  });
});

describe('splitName', () => {
  it('takes the last word as the last name and collapses whitespace', () => {
    expect(splitName('Mary Ann  Smith')).toEqual({ first: 'Mary Ann', last: 'Smith' });
    expect(splitName(' José\nGarcía ')).toEqual({ first: 'José', last: 'García' });
    expect(splitName('Cher')).toEqual({ first: null, last: 'Cher' });
    expect(splitName('   ')).toEqual({ first: null, last: null });
    expect(splitName(null)).toEqual({ first: null, last: null });
  });
});
