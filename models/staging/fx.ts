import type { RefstackConfig } from '../../src/config.js';
import type { SqlDialect } from '../../src/warehouse/dialect.js';
import { minorUnitExponent } from '../../ingest/currency.js';

/**
 * An inline table `(currency, factor)` converting an amount in a currency's minor units into the reporting
 * currency's minor units: factor = rate x 10^(reporting exponent - source exponent). Built from config, so
 * the conversion is exact decimal arithmetic in SQL (rates are decimal strings; no float touches money).
 */
export function fxFactorsSql(d: SqlDialect, config: RefstackConfig): string {
  const reporting = config.reportingCurrency;
  const repExp = minorUnitExponent(reporting);
  const rows = [[reporting, '1'] as const, ...Object.entries(config.fxRates)].map(([code, rate]) => {
    const shift = repExp - minorUnitExponent(code);
    // Scale the decimal string by 10^shift without floats: move the decimal point.
    const factor = shiftDecimal(rate, shift);
    return `select ${d.stringLiteral(code)} as currency, cast(${d.stringLiteral(factor)} as decimal(24,12)) as factor`;
  });
  return rows.join('\nunion all\n');
}

/**
 * Multiplies a non-negative decimal string by 10^shift exactly.
 * @example shiftDecimal('1.08', 2) // '108'
 */
export function shiftDecimal(value: string, shift: number): string {
  const [int = '0', frac = ''] = value.split('.');
  let digits = int + frac;
  let point = int.length + shift;
  if (point <= 0) {
    digits = '0'.repeat(1 - point) + digits;
    point = 1;
  }
  if (point > digits.length) digits = digits + '0'.repeat(point - digits.length);
  const whole = digits.slice(0, point).replace(/^0+(?=\d)/, '');
  const rest = digits.slice(point).replace(/0+$/, '');
  return rest ? `${whole}.${rest}` : whole;
}
