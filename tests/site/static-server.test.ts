/** startStaticServer on a temp folder: clean URLs, index files, 404s, and no escape from the root. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer, type StaticServer } from '../../src/site/static-server.js';

/** A raw GET (fetch would normalize `..` away before sending). */
function get(server: StaticServer, path: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('startStaticServer', () => {
  let dir: string;
  let server: StaticServer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'refstack-static-'));
    const root = join(dir, 'site');
    mkdirSync(join(root, 'sub'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<p>home</p>');
    writeFileSync(join(root, 'page.html'), '<p>page</p>');
    writeFileSync(join(root, 'sub', 'index.html'), '<p>sub</p>');
    writeFileSync(join(root, 'app.js'), 'export {}');
    writeFileSync(join(dir, 'secret.txt'), 'outside');
    server = await startStaticServer({ root });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('listens on loopback on a free port', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.port).toBeGreaterThan(0);
  });

  it('serves files, extensionless pages and folder indexes with their content types', async () => {
    expect(await get(server, '/')).toMatchObject({
      status: 200,
      body: '<p>home</p>',
      type: 'text/html; charset=utf-8',
    });
    expect(await get(server, '/page')).toMatchObject({ status: 200, body: '<p>page</p>' });
    expect(await get(server, '/sub/')).toMatchObject({ status: 200, body: '<p>sub</p>' });
    expect(await get(server, '/app.js?v=1')).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8' });
  });

  it('answers 404 for missing files and for paths outside the root', async () => {
    expect((await get(server, '/nope')).status).toBe(404);
    expect((await get(server, '/../secret.txt')).status).toBe(404);
    expect((await get(server, '/%2e%2e/secret.txt')).status).toBe(404);
  });
});
