import { describe, expect, it } from 'vitest';
import { currencyExponent, formatMinorUnits, minorUnitExponent, parseMinorUnits } from '../../ingest/currency.js';

describe('ISO 4217 exponents', () => {
  // Exponents from the ISO 4217 List One (minor unit column).
  it.each([
    ['JPY', 0],
    ['KRW', 0],
    ['USD', 2],
    ['EUR', 2],
    ['KWD', 3],
    ['BHD', 3],
    ['OMR', 3],
    ['JOD', 3],
    ['TND', 3],
    ['LYD', 3],
    ['IQD', 3],
    ['CLF', 4],
  ])('%s has %i decimals', (code, exponent) => {
    expect(currencyExponent(code)).toBe(exponent);
    expect(minorUnitExponent(code)).toBe(exponent);
  });

  it('knows no metals, lower case or made-up codes', () => {
    expect(currencyExponent('XAU')).toBeUndefined();
    expect(currencyExponent('usd')).toBeUndefined();
    expect(currencyExponent('toString')).toBeUndefined();
    expect(() => minorUnitExponent('XYZ')).toThrow('unknown ISO 4217 currency "XYZ" (no minor-unit exponent known)');
  });
});

describe('parseMinorUnits', () => {
  it.each([
    ['12.5', 2, 1250n],
    ['12.50', 2, 1250n],
    ['0.01', 2, 1n],
    ['1000', 0, 1000n],
    ['1000.00', 0, 1000n], // extra zero decimals are exact
    ['1.234', 3, 1234n],
    ['0.5', 3, 500n],
    ['+3', 2, 300n],
    ['-0.00', 2, 0n], // negative zero is zero
    ['007.10', 2, 710n],
    // Past 2^53 a float would round; BigInt does not: 90071992547409.93 USD.
    ['90071992547409.93', 2, 9007199254740993n],
    ['92233720368547758.07', 2, 9223372036854775807n], // int64 max
  ])('%s with exponent %i -> %s', (text, exponent, minor) => {
    expect(parseMinorUnits(text, exponent)).toEqual({ ok: true, minor });
  });

  it.each([
    ['-12.00', 2, 'negative_amount', 'is negative'],
    ['12.345', 2, 'invalid_amount', 'has 3 decimals; USD allows at most 2 decimals'],
    ['1.5', 0, 'invalid_amount', 'has 1 decimals; USD allows no decimals'],
    ['92233720368547758.08', 2, 'invalid_amount', 'is too large for a 64-bit minor-unit amount'],
  ])('%s with exponent %i is %s', (text, exponent, reason, problem) => {
    expect(parseMinorUnits(text, exponent, 'USD')).toEqual({ ok: false, reason, problem });
  });

  it.each(['1,234.00', '12,5', '1e3', '.5', '5.', '', ' 1', '$5', 'NaN', '12.5O'])('%j is not a decimal', (text) => {
    expect(parseMinorUnits(text, 2)).toMatchObject({ ok: false, reason: 'invalid_amount' });
  });
});

describe('formatMinorUnits', () => {
  it.each([
    [1250n, 2, '12.50'],
    [1n, 2, '0.01'],
    [1000n, 0, '1000'],
    [1234n, 3, '1.234'],
    [-5n, 2, '-0.05'],
  ])('%s with exponent %i -> %s', (minor, exponent, text) => {
    expect(formatMinorUnits(minor, exponent)).toBe(text);
  });
});
