/** The dist scanner the browser tests rely on must see a CDN URL when there is one. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { externalUrls, piiFindings, scannedFileCount } from './fixtures/dist-scan.js';

describe('externalUrls', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reports CDN and other absolute URLs in html, js and css, and allows XML namespace names', () => {
    dir = mkdtempSync(join(tmpdir(), 'refstack-scan-'));
    mkdirSync(join(dir, '_npm'));
    writeFileSync(
      join(dir, 'index.html'),
      '<link href="https://fonts.googleapis.com/css2?family=X"><svg xmlns="http://www.w3.org/2000/svg">',
    );
    writeFileSync(
      join(dir, '_npm', 'a.js'),
      'import("https://cdn.jsdelivr.net/npm/d3@7/+esm"); const ns = "http://www.w3.org/1999/xhtml";',
    );
    writeFileSync(join(dir, 'style.css'), '@import url(https://observablehq.com/x.css);');
    writeFileSync(join(dir, 'data.bin'), 'https://ignored.example/');
    expect(scannedFileCount(dir)).toBe(3);
    expect(externalUrls(dir).sort()).toEqual([
      '_npm/a.js: https://cdn.jsdelivr.net/npm/d3@7/+esm',
      'index.html: https://fonts.googleapis.com/css2?family=X',
      'style.css: https://observablehq.com/x.css',
    ]);
  });

  it('finds emails and IPv4/IPv6 addresses in pages and data, not in bundled library code', () => {
    dir = mkdtempSync(join(tmpdir(), 'refstack-scan-'));
    mkdirSync(join(dir, '_file', 'data'), { recursive: true });
    mkdirSync(join(dir, '_npm'));
    writeFileSync(join(dir, 'fraud.html'), '<td>ann@example.com</td><td>adv_3f9c1a7b</td><td>version 1.2.3</td>');
    writeFileSync(
      join(dir, '_file', 'data', 'queue.json'),
      '{"ip":"203.0.113.7","v6":"2001:0db8:0000:0000:0000:ff00:0042:8329","n":"10.5","score":"0.91"}',
    );
    writeFileSync(join(dir, '_npm', 'lib.js'), 'const a = "user@example.com"; const ip = "127.0.0.1";');
    expect(piiFindings(dir).sort()).toEqual([
      '_file/data/queue.json: 2001:0db8:0000:0000:0000:ff00:0042:8329',
      '_file/data/queue.json: 203.0.113.7',
      'fraud.html: ann@example.com',
    ]);
  });
});
