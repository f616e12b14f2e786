/**
 * RFC 4180 CSV writing: fields separated by commas, records ended by CRLF, a field quoted when it holds a comma,
 * a double quote, CR or LF (or starts or ends with a space, which some importers trim), quotes inside doubled.
 * NULL and undefined become empty fields. Text is written as is (UTF-8 by the caller, no BOM).
 */

/** One field. @example csvField('Smith, "Jo"') // '"Smith, ""Jo"""' */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One record with its CRLF terminator. */
export function csvRecord(fields: readonly (string | number | boolean | null | undefined)[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}
