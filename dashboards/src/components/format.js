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

/** A ratio such as ROI or a K-factor with its unit: 1.84 -> "1.84×"; null -> "–". */
export function formatRatio(value, digits = 2) {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  return `${value.toFixed(digits)}×`;
}

/** A number with a unit after it: formatUnit(3.25, 'months', 1) -> "3.3 months"; null -> "–". */
export function formatUnit(value, unit, digits = 1) {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  const text = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(
    value,
  );
  return `${text} ${unit}`;
}

/** Money in minor units that may be fractional (a mean): rounded half away from zero to whole minor units first. */
export function formatMoneyMean(minor, code) {
  if (minor === null || minor === undefined || Number.isNaN(minor)) return formatMoney(null, code);
  return formatMoney(Math.sign(minor) * Math.round(Math.abs(minor)), code);
}

/** A count with its noun, singular or plural: formatCountOf(1, 'referral') -> "1 referral"; 2 -> "2 referrals". */
export function formatCountOf(n, singular, plural = `${singular}s`) {
  return `${formatCount(n)} ${n === 1 ? singular : plural}`;
}

/** "2025-04-01" -> "2025 Q2" (calendar quarters). */
export function formatQuarter(isoDate) {
  const [year, month] = isoDate.split('-').map(Number);
  return `${year} Q${Math.floor((month - 1) / 3) + 1}`;
}
