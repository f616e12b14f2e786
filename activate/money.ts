/** Money in words for messages and statements: `12.50 USD` (minor units when the currency's exponent is unknown). */
import { currencyExponent, formatMinorUnits } from '../ingest/currency.js';

export function formatMoney(minor: number | bigint, currency: string): string {
  const exponent = currencyExponent(currency);
  return exponent === undefined
    ? `${minor} minor ${currency}`
    : `${formatMinorUnits(BigInt(minor), exponent)} ${currency}`;
}
