/** buildSite's checks before it starts Framework (the full build is covered by tests/e2e). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildSite, DASHBOARDS_DIR, previewSite } from '../../src/site/build.js';

describe('buildSite preconditions', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'refstack-build-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names a missing warehouse and how to make one', async () => {
    await expect(buildSite({ warehousePath: join(dir, 'none.duckdb'), outDir: join(dir, 'site') })).rejects.toThrow(
      `warehouse ${join(dir, 'none.duckdb')} does not exist: run \`refstack demo\` or \`refstack run\` first`,
    );
  });

  it('refuses to replace a folder that is not a built site', async () => {
    writeFileSync(join(dir, 'wh.duckdb'), '');
    mkdirSync(join(dir, 'docs'));
    writeFileSync(join(dir, 'docs', 'notes.md'), 'mine');
    await expect(buildSite({ warehousePath: join(dir, 'wh.duckdb'), outDir: join(dir, 'docs') })).rejects.toThrow(
      `site outDir ${join(dir, 'docs')} is not empty and is not a built site (no _observablehq/); refusing to replace it`,
    );
    await expect(buildSite({ warehousePath: join(dir, 'wh.duckdb'), outDir: DASHBOARDS_DIR })).rejects.toThrow(
      'would overwrite the dashboards project',
    );
  });

  it('rejects a schema that is not an identifier', async () => {
    writeFileSync(join(dir, 'wh.duckdb'), '');
    await expect(
      buildSite({ warehousePath: join(dir, 'wh.duckdb'), outDir: join(dir, 'site'), schema: 'x y' }),
    ).rejects.toThrow('site schema: "x y" is not a valid identifier');
  });

  it('will not preview a folder with no built site', async () => {
    await expect(previewSite({ outDir: dir })).rejects.toThrow(`${dir} has no index.html: build the site first`);
  });
});
