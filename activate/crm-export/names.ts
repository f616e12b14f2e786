/**
 * Splitting a full name into the first and last name CRMs ask for. A name has no universal structure, so this is
 * the convention most import tools use: the last whitespace-separated word is the last name, everything before
 * it the first name ("Mary Ann Smith" -> "Mary Ann" / "Smith"); a single word is the last name (Salesforce
 * requires one). Whitespace runs collapse; other characters (commas, quotes, accents) are kept as written.
 *
 * @example splitName('  José  García ') // { first: 'José', last: 'García' }
 */
export function splitName(fullName: string | null | undefined): { first: string | null; last: string | null } {
  const words = (fullName ?? '').trim().split(/\s+/u).filter(Boolean);
  if (words.length === 0) return { first: null, last: null };
  if (words.length === 1) return { first: null, last: words[0]! };
  return { first: words.slice(0, -1).join(' '), last: words[words.length - 1]! };
}
