/**
 * `npm run bench -- --scale 100k[,1m,10m]`: the whole pipeline at a scale, stage by stage, against two baselines
 * on the same files in the same run. Per scale: the synthetic generator's data is written as canonical CSV and
 * Parquet files; then refstack's stages (ingest, staging, one stage per mart area, site data loaders, site
 * build), the hand-written DuckDB SQL of bench/baselines/*.sql and the pandas script bench/baselines/
 * pandas_marts.py each run on them, every refstack and DuckDB stage in a fresh process (wall seconds and peak
 * RSS per stage). Prints a table on stdout and writes bench/results/bench-scale-*.json.
 *
 * Scales: `100k` (100,000 customers), `1m` (1,000,000), `10m` (1,000,000 customers: the generator's touch rate
 * is a planted truth, about 10 touches a customer, so 1M customers already carry about 10M touches), or a plain
 * number of customers (`2000`). Options: `--land parquet` lands raw.* from Parquet instead of timing the
 * canonical CSV loader; `--memory-limit 1GB` sets DuckDB's memory_limit in every DuckDB stage; `--no-pandas`;
 * `--no-site`; `--keep` keeps the scratch folder; `--verbose`.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from '../src/version.js';
import { MODELS } from '../models/index.js';
import { CORE_MODELS, modelGroups } from './stages/areas.js';
import type { StageArgs, StageResult } from './stages/protocol.js';
import { runPython, runStage, type PandasReport } from './stages/spawn.js';
import { formatTable, scalingFactors, type ScaleResult, type StageRow } from './stages/report.js';

const BASELINES = fileURLToPath(new URL('./baselines/', import.meta.url));

export interface ScaleOptions {
  scales: string[];
  land: 'csv' | 'parquet';
  pandas: boolean;
  site: boolean;
  keep: boolean;
  verbose: boolean;
  python: string;
  /** DuckDB memory_limit for every refstack and DuckDB-baseline stage (`--memory-limit 1GB`); default DuckDB's. */
  memoryLimit?: string;
}

/** Customers of a scale name; throws naming the bad value. */
export function customersOf(scale: string): number {
  const m = /^(\d+(?:\.\d+)?)(k|m)?$/i.exec(scale.trim().replaceAll('_', ''));
  if (!m) throw new Error(`--scale: "${scale}" is not a scale (expected 100k, 1m, 10m or a number of customers)`);
  if (scale.toLowerCase() === '10m') return 1_000_000;
  const n = Number(m[1]) * (m[2]?.toLowerCase() === 'm' ? 1e6 : m[2] ? 1e3 : 1);
  if (!Number.isInteger(n) || n < 500) throw new Error(`--scale: "${scale}" must be a whole number of at least 500`);
  return n;
}

/** The baseline SQL files, keyed by the refstack stage they match (`03-attribution.sql` -> attribution). */
function baselineFiles(): [stage: string, file: string][] {
  return readdirSync(BASELINES)
    .filter((f) => /^\d\d-[a-z-]+\.sql$/.test(f))
    .sort()
    .map((f) => [f.slice(3, -4), join(BASELINES, f)]);
}

/** An area split into several groups (see modelGroups) is one stage: seconds add up, peak RSS is the largest. */
export function mergeResults(a: StageResult, b: StageResult): StageResult {
  const models = (r: StageResult) => (r.detail?.['perModel'] as unknown[] | undefined) ?? [];
  return {
    stage: a.stage,
    seconds: a.seconds + b.seconds,
    peakRssMb: Math.max(a.peakRssMb, b.peakRssMb),
    childPeakRssMb: Math.max(a.childPeakRssMb, b.childPeakRssMb),
    detail: { perModel: [...models(a), ...models(b)], groups: ((a.detail?.['groups'] as number) ?? 1) + 1 },
  };
}

function coreSeconds(stage: string, r: StageResult): number | undefined {
  const core = CORE_MODELS[stage];
  const perModel = r.detail?.['perModel'] as { model: string; seconds: number }[] | undefined;
  if (!core || !perModel) return undefined;
  return perModel.filter((m) => core.includes(m.model)).reduce((s, m) => s + m.seconds, 0);
}

async function benchScale(scale: string, o: ScaleOptions): Promise<ScaleResult> {
  const customers = customersOf(scale);
  const dir = mkdtempSync(join(tmpdir(), `refstack-bench-${scale}-`));
  const args: StageArgs = {
    dataDir: join(dir, 'data'),
    warehouse: join(dir, 'refstack.duckdb'),
    baselineWarehouse: join(dir, 'baseline.duckdb'),
    siteDir: join(dir, 'site'),
  };
  mkdirSync(args.dataDir);
  const say = (s: string) => process.stderr.write(`[bench ${scale}] ${s}\n`);
  const stage = async (name: string, extra: Partial<StageArgs> = {}) => {
    const r = await runStage(name, { ...args, ...extra }, o.verbose);
    const what = extra.models
      ? ` ${extra.models[0]}.. (${extra.models.length} models)`
      : extra.sqlFile
        ? ` ${basename(extra.sqlFile)}`
        : '';
    say(`${name}${what}: ${r.seconds.toFixed(2)} s, ${r.peakRssMb} MiB`);
    return r;
  };
  try {
    const floor = await stage('noop');
    say(`generating ${customers.toLocaleString('en-US')} customers into ${args.dataDir}`);
    const generated = await stage('generate', { customers });
    const rows = generated.detail?.['rows'] as Record<string, number>;

    // Each DuckDB baseline stage runs right after the refstack stage it matches, so both see the same load on a
    // shared machine; the baseline's own ingest and staging come first in its order, as refstack's do.
    const baselines = new Map(baselineFiles());
    const rs = new Map<string, StageResult>();
    const duck = new Map<string, StageResult>();
    const timed = async (name: string, run: () => Promise<StageResult>) => {
      const r = await run();
      const before = rs.get(name);
      rs.set(name, before ? mergeResults(before, r) : r);
      const sqlFile = baselines.get(name);
      if (sqlFile && !duck.has(name)) duck.set(name, await stage('duckdb-sql', { sqlFile }));
    };
    await timed('ingest', () => stage(o.land === 'csv' ? 'ingest' : 'land-parquet'));
    for (const g of modelGroups(MODELS)) await timed(g.area, () => stage('area', { models: g.models }));
    if (o.site) {
      rs.set('site-loaders', await stage('site-loaders'));
      rs.set('site-build', await stage('site-build'));
    }
    for (const name of baselines.keys())
      if (!duck.has(name)) say(`baseline ${name} has no refstack stage of that name; not run`);

    let pandas: PandasReport | undefined;
    if (o.pandas) {
      say('pandas baseline');
      pandas = await runPython(o.python, join(BASELINES, 'pandas_marts.py'), args.dataDir);
    }

    const stages: StageRow[] = [...rs.entries()].map(([name, r]) => {
      const row: StageRow = {
        stage: name === 'ingest' && o.land === 'parquet' ? 'land (parquet)' : name,
        refstack: {
          seconds: r.seconds,
          peakRssMb: Math.max(r.peakRssMb, r.childPeakRssMb),
          ...(coreSeconds(name, r) !== undefined ? { coreSeconds: coreSeconds(name, r) } : {}),
          detail: r.detail ?? {},
        },
      };
      const d = duck.get(name);
      if (d) row.duckdb = { seconds: d.seconds, peakRssMb: d.peakRssMb, detail: d.detail ?? {} };
      const p = pandas?.stages[name];
      if (p) row.pandas = p;
      return row;
    });
    return {
      scale,
      customers,
      rows,
      totalRows: Object.values(rows).reduce((s, n) => s + n, 0),
      touchesPerCustomer: (rows['touches'] ?? 0) / customers,
      generate: { seconds: generated.seconds, peakRssMb: generated.peakRssMb, detail: generated.detail ?? {} },
      nodeFloorRssMb: floor.peakRssMb,
      ingest: o.land === 'csv' ? 'canonical-csv' : 'parquet (canonical loader not timed)',
      stages,
      ...(pandas ? { pandasVersion: pandas.pandas } : {}),
    };
  } finally {
    if (o.keep) say(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

export function parseScaleArgs(argv: readonly string[]): ScaleOptions {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const scales = (value('--scale') ?? '100k').split(',').filter(Boolean);
  scales.forEach(customersOf);
  const land = value('--land') ?? 'csv';
  if (land !== 'csv' && land !== 'parquet') throw new Error(`--land: expected csv or parquet, got "${land}"`);
  return {
    scales,
    land,
    pandas: !argv.includes('--no-pandas'),
    site: !argv.includes('--no-site'),
    keep: argv.includes('--keep'),
    verbose: argv.includes('--verbose'),
    python: process.env['REFSTACK_BENCH_PYTHON'] ?? '/usr/bin/python3',
    ...(value('--memory-limit') ? { memoryLimit: value('--memory-limit') } : {}),
  };
}

export async function runScaleBench(o: ScaleOptions): Promise<{ file: string; results: Record<string, unknown> }> {
  const scales: ScaleResult[] = [];
  if (o.memoryLimit) process.env['REFSTACK_BENCH_MEMORY_LIMIT'] = o.memoryLimit;
  for (const s of o.scales) scales.push(await benchScale(s, o));
  const results = {
    startedAt: new Date().toISOString(),
    machine: {
      node: process.version,
      cpus: cpus().length,
      memGiB: Math.round(totalmem() / 2 ** 30),
      cpu: cpus()[0]?.model,
    },
    options: { ...o },
    scales,
    scaling: scalingFactors(scales),
  };
  mkdirSync(resolve(ROOT, 'bench/results'), { recursive: true });
  const file = resolve(ROOT, `bench/results/bench-scale-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2));
  process.stdout.write(formatTable(scales, results.scaling));
  return { file, results };
}

/** `npm run bench -- --scale ...`: runs only this bench and exits (see the file comment). */
export async function scaleCli(argv: readonly string[]): Promise<never> {
  let options: ScaleOptions;
  try {
    options = parseScaleArgs(argv);
  } catch (err) {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  }
  const { file } = await runScaleBench(options);
  process.stderr.write(`wrote ${file}\n`);
  process.exit(0);
}
