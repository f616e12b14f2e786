// Number formatting for the site. Fixed to en-US so the published numbers do not depend on the reader's
// browser locale (and so tests can read them back). Money arrives as integer minor units with an ISO 4217
// code and is turned into a decimal string exactly (no float division), then grouped for display.

const LOCALE = 'en-US';
const counts = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });

/** Digits after the decimal point for an ISO 4217 currency (USD 2, JPY 0, BHD 3), from the runtime's CLDR data. */
export function currencyExponent(code) {
  return new Intl.NumberFormat(LOCALE, { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits;
}

/**
 * The exact decimal string of an integer amount in minor units.
 * @example minorToDecimalString(143394, 2) // "1433.94"
 */
export function minorToDecimalString(minor, exponent) {
  const value = BigInt(minor);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  return `${negative ? '-' : ''}${whole}${exponent > 0 ? `.${fraction}` : ''}`;
}

/**
 * Money with its currency code, e.g. "USD 1,433.94". Always shows the code: a site may report in any currency.
 * A null amount or code (an empty mart has no currency) shows as "–".
 * @example formatMoney(143394, 'USD') // "USD 1,433.94"
 */
export function formatMoney(minor, code) {
  if (minor === null || minor === undefined || !code) return '–';
  const exponent = currencyExponent(code);
  const grouped = new Intl.NumberFormat(LOCALE, {
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  }).format(minorToDecimalString(minor, exponent));
  return `${code} ${grouped}`;
}

/** A whole count with thousands separators: 12345 -> "12,345". */
export function formatCount(n) {
  return n === null || n === undefined ? '–' : counts.format(n);
}

/** A rate in [0, 1] as a percentage with one decimal: 0.5116 -> "51.2%"; null (no denominator) -> "–". */
export function formatRate(rate) {
  if (rate === null || rate === undefined || Number.isNaN(rate)) return '–';
  return `${(rate * 100).toFixed(1)}%`;
}

/** "2025-01-01" -> "Jan 2025" (months are calendar months in UTC). */
export function formatMonth(isoDate) {
  const [year, month] = isoDate.split('-');
  return new Date(Date.UTC(Number(year), Number(month) - 1, 1)).toLocaleString(LOCALE, {
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** numerator / denominator, or null when the denominator is 0 (the mart's convention for rates). */
export function rate(numerator, denominator) {
  return denominator ? numerator / denominator : null;
}
