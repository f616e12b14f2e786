/** The site's number formatting (dashboards/src/components/format.js), run in Node's full-ICU Intl. */
import { describe, expect, it } from 'vitest';
import {
  currencyExponent,
  formatCount,
  formatMoney,
  formatMonth,
  formatRate,
  minorToDecimalString,
  rate,
} from '../../../dashboards/src/components/format.js';

describe('site number formatting', () => {
  it('knows each currency exponent from ISO 4217 (via CLDR)', () => {
    expect([currencyExponent('USD'), currencyExponent('JPY'), currencyExponent('BHD')]).toEqual([2, 0, 3]);
  });

  it('turns minor units into an exact decimal string', () => {
    expect(minorToDecimalString(143394, 2)).toBe('1433.94');
    expect(minorToDecimalString(5, 2)).toBe('0.05');
    expect(minorToDecimalString(-1205, 2)).toBe('-12.05');
    expect(minorToDecimalString(1500, 0)).toBe('1500');
    expect(minorToDecimalString(1, 3)).toBe('0.001');
    // 2^53 + 1 cents cannot be a JS number exactly, but arrives exactly as a bigint: 90071992547409.93.
    expect(minorToDecimalString(9007199254740993n, 2)).toBe('90071992547409.93');
  });

  it('shows money with its currency code and the currency own decimals', () => {
    expect(formatMoney(143394, 'EUR')).toBe('EUR 1,433.94');
    expect(formatMoney(5000, 'USD')).toBe('USD 50.00');
    expect(formatMoney(123456, 'JPY')).toBe('JPY 123,456');
    expect(formatMoney(-1205, 'USD')).toBe('USD -12.05');
    expect(formatMoney(0, 'USD')).toBe('USD 0.00');
    expect(formatMoney(null, 'USD')).toBe('–');
    expect(formatMoney(100, null)).toBe('–');
  });

  it('formats counts, rates and months', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatRate(22 / 43)).toBe('51.2%'); // 0.51162... -> 51.2
    expect(formatRate(1.25)).toBe('125.0%');
    expect(formatRate(null)).toBe('–');
    expect(formatMonth('2025-02-01')).toBe('Feb 2025');
    expect(rate(3, 0)).toBeNull();
    expect(rate(3, 4)).toBe(0.75);
  });
});
