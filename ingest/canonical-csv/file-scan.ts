/**
 * One streaming pass over a CSV file's bytes that hashes them (the batch id) and decides whether DuckDB's
 * strict `read_csv` is guaranteed to see the same records and fields as the csv-parse reader of the JS
 * path (`bom`, `relax_quotes`, `relax_column_count`, `skip_empty_lines`). The pass only looks at the bytes
 * where the two readers can disagree, with native `indexOf`/`isUtf8`, so it costs little more than the hash.
 *
 * Known disagreements, each of which makes the file "not plain" (it then goes through the JS reader whole):
 * - bytes that are not strict UTF-8 (csv-parse decodes them to U+FFFD, DuckDB refuses them) or a NUL byte;
 * - mixed line ends (csv-parse fixes the record delimiter from the first one it sees, DuckDB does not);
 * - a quote that is not a well-formed RFC 4180 quote: one that opens a field anywhere but at its start,
 *   or closes it anywhere but before a comma or line end (DuckDB skips spaces before an opening quote,
 *   csv-parse keeps them and the quotes as text).
 */
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { batchHasher } from '../batch.js';

export interface FileScan {
  /** Hex sha256 of the table name, a NUL byte and the file's bytes: `fileBatchId(table, path)`. */
  hash: string;
  /** Why the file is not plain (see the file comment), or null when DuckDB reads it exactly as csv-parse does. */
  notPlain: string | null;
  /**
   * What trimming cells the way JS `trim` does needs: `none` (no cell can start or end with whitespace),
   * `spaces` (only ASCII spaces can: DuckDB's `trim` is exact) or `js` (a tab, form feed, vertical tab,
   * Unicode space, inner BOM, or a line end inside quotes appears somewhere: the full JS whitespace set).
   */
  trim: 'none' | 'spaces' | 'js';
}

const SPACE = 0x20;
/** UTF-8 of the non-ASCII characters JS `trim` removes, and the ASCII ones other than space and line ends. */
const ODD_WHITESPACE = [
  [0x09],
  [0x0b],
  [0x0c],
  [0xc2, 0xa0],
  [0xe1, 0x9a, 0x80],
  [0xe2, 0x81, 0x9f],
  [0xe3, 0x80, 0x80],
  [0xef, 0xbb, 0xbf],
].map((b) => Buffer.from(b));
/** Third bytes after E2 80 that make U+2000-U+200A, U+2028, U+2029 or U+202F. */
const E2_80_SPACES = new Set([0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0xa8, 0xa9, 0xaf]);
const E2_80 = Buffer.from([0xe2, 0x80]);
/** A space next to one of these bytes may be at the edge of a cell. */
const EDGE = new Set([0x2c, 0x0a, 0x0d, 0x22]);
const EDGE_SPACES = [0x2c, 0x0a, 0x0d, 0x22].flatMap((e) => [Buffer.from([SPACE, e]), Buffer.from([e, SPACE])]);

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/** True for a byte that starts a field when it is followed by a quote. */
const opensField = (prev: number): boolean => prev === COMMA || prev === LF || prev === CR || prev === -1;
/** True for a byte (or the end of the file, -1) that may follow a closing quote. */
const endsField = (next: number): boolean => next === COMMA || next === LF || next === CR || next === -1;

/** Start of the last, possibly incomplete UTF-8 sequence at the end of `b` (b.length when it ends complete). */
function utf8Cut(b: Buffer): number {
  for (let i = b.length - 1; i >= Math.max(0, b.length - 4); i--) {
    const byte = b[i]!;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte
    const need = byte < 0x80 ? 1 : byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return i + need > b.length ? i : b.length;
  }
  return b.length;
}

/** Scanner state carried from one chunk to the next. */
class PlainScanner {
  notPlain: string | null = null;
  private prev = -1;
  private inQuotes = false;
  private sawCrLf = false;
  private sawLoneCr = false;
  private sawLoneLf = false;
  private first = true;
  oddWhitespace = false;
  edgeSpaces = false;

  /** Scans `b`; `next` is the byte after `b` (-1 at the end of the file). */
  scan(b: Buffer, next: number): void {
    if (this.notPlain) return;
    let start = 0;
    if (this.first) {
      this.first = false;
      if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) start = 3; // the BOM both readers drop
    }
    if (!isUtf8(b)) return this.fail('not strict UTF-8');
    if (b.indexOf(0) !== -1) return this.fail('a NUL byte');
    const at = (i: number) => (i < start ? -1 : i < b.length ? b[i]! : next);
    for (let i = b.indexOf(CR, start); i !== -1; i = b.indexOf(CR, i + 1)) {
      if (at(i + 1) === LF) this.sawCrLf = true;
      else this.sawLoneCr = true;
    }
    for (let i = b.indexOf(LF, start); i !== -1; i = b.indexOf(LF, i + 1)) {
      if ((i === start ? this.prev : b[i - 1]) !== CR) this.sawLoneLf = true;
    }
    if (Number(this.sawCrLf) + Number(this.sawLoneCr) + Number(this.sawLoneLf) > 1) return this.fail('mixed line ends');
    let open = this.inQuotes ? start : -1;
    const lineEndIn = (from: number, to: number) => {
      const lf = b.indexOf(LF, from);
      const cr = b.indexOf(CR, from);
      return (lf !== -1 && lf < to) || (cr !== -1 && cr < to);
    };
    for (let i = b.indexOf(QUOTE, start); i !== -1; i = b.indexOf(QUOTE, i + 1)) {
      if (!this.inQuotes) {
        if (!opensField(i === start ? this.prev : b[i - 1]!)) return this.fail('a quote inside an unquoted field');
        this.inQuotes = true;
        open = i;
      } else if (at(i + 1) === QUOTE) {
        i++; // a doubled quote inside a quoted field
      } else if (endsField(at(i + 1))) {
        this.inQuotes = false;
        if (!this.oddWhitespace && lineEndIn(open, i)) this.oddWhitespace = true;
      } else {
        return this.fail('text after a closing quote');
      }
    }
    if (this.inQuotes && lineEndIn(Math.max(open, start), b.length)) this.oddWhitespace = true;
    this.scanWhitespace(b, start, next);
    if (b.length > start) this.prev = b[b.length - 1]!;
  }

  /** Sets `oddWhitespace` and `edgeSpaces` (see `FileScan.trim`); conservative: any occurrence counts. */
  private scanWhitespace(b: Buffer, start: number, next: number): void {
    if (!this.oddWhitespace) {
      if (ODD_WHITESPACE.some((w) => b.indexOf(w, start) !== -1)) this.oddWhitespace = true;
      for (let i = b.indexOf(E2_80, start); i !== -1 && !this.oddWhitespace; i = b.indexOf(E2_80, i + 1))
        if (E2_80_SPACES.has(b[i + 2] ?? -1)) this.oddWhitespace = true;
    }
    if (this.edgeSpaces) return;
    const last = b.length ? b[b.length - 1]! : -1;
    if (
      (start < b.length && b[start] === SPACE && (this.prev === -1 || EDGE.has(this.prev))) ||
      (last === SPACE && (next === -1 || EDGE.has(next))) ||
      (EDGE.has(last) && next === SPACE) ||
      EDGE_SPACES.some((w) => b.indexOf(w, start) !== -1)
    )
      this.edgeSpaces = true;
  }

  end(): void {
    if (this.inQuotes && !this.notPlain) this.fail('an unclosed quote');
  }

  private fail(why: string): void {
    this.notPlain = why;
  }
}

/**
 * Hashes the file as `fileBatchId(hashKey, path)` does and scans it for the disagreements listed in the
 * file comment. A chunk is scanned only up to its last complete UTF-8 sequence, keeping the rest and one
 * byte of look-ahead for the next chunk, so no quote, line end or character is judged across a boundary.
 */
export async function scanCsvFile(hashKey: string, path: string): Promise<FileScan> {
  const hash = batchHasher(hashKey);
  const scanner = new PlainScanner();
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    if (scanner.notPlain) continue;
    const b = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    // Keep the last byte (look-ahead for a closing quote or CR) and any incomplete UTF-8 sequence.
    const cut = Math.min(utf8Cut(b), b.length - 1);
    if (cut <= 0) {
      carry = b;
      continue;
    }
    scanner.scan(b.subarray(0, cut), b[cut]!);
    carry = Buffer.from(b.subarray(cut));
  }
  if (carry.length) scanner.scan(carry, -1);
  scanner.end();
  const trim = scanner.oddWhitespace ? 'js' : scanner.edgeSpaces ? 'spaces' : 'none';
  return { hash: hash.digest('hex'), notPlain: scanner.notPlain, trim };
}
