/**
 * ISO 4217 minor-unit exponents and exact conversion of decimal strings in major units ("12.50") to integer
 * minor units (1250n). No float ever touches an amount: the conversion is string surgery plus BigInt.
 */

/**
 * Minor-unit exponent of every active ISO 4217 currency (List One), plus a few codes withdrawn recently
 * enough to appear in historical orders (HRK, SLL, ZWL, CUC). Fund and metal codes without a minor unit
 * (XAU, XDR, XTS, ...) are left out on purpose: they are not prices.
 */
// prettier-ignore
export const ISO_4217_EXPONENTS: Readonly<Record<string, number>> = {
  // Exponent 0: no minor unit.
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0,
  VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  // Exponent 3: thousandths (fils, baisa, millime, dirham).
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  // Exponent 4: the Chilean and Uruguayan units of account.
  CLF: 4, UYW: 4,
  // Exponent 2: everything else.
  AED: 2, AFN: 2, ALL: 2, AMD: 2, ANG: 2, AOA: 2, ARS: 2, AUD: 2, AWG: 2, AZN: 2, BAM: 2, BBD: 2, BDT: 2,
  BGN: 2, BMD: 2, BND: 2, BOB: 2, BOV: 2, BRL: 2, BSD: 2, BTN: 2, BWP: 2, BYN: 2, BZD: 2, CAD: 2, CDF: 2,
  CHE: 2, CHF: 2, CHW: 2, CNY: 2, COP: 2, COU: 2, CRC: 2, CUC: 2, CUP: 2, CVE: 2, CZK: 2, DKK: 2, DOP: 2,
  DZD: 2, EGP: 2, ERN: 2, ETB: 2, EUR: 2, FJD: 2, FKP: 2, GBP: 2, GEL: 2, GHS: 2, GIP: 2, GMD: 2, GTQ: 2,
  GYD: 2, HKD: 2, HNL: 2, HRK: 2, HTG: 2, HUF: 2, IDR: 2, ILS: 2, INR: 2, IRR: 2, JMD: 2, KES: 2, KGS: 2,
  KHR: 2, KPW: 2, KYD: 2, KZT: 2, LAK: 2, LBP: 2, LKR: 2, LRD: 2, LSL: 2, MAD: 2, MDL: 2, MGA: 2, MKD: 2,
  MMK: 2, MNT: 2, MOP: 2, MRU: 2, MUR: 2, MVR: 2, MWK: 2, MXN: 2, MXV: 2, MYR: 2, MZN: 2, NAD: 2, NGN: 2,
  NIO: 2, NOK: 2, NPR: 2, NZD: 2, PAB: 2, PEN: 2, PGK: 2, PHP: 2, PKR: 2, PLN: 2, QAR: 2, RON: 2, RSD: 2,
  RUB: 2, SAR: 2, SBD: 2, SCR: 2, SDG: 2, SEK: 2, SGD: 2, SHP: 2, SLE: 2, SLL: 2, SOS: 2, SRD: 2, SSP: 2,
  STN: 2, SVC: 2, SYP: 2, SZL: 2, THB: 2, TJS: 2, TMT: 2, TOP: 2, TRY: 2, TTD: 2, TWD: 2, TZS: 2, UAH: 2,
  USD: 2, USN: 2, UYU: 2, UZS: 2, VED: 2, VES: 2, WST: 2, XCD: 2, XCG: 2, YER: 2, ZAR: 2, ZMW: 2, ZWG: 2,
  ZWL: 2,
};

/**
 * The minor-unit exponent of an ISO 4217 code, or undefined for an unknown code. Case-sensitive: callers
 * normalize (`'usd'.toUpperCase()`) first if their source writes lower case.
 * @example currencyExponent('KWD') // 3
 */
export function currencyExponent(code: string): number | undefined {
  return Object.hasOwn(ISO_4217_EXPONENTS, code) ? ISO_4217_EXPONENTS[code] : undefined;
}

/**
 * The minor-unit exponent of an ISO 4217 code, throwing for a code it does not know (for callers such as FX
 * conversion, where a guessed exponent would silently scale money by a power of ten).
 * @example minorUnitExponent('JPY') // 0
 */
export function minorUnitExponent(code: string): number {
  const exponent = currencyExponent(code);
  if (exponent === undefined)
    throw new Error(`unknown ISO 4217 currency ${JSON.stringify(code)} (no minor-unit exponent known)`);
  return exponent;
}

/** Largest value a signed 64-bit `*_minor` column holds. */
const INT64_MAX = 9_223_372_036_854_775_807n;

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/** The outcome of parsing an amount; `problem` reads after the quoted value: `"-12.00" is negative`. */
export type AmountResult =
  { ok: true; minor: bigint } | { ok: false; reason: 'invalid_amount' | 'negative_amount'; problem: string };

/**
 * Parses a non-negative decimal string in major units into integer minor units, exactly.
 *
 * Accepts digits with an optional `.` and fraction (`"12"`, `"12.5"`, `"012.50"`, `"+3"`). Rejects thousands
 * separators, decimal commas, exponents and blanks (`invalid_amount`), negatives (`negative_amount`; `"-0"`
 * is zero and accepted), and more decimals than the currency has unless the extra digits are zeros
 * (`"1000.00"` JPY is 1000, `"12.345"` USD is `invalid_amount`: it cannot be represented without rounding).
 *
 * `currency` only names the currency in the problem text.
 *
 * @example parseMinorUnits('12.5', 2) // { ok: true, minor: 1250n }
 * @example parseMinorUnits('1.234', 3) // { ok: true, minor: 1234n }
 */
export function parseMinorUnits(text: string, exponent: number, currency = 'the currency'): AmountResult {
  const m = DECIMAL.exec(text);
  if (!m) {
    return {
      ok: false,
      reason: 'invalid_amount',
      problem: `is not a decimal number (expected digits with an optional "." and no thousands separator, like "1234.50")`,
    };
  }
  const [, sign, whole = '', fraction = ''] = m;
  const kept = fraction.slice(0, exponent);
  const dropped = fraction.slice(exponent);
  if (/[1-9]/.test(dropped)) {
    const allowed = exponent === 0 ? 'no decimals' : `at most ${exponent} decimal${exponent === 1 ? '' : 's'}`;
    return {
      ok: false,
      reason: 'invalid_amount',
      problem: `has ${fraction.length} decimals; ${currency} allows ${allowed}`,
    };
  }
  const minor = BigInt(whole + kept.padEnd(exponent, '0'));
  if (sign === '-' && minor !== 0n) return { ok: false, reason: 'negative_amount', problem: 'is negative' };
  if (minor > INT64_MAX)
    return { ok: false, reason: 'invalid_amount', problem: 'is too large for a 64-bit minor-unit amount' };
  return { ok: true, minor };
}

/**
 * Formats minor units back as a major-unit decimal string (for messages), exactly.
 * @example formatMinorUnits(1250n, 2) // '12.50'
 */
export function formatMinorUnits(minor: bigint, exponent: number): string {
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  return `${negative ? '-' : ''}${whole}${exponent > 0 ? `.${fraction}` : ''}`;
}
