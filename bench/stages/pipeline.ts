/**
 * refstack's own stages, each run in a fresh process on the warehouse file the previous stage left: ingest
 * (the canonical CSV loader, file by file), one group of models (staging or a mart area), the site's data
 * loaders, and the site build.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModelRegistry } from '../../src/models/registry.js';
import type { ModelDefinition } from '../../src/models/define-model.js';
import { runModels, type ModelRunResult } from '../../src/models/runner.js';
import { demoConfig } from '../../src/pipeline.js';
import { buildSite } from '../../src/site/build.js';
import { openBenchWarehouse } from './open.js';
import { loadCanonicalCsv } from '../../ingest/canonical-csv/index.js';
import { ensureLandingSchema, LANDING_TABLE_NAMES } from '../../ingest/landing-schema.js';
import { MODELS } from '../../models/index.js';
import { mib } from './protocol.js';

const RSS_HOOK = fileURLToPath(new URL('./rss-hook.mjs', import.meta.url));

/** Files of `dataDir` with this extension, in landing-table order. */
export function dataFiles(dataDir: string, ext: 'csv' | 'parquet'): string[] {
  const present = new Set(readdirSync(dataDir));
  return LANDING_TABLE_NAMES.filter((t) => present.has(`${t}.${ext}`)).map((t) => join(dataDir, `${t}.${ext}`));
}

/** Stage `ingest`: every CSV file through `loadCanonicalCsv` (validated, quarantined, content-hashed). */
export async function ingestCsv(dataDir: string, warehouse: string): Promise<Record<string, unknown>> {
  const config = demoConfig();
  const wh = await openBenchWarehouse(warehouse);
  const perFile: Record<string, { loaded: number; quarantined: number; seconds: number }> = {};
  try {
    for (const file of dataFiles(dataDir, 'csv')) {
      const t0 = performance.now();
      const r = await loadCanonicalCsv(wh, { file, config, onProgress: () => {} });
      perFile[r.table] = { loaded: r.loaded, quarantined: r.quarantined, seconds: (performance.now() - t0) / 1000 };
    }
  } finally {
    await wh.close();
  }
  return { perFile };
}

/**
 * Stage `land-parquet`: the landing tables straight from the Parquet files (no validation). Used instead of
 * `ingest` when `--land parquet` is given, so the model stages can run at scales where the canonical loader
 * would take too long; it is then reported as `land (parquet)`, never as refstack's ingest.
 */
export async function landParquet(dataDir: string, warehouse: string): Promise<Record<string, unknown>> {
  const config = demoConfig();
  const wh = await openBenchWarehouse(warehouse);
  try {
    const d = wh.dialect;
    await ensureLandingSchema(wh, config.schemas.raw);
    for (const file of dataFiles(dataDir, 'parquet')) {
      const table = file.slice(file.lastIndexOf('/') + 1, -'.parquet'.length);
      await wh.exec(
        `insert into ${d.tableRef(config.schemas.raw, table)} by name select * from read_parquet(${d.stringLiteral(file)})`,
      );
    }
  } finally {
    await wh.close();
  }
  return {};
}

/**
 * A registry that builds `timed` as defined and every model they depend on as a no-op stand-in, so a run
 * rebuilds only this group and reads the upstream tables an earlier stage built.
 */
export function groupRegistry(timed: readonly string[]): ModelRegistry {
  const full = new ModelRegistry(MODELS);
  const upstream = full.order([...timed]).filter((m) => !timed.includes(m.name));
  const stubs: ModelDefinition[] = upstream.map((m) => ({ ...m, dependsOn: [], build: () => undefined }));
  return new ModelRegistry([...stubs, ...timed.map((name) => full.get(name))]);
}

/** Stage `area`: one group of models; per-model seconds and rows come back from the runner. */
export async function runGroup(warehouse: string, models: readonly string[]): Promise<Record<string, unknown>> {
  const config = demoConfig();
  const wh = await openBenchWarehouse(warehouse);
  try {
    const { results } = await runModels({ wh, config, registry: groupRegistry(models), select: [...models] });
    const perModel: ModelRunResult[] = results.filter((r) => models.includes(r.model));
    return { perModel };
  } finally {
    await wh.close();
  }
}

/** Environment that makes every node descendant report its peak RSS to `rssFile`. */
export function hookedEnv(rssFile: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const opts = `${process.env['NODE_OPTIONS'] ?? ''} --import ${RSS_HOOK}`.trim();
  return { ...process.env, ...extra, NODE_OPTIONS: opts, REFSTACK_BENCH_RSS_FILE: rssFile };
}

/** The largest peak RSS (MiB) the hooked descendants reported, and how many reported. */
export function childPeak(rssFile: string): { peakRssMb: number; processes: number } {
  let text = '';
  try {
    text = readFileSync(rssFile, 'utf8');
  } catch {
    return { peakRssMb: 0, processes: 0 };
  }
  const kib = text
    .split('\n')
    .filter(Boolean)
    .map((l) => Number(l.split(' ')[1]));
  return { peakRssMb: mib(Math.max(0, ...kib)), processes: kib.length };
}

/**
 * Stage `site-loaders`: every `load*` data function of src/site/*-data.ts (what the dashboards' loaders call), in
 * one process on the warehouse opened read-only, each result serialized to JSON as a loader prints it. Process
 * start-up per loader is left out here; the site build stage pays it.
 */
export async function runSiteLoaders(warehouse: string): Promise<Record<string, unknown>> {
  const siteDir = fileURLToPath(new URL('../../src/site/', import.meta.url));
  const schema = demoConfig().schemas.analytics;
  const perLoader: Record<string, { seconds: number; jsonBytes: number }> = {};
  const wh = await openBenchWarehouse(warehouse, true);
  try {
    for (const file of readdirSync(siteDir)
      .filter((f) => f.endsWith('-data.ts'))
      .sort()) {
      const mod = (await import(join(siteDir, file))) as Record<string, unknown>;
      for (const [name, fn] of Object.entries(mod)) {
        if (!/^load[A-Z]/.test(name) || typeof fn !== 'function') continue;
        const t0 = performance.now();
        const data: unknown = await (fn as (wh: unknown, schema: string) => Promise<unknown>)(wh, schema);
        const jsonBytes = JSON.stringify(data).length;
        perLoader[name] = { seconds: (performance.now() - t0) / 1000, jsonBytes };
      }
    }
  } finally {
    await wh.close();
  }
  return { perLoader };
}

/** Stage `site-build`: `buildSite` (Observable Framework, which runs the loaders itself) into `siteDir`. */
export async function runSiteBuild(
  warehouse: string,
  siteDir: string,
  rssFile: string,
): Promise<Record<string, unknown>> {
  rmSync(siteDir, { recursive: true, force: true });
  mkdirSync(resolve(siteDir, '..'), { recursive: true });
  const saved = { ...process.env };
  Object.assign(process.env, hookedEnv(rssFile, { REFSTACK_QUIET: '1' }));
  try {
    await buildSite({ warehousePath: warehouse, outDir: siteDir, schema: demoConfig().schemas.analytics, quiet: true });
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
  return {};
}
