import { describe, expect, it } from 'vitest';
import { parseBoolean, parseInteger, parseTimestamp } from '../../ingest/parse-values.js';

describe('parseTimestamp', () => {
  it.each([
    ['2025-03-04T10:00:00Z', '2025-03-04T10:00:00.000Z'],
    ['2025-03-04t10:00:00z', '2025-03-04T10:00:00.000Z'],
    ['2025-03-04T10:00Z', '2025-03-04T10:00:00.000Z'],
    ['2025-03-04T10:00:00+01:00', '2025-03-04T09:00:00.000Z'], // 10:00 at +01:00 is 09:00 UTC
    ['2025-03-04T10:00:00+0530', '2025-03-04T04:30:00.000Z'], // 10:00 - 5:30
    ['2025-03-04T01:00:00-05', '2025-03-04T06:00:00.000Z'], // 01:00 + 5:00
    ['2025-03-04T23:30:00-01:00', '2025-03-05T00:30:00.000Z'], // crosses midnight
    ['2025-03-04 10:00:00+01:00', '2025-03-04T09:00:00.000Z'],
    ['2025-03-04T10:00:00.123456Z', '2025-03-04T10:00:00.123Z'], // truncated to milliseconds
    ['2025-03-04 10:00:00', '2025-03-04T10:00:00.000Z'], // no zone: UTC
    ['2025-03-04 10:00', '2025-03-04T10:00:00.000Z'],
    ['2025-03-04', '2025-03-04T00:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'], // leap year
    ['2000-02-29', '2000-02-29T00:00:00.000Z'], // divisible by 400: leap
    ['0099-01-01', '0099-01-01T00:00:00.000Z'], // not mapped to 1999 as Date.UTC would
  ])('%s -> %s', (text, iso) => {
    const r = parseTimestamp(text);
    expect(r.ok && r.value.toISOString()).toBe(iso);
  });

  it.each([
    ['03/04/2025', /^is not a timestamp \(expected ISO 8601/],
    ['2025-3-4', /^is not a timestamp/],
    ['20250304', /^is not a timestamp/],
    [
      '2025-03-04T10:00:00',
      /^has no time zone \(add Z or an offset like \+01:00, or write "2025-03-04 10:00:00" to mean UTC\)$/,
    ],
    ['2025-02-30', /^is not a real date \(February 2025 has 28 days\)$/],
    ['2025-02-29', /^is not a real date \(February 2025 has 28 days\)$/],
    ['1900-02-29', /^is not a real date \(February 1900 has 28 days\)$/], // divisible by 100, not 400
    ['2025-04-31', /^is not a real date \(April 2025 has 30 days\)$/],
    ['2025-13-01', /^is not a real date \(month 13 does not exist\)$/],
    ['2025-00-10', /^is not a real date \(month 00 does not exist\)$/],
    ['2025-01-00', /^is not a real date \(January 2025 has 31 days\)$/],
    ['2025-03-04 24:00', /^is not a real time of day/],
    ['2025-03-04 10:60', /^is not a real time of day/],
    ['2025-03-04T10:00:00+15:00', /^has an impossible UTC offset \+15:00/],
    ['2025-03-04T10:00:00+01:75', /^has an impossible UTC offset/],
    ['1735689600', /^is not a timestamp/],
    ['yesterday', /^is not a timestamp/],
  ])('%s is rejected', (text, problem) => {
    const r = parseTimestamp(text);
    expect(r).toMatchObject({ ok: false, reason: 'invalid_timestamp' });
    expect(!r.ok && r.problem).toMatch(problem);
  });
});

describe('parseInteger', () => {
  it.each([
    ['7', 7],
    ['+10', 10],
    ['-3', -3],
    ['-0', 0],
    ['007', 7],
  ])('%s -> %i', (text, value) => {
    expect(parseInteger(text)).toEqual({ ok: true, value });
  });

  it.each(['7.5', '7.0', '1e3', 'seven', '', '9007199254740993'])('%j is not a whole number', (text) => {
    expect(parseInteger(text)).toEqual({ ok: false, reason: 'invalid_number', problem: 'is not a whole number' });
  });

  it('checks bounds', () => {
    expect(parseInteger('10', { min: 0, max: 10 })).toEqual({ ok: true, value: 10 });
    expect(parseInteger('11', { min: 0, max: 10 })).toEqual({
      ok: false,
      reason: 'out_of_range',
      problem: 'is out of range (expected 0 to 10)',
    });
    expect(parseInteger('0', { min: 1 })).toEqual({
      ok: false,
      reason: 'out_of_range',
      problem: 'is out of range (expected at least 1)',
    });
    expect(parseInteger('6', { max: 5 })).toEqual({
      ok: false,
      reason: 'out_of_range',
      problem: 'is out of range (expected at most 5)',
    });
  });
});

describe('parseBoolean', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    ['Yes', true],
    ['y', true],
    ['1', true],
    ['t', true],
    ['false', false],
    ['No', false],
    ['n', false],
    ['0', false],
    ['F', false],
  ])('%s -> %s', (text, value) => {
    expect(parseBoolean(text)).toEqual({ ok: true, value });
  });

  it.each(['maybe', '2', 'on', ''])('%j is rejected', (text) => {
    expect(parseBoolean(text)).toEqual({
      ok: false,
      reason: 'invalid_boolean',
      problem: 'is not a boolean (expected true/false, yes/no or 1/0)',
    });
  });
});
