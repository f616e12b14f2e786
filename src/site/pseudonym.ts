/**
 * Pseudonyms for people on the published site. Advocate, referee and customer ids are replaced by a stable,
 * salted hash (`adv_3f9c1a7b`), so the same person has the same label on every page and in every build with the
 * same salt, but the label does not reveal the id. The site shows raw ids only when the config allows PII
 * (`site.allowPii`, passed to loaders as REFSTACK_SITE_ALLOW_PII=1 by src/site/build.ts).
 */
import { createHash } from 'node:crypto';

/** The salt loaders use: REFSTACK_PSEUDONYM_SALT, or a fixed default (labels then stable across sites). */
export function pseudonymSalt(env: NodeJS.ProcessEnv = process.env): string {
  return env['REFSTACK_PSEUDONYM_SALT'] || 'refstack-site';
}

/** True when the config allows raw ids, emails and IPs on the site. */
export function piiAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  return env['REFSTACK_SITE_ALLOW_PII'] === '1';
}

/**
 * The pseudonym of `id`: a prefix and the first 8 hex digits of sha256(salt, NUL, id). Null stays null.
 * @example pseudonym('C0007221', 'adv', 'refstack-site') // "adv_" + 8 hex digits, the same on every call
 */
export function pseudonym(id: string | null, prefix: string, salt: string): string | null {
  if (id === null) return null;
  return `${prefix}_${createHash('sha256').update(salt).update('\u0000').update(id).digest('hex').slice(0, 8)}`;
}

/** A labeller for one loader run: pseudonyms unless PII is allowed, in which case ids pass through. */
export function personLabeller(
  env: NodeJS.ProcessEnv = process.env,
): (id: string | null, prefix?: string) => string | null {
  if (piiAllowed(env)) return (id) => id;
  const salt = pseudonymSalt(env);
  return (id, prefix = 'adv') => pseudonym(id, prefix, salt);
}
