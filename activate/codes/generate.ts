/**
 * Referral codes and share links, pure functions. A code is `length` symbols of Crockford's base32 alphabet
 * without I, L, O and U (no 1/I/L or 0/O confusion, no accidental words through U), drawn from HMAC-SHA256 of the
 * program, the customer and an attempt number under a secret (REFSTACK_CODE_SECRET), or from the CSPRNG when no
 * secret is set. Either way a code cannot be derived from the customer id by anyone without the secret; the
 * attempt number gives a fresh candidate after a collision.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { ShareChannel } from '../../models/marts/activation/config-schema.js';

/** Crockford base32 symbols: digits and letters without I, L, O, U. */
export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The first `length` 5-bit groups of `bytes` as code symbols (big-endian bit order).
 *
 * @example codeFromBytes(Buffer.from([0, 0, 0, 0, 0]), 8) // '00000000'
 * @example codeFromBytes(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff]), 8) // 'ZZZZZZZZ'
 */
export function codeFromBytes(bytes: Uint8Array, length: number): string {
  if (bytes.length * 8 < length * 5)
    throw new Error(`codeFromBytes: ${bytes.length} bytes cannot make ${length} symbols`);
  let out = '';
  for (let i = 0; i < length; i++) {
    const bit = i * 5;
    const byte = bit >> 3;
    const word = ((bytes[byte] ?? 0) << 8) | (bytes[byte + 1] ?? 0);
    out += CODE_ALPHABET[(word >> (11 - (bit & 7))) & 31];
  }
  return out;
}

/** A code candidate: keyed HMAC when `secret` is given (reproducible), else CSPRNG bytes. */
export function candidateCode(
  secret: string | undefined,
  programId: string,
  customerId: string,
  attempt: number,
  length: number,
): string {
  const bytes = secret
    ? createHmac('sha256', secret).update(`${programId}\u001f${customerId}\u001f${attempt}`).digest()
    : randomBytes(Math.ceil((length * 5) / 8));
  return codeFromBytes(bytes, length);
}

export interface LinkOptions {
  linkBase: string;
  utmMedium: string;
  channels: readonly ShareChannel[];
}

/** linkBase split once: the part before the query, its other query parameters, and its fragment. */
let parsed: { base: string; before: string; query: string; hash: string } | undefined;
function parts(linkBase: string) {
  if (parsed?.base !== linkBase) {
    const url = new URL(linkBase);
    url.searchParams.delete('ref');
    const query = url.searchParams.toString();
    parsed = { base: linkBase, before: url.origin + url.pathname, query: query ? `${query}&` : '', hash: url.hash };
  }
  return parsed;
}

/** The plain link: `linkBase` with `?ref=CODE` (other query parameters and the fragment of linkBase kept). */
export function referralLink(linkBase: string, code: string, extra = ''): string {
  const p = parts(linkBase);
  return `${p.before}?${p.query}ref=${encodeURIComponent(code)}${extra}${p.hash}`;
}

/**
 * One link per share channel: the plain link plus utm_source = channel, utm_medium (config) and utm_campaign =
 * program id, so stg_touches can tell the channels apart while `?ref=` keeps them in the Referral Program group.
 *
 * @example shareLinks('ABC23456', 'friends', { linkBase: 'https://shop.test/', utmMedium: 'referral', channels: ['x'] })
 * // { x: 'https://shop.test/?ref=ABC23456&utm_source=x&utm_medium=referral&utm_campaign=friends' }
 */
export function shareLinks(code: string, programId: string, options: LinkOptions): Record<string, string> {
  const out: Record<string, string> = {};
  const tail = `&utm_medium=${encodeURIComponent(options.utmMedium)}&utm_campaign=${encodeURIComponent(programId)}`;
  for (const channel of options.channels)
    out[channel] = referralLink(options.linkBase, code, `&utm_source=${encodeURIComponent(channel)}${tail}`);
  return out;
}
