import { createHash } from 'node:crypto';

/** The value with every object's keys sorted, recursively, so equal values serialize equally. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  return value;
}

/**
 * The first `hexDigits` hex digits of sha256 of the value's canonical JSON (keys sorted at every level): equal
 * values give equal hashes whatever their key order. Config hashes and rule versions are built on it.
 * @example stableHash({ b: 1, a: 2 }, 10) === stableHash({ a: 2, b: 1 }, 10) // true
 */
export function stableHash(value: unknown, hexDigits: number): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(value)))
    .digest('hex')
    .slice(0, hexDigits);
}
