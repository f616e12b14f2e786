/**
 * The byte scan that decides whether DuckDB's strict reader sees what csv-parse sees: its verdicts, its
 * hash (the batch id), and chunk boundaries (the scan reads 1 MiB chunks) falling inside a quoted field,
 * a doubled quote or a multi-byte character.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileBatchId } from '../../../ingest/batch.js';
import { scanCsvFile } from '../../../ingest/canonical-csv/file-scan.js';
import { scratch, type Scratch } from './helpers.js';

const CHUNK = 1 << 20;

describe('scanCsvFile', () => {
  let s: Scratch;
  beforeEach(async () => {
    s = await scratch();
  });
  afterEach(async () => {
    await s.close();
  });

  it.each([
    ['a plain file', 'a,b\n1,2\n', null, 'none'],
    // ", " inside the quotes is not at a cell edge, but the scan is conservative: `spaces` is always exact.
    ['RFC 4180 quotes and a BOM', '\ufeffa,b\r\n"x, ""y""",2\r\n', null, 'spaces'],
    ['a quoted field', 'a,b\n"x,""y""",2\n', null, 'none'],
    ['spaces at a cell edge', 'a,b\n 1,2\n', null, 'spaces'],
    ['a tab', 'a,b\n1,\t2\n', null, 'js'],
    ['a no-break space', 'a,b\n1,2\u00a0\n', null, 'js'],
    ['an en space (U+2002)', 'a,b\n1,\u20022\n', null, 'js'],
    ['a line end inside quotes', 'a,b\n"1\n",2\n', null, 'js'],
    ['an en dash (not whitespace)', 'a,b\n1\u2013,2\n', null, 'none'],
    ['a stray quote', 'a,b\n1",2\n', 'a quote inside an unquoted field', 'none'],
    ['text after a closing quote', 'a,b\n"1"x,2\n', 'text after a closing quote', 'none'],
    ['an unclosed quote', 'a,b\n"1,2\n', 'an unclosed quote', 'js'],
    ['mixed line ends', 'a,b\r\n1,2\n', 'mixed line ends', 'none'],
    ['a NUL byte', 'a,b\n1\u0000,2\n', 'a NUL byte', 'none'],
  ])('%s', async (_, body, notPlain, trim) => {
    const file = s.write('x.csv', body);
    const scan = await scanCsvFile('orders', file);
    expect(scan.notPlain).toBe(notPlain);
    if (notPlain === null) expect(scan.trim).toBe(trim);
    expect(scan.hash).toBe(await fileBatchId('orders', file));
  });

  it('refuses bytes that are not UTF-8', async () => {
    const scan = await scanCsvFile('orders', s.write('x.csv', Buffer.from([0x61, 0x2c, 0xc3, 0x28, 0x0a])));
    expect(scan.notPlain).toBe('not strict UTF-8');
  });

  it('judges quotes and characters that straddle a chunk boundary', async () => {
    // `pad` fills the file up to the boundary minus `before` bytes, so the next bytes cross it.
    const at = (before: number, tail: string) => {
      const head = 'a,b\n';
      const pad = 'x'.repeat(CHUNK - head.length - before - 2);
      return `${head}${pad},"${tail}`;
    };
    const doubled = s.write('doubled.csv', at(3, 'ab""cd",2\n')); // the doubled quote sits on the boundary
    expect((await scanCsvFile('orders', doubled)).notPlain).toBeNull();
    const closing = s.write('closing.csv', at(4, 'abc"x,2\n')); // the closing quote is the chunk's last byte
    expect((await scanCsvFile('orders', closing)).notPlain).toBe('text after a closing quote');
    const euro = s.write('euro.csv', at(1, '€",2\n')); // a 3-byte character split by the boundary
    const scan = await scanCsvFile('orders', euro);
    expect(scan).toMatchObject({ notPlain: null, trim: 'none' });
    expect(scan.hash).toBe(await fileBatchId('orders', euro));
  });
});
