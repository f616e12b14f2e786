/**
 * Deterministic ids. Customers are generated in sign-up order (idx 0, 1, ...), but their ids are a fixed
 * permutation of 1..N so that an id says nothing about sign-up time or fraud-ring membership. The same
 * mapping exists in TS (for the documented fraud-ring id list) and SQL (for generation).
 */

const GOLDEN = 0.6180339887498949;
const CODE_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const CODE_LENGTH = 7;
const CODE_SPACE = 36 ** CODE_LENGTH;
/** Prime, so coprime with 36: multiplying by it permutes the code space. */
const CODE_MULTIPLIER = 1_000_003;

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** The permutation step: the first integer at or above N * 0.618... that is coprime with N. */
export function customerStride(n: number): number {
  let p = Math.max(1, Math.round(n * GOLDEN));
  while (gcd(p, n) !== 1) p++;
  return p;
}

export const customerIdWidth = (n: number): number => Math.max(7, String(n).length);

/** The customer id of sign-up position `idx` among `n` customers, e.g. 'C0000042'. */
export function customerId(idx: number, n: number): string {
  const num = ((idx * customerStride(n)) % n) + 1;
  return `C${String(num).padStart(customerIdWidth(n), '0')}`;
}

/** SQL: the customer number (1..n) of an idx expression. */
export const customerNumberSql = (idx: string, n: number): string => `((${idx}) * ${customerStride(n)} % ${n} + 1)`;

/** SQL: the customer id of an idx expression. */
export const customerIdSql = (idx: string, n: number): string =>
  `'C' || lpad(cast(${customerNumberSql(idx, n)} as varchar), ${customerIdWidth(n)}, '0')`;

/**
 * SQL: the referral code of a customer number: 'R' and 7 base-36 characters of
 * (number * 1000003 + seed * 7919) mod 36^7, a bijection on numbers below 36^7, so codes are unique.
 */
export function referralCodeSql(customerNumber: string, seed: number): string {
  const v = `((${customerNumber}) * ${CODE_MULTIPLIER} + ${seed * 7919}) % ${CODE_SPACE}`;
  const chars = Array.from(
    { length: CODE_LENGTH },
    (_, j) => `substr('${CODE_ALPHABET}', cast((${v}) // ${36 ** (CODE_LENGTH - 1 - j)} % 36 as integer) + 1, 1)`,
  );
  return `('R' || ${chars.join(' || ')})`;
}

/** The referral code of a customer number, as `referralCodeSql` computes it. */
export function referralCode(customerNumber: number, seed: number): string {
  let v = (customerNumber * CODE_MULTIPLIER + seed * 7919) % CODE_SPACE;
  let out = '';
  for (let j = 0; j < CODE_LENGTH; j++) {
    out = CODE_ALPHABET[v % 36]! + out;
    v = Math.floor(v / 36);
  }
  return `R${out}`;
}
