/**
 * Salesforce record ids: 15 case-sensitive characters, or the 18-character case-insensitive form (the 15
 * plus a 3-character checksum of the letter case). Reports export either, depending on the column, so ids
 * are landed in the 18-character form, the same for a record whatever the export wrote.
 */

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/**
 * The 18-character id of a 15- or 18-character id, or null when `id` is not a Salesforce id. Each suffix
 * character encodes which of 5 id characters are upper-case letters (bit i for character i).
 *
 * @example toId18('001A0000006Vm9r') // '001A0000006Vm9rIAC'
 */
export function toId18(id: string): string | null {
  if (!/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(id)) return null;
  const base = id.slice(0, 15);
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const ch = base[chunk * 5 + i]!;
      if (ch >= 'A' && ch <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[bits];
  }
  if (id.length === 18 && id.slice(15).toUpperCase() !== suffix) return null;
  return base + suffix;
}
