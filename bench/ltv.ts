/**
 * Bench (issue [D]): the BG/NBD fit at scale. `npm run bench -- --ltv [customers]` (default 1,000,000) simulates
 * that many customers from the demo's non-referred BG/NBD truth (SYNTHETIC_TRUTHS.bgnbd.non_referred, weeks),
 * each with a first purchase uniform over the demo's 546 days, and lands one row per customer (x, and t_x and T in
 * whole days, as customer-summary.ts computes them) in a file-backed temp DuckDB. It then times what
 * ltv_model_fit does: SQL compresses the customers to distinct (x, t_x, T) triples with counts (at day
 * resolution, and at ltv.resolutionDays = 7), and the maximum-likelihood fit runs on the triples in TS. It
 * reports the triple counts, the times, the fitted parameters against the truth and the peak memory.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ROOT } from '../src/version.js';
import { DuckDBWarehouse } from '../src/warehouse/duckdb.js';
import type { ColumnDef } from '../src/warehouse/dialect.js';
import { SYNTHETIC_TRUTHS } from '../ingest/synthetic/params.js';
import { fitBgNbd, type BgNbdParams } from '../models/stats/bg-nbd.js';

export interface LtvBenchResult {
  customers: number;
  truth: BgNbdParams;
  simulateAndLoadSeconds: number;
  /** resolutionDays 1 (whole days) and 7. */
  resolutions: {
    resolutionDays: number;
    /** Distinct (x, t_x, T) triples SQL returned: all the fit ever sees. */
    triples: number;
    compressionRatio: number;
    sqlSeconds: number;
    fitSeconds: number;
    fit: BgNbdParams & { logLikelihood: number; converged: boolean };
  }[];
  peakRssMb: number;
}

const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

/** mulberry32: a small, well-mixed 32-bit PRNG; a uniform in (0, 1). */
function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
}

/** Gamma(shape, 1): Marsaglia & Tsang (2000), with the u^(1/shape) boost below shape 1. */
function gamma(u: () => number, shape: number): number {
  if (shape < 1) return gamma(u, shape + 1) * Math.pow(u(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    if (Math.log(u()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/**
 * One row per customer: [x (repeat purchases), tx_days, t_days], BG/NBD in weeks; t_x is floored to whole days (T
 * is drawn in whole days), the only rounding, so the fit should recover the truth within its standard errors.
 */
function* simulate(params: BgNbdParams, customers: number, windowDays: number, seed: number): Generator<number[]> {
  const u = mulberry32(seed);
  for (let i = 0; i < customers; i++) {
    const tDays = Math.floor(u() * windowDays);
    const lambda = gamma(u, params.r) / params.alpha;
    const g = gamma(u, params.a);
    const p = g / (g + gamma(u, params.b));
    let t = 0;
    let x = 0;
    let txDays = 0;
    for (;;) {
      t += -Math.log(u()) / lambda;
      if (t * 7 > tDays) break;
      x++;
      txDays = Math.floor(t * 7);
      if (u() < p) break;
    }
    yield [x, txDays, tDays];
  }
}

const COLUMNS: ColumnDef[] = [
  { name: 'x', type: 'int64' },
  { name: 'tx_days', type: 'int64' },
  { name: 't_days', type: 'int64' },
];

export async function benchLtv(customers: number): Promise<LtvBenchResult> {
  const truth = SYNTHETIC_TRUTHS.bgnbd.non_referred;
  const dir = join(tmpdir(), `refstack-bench-ltv-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const wh = await DuckDBWarehouse.open({ path: join(dir, 'bench.duckdb') });
  try {
    let start = process.hrtime.bigint();
    await wh.exec('create table main.ltv_bench (x bigint, tx_days bigint, t_days bigint)');
    await wh.appendRows('main', 'ltv_bench', COLUMNS, simulate(truth, customers, 546, 20251123));
    const simulateAndLoadSeconds = seconds(start);
    const resolutions: LtvBenchResult['resolutions'] = [];
    for (const r of [1, 7]) {
      const snap = (col: string) => (r === 1 ? col : `cast(round(${col} / ${r}.0) as bigint) * ${r}`);
      start = process.hrtime.bigint();
      // The same shape of query as models/marts/ltv/sufficient-stats.ts fetchTriples.
      const rows = await wh.query<{ x: number; tx_days: number; t_days: number; n: number }>(
        `select x, ${snap('tx_days')} as tx_days, ${snap('t_days')} as t_days, count(*) as n
         from main.ltv_bench group by 1, 2, 3 order by 1, 2, 3`,
      );
      const sqlSeconds = seconds(start);
      start = process.hrtime.bigint();
      const fit = fitBgNbd(
        rows.map((t) => ({ x: Number(t.x), tx: Number(t.tx_days) / 7, T: Number(t.t_days) / 7, count: Number(t.n) })),
      );
      const fitSeconds = seconds(start);
      resolutions.push({
        resolutionDays: r,
        triples: rows.length,
        compressionRatio: customers / rows.length,
        sqlSeconds,
        fitSeconds,
        fit: {
          r: fit.r,
          alpha: fit.alpha,
          a: fit.a,
          b: fit.b,
          logLikelihood: fit.logLikelihood,
          converged: fit.converged,
        },
      });
    }
    return { customers, truth, simulateAndLoadSeconds, resolutions, peakRssMb: peakRssMb() };
  } finally {
    await wh.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function ltvCli(argv: readonly string[]): Promise<never> {
  const raw = argv[argv.indexOf('--ltv') + 1];
  const customers = raw && !raw.startsWith('--') ? Number(raw.replaceAll('_', '')) : 1_000_000;
  if (!Number.isInteger(customers) || customers <= 0) {
    process.stderr.write(`error: --ltv expects a positive whole number of customers, got "${raw}"\n`);
    process.exit(2);
  }
  const r = await benchLtv(customers);
  const f = (x: number) => x.toFixed(3);
  process.stderr.write(
    `ltv ${customers.toLocaleString('en-US')} customers: simulated and loaded in ${r.simulateAndLoadSeconds.toFixed(2)}s\n`,
  );
  for (const s of r.resolutions)
    process.stderr.write(
      `  resolution ${s.resolutionDays} day(s): ${s.triples.toLocaleString('en-US')} distinct (x, t_x, T) triples ` +
        `(x${Math.round(s.compressionRatio)} fewer rows), SQL ${s.sqlSeconds.toFixed(2)}s, fit ${s.fitSeconds.toFixed(2)}s: ` +
        `r ${f(s.fit.r)} alpha ${f(s.fit.alpha)} a ${f(s.fit.a)} b ${f(s.fit.b)} (truth ${f(r.truth.r)} ${f(r.truth.alpha)} ${f(r.truth.a)} ${f(r.truth.b)})` +
        `${s.fit.converged ? '' : ' NOT CONVERGED'}\n`,
    );
  process.stderr.write(`  peak ${r.peakRssMb} MB\n`);
  const results = { node: process.version, cpus: cpus().length, ltv: r };
  mkdirSync(resolve(ROOT, 'bench/results'), { recursive: true });
  const file = resolve(ROOT, `bench/results/bench-ltv-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2));
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  process.stderr.write(`wrote ${file}\n`);
  process.exit(0);
}
