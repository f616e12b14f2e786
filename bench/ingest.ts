/**
 * Bench (issue [B]): `npm run bench -- --ingest [rows]` (default 1,000,000) writes a canonical orders CSV of
 * that many rows (every column of the layout filled, 1 row in 1,000 invalid so the quarantine path runs),
 * then, in this process and each into a fresh file-backed DuckDB, times (1) a bare DuckDB
 * `create table as select * from read_csv(file)` and (2) `loadCanonicalCsv`, refstack's validated,
 * content-hashed, all-or-nothing load of the same file. It prints the ratio (2)/(1) and the peak RSS.
 * `--engine js` times the JS reader instead of the default SQL-first one (`loadCanonicalCsv`'s `engine`).
 */
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import { loadCanonicalCsv, type LoadReport } from '../ingest/canonical-csv/index.js';
import type { CsvEngine } from '../ingest/canonical-csv/load.js';
import { parseConfig } from '../src/config.js';
import { ROOT } from '../src/version.js';
import { DuckDBWarehouse } from '../src/warehouse/duckdb.js';

export interface IngestBenchResult {
  rows: number;
  fileMb: number;
  writeSeconds: number;
  /** Bare DuckDB read_csv into a table. */
  readCsvSeconds: number;
  /** refstack's canonical CSV load of the same file. */
  ingestSeconds: number;
  ratio: number;
  /** CPU seconds (user + system, every thread of the process) of each, and their ratio: steadier on a shared machine. */
  readCsvCpuSeconds: number;
  ingestCpuSeconds: number;
  cpuRatio: number;
  rowsPerSecond: number;
  /** The reader that loaded the file (`sql` or `js`), and why the SQL path declined it. */
  engine: string;
  declined: string | null;
  report: Pick<LoadReport, 'read' | 'loaded' | 'quarantined' | 'reasons'>;
  peakRssMbAfterReadCsv: number;
  peakRssMb: number;
}

const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const cpuSeconds = (start: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1e6;
};

const HEADER =
  'order_id,customer_id,ordered_at,currency,gross_amount,discount_amount,tax_amount,refunded_amount,refunded_at,' +
  'status,referral_code,payment_fingerprint,region,product_line\n';

/** Row i: deterministic values; every 1,000th row has a negative gross (quarantined as negative_amount). */
function row(i: number): string {
  const day = 1 + (i % 28);
  const month = 1 + (i % 12);
  const at = `2025-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:15:00Z`;
  const gross = i % 1000 === 0 ? '-1.00' : `${20 + (i % 400)}.${String(i % 100).padStart(2, '0')}`;
  const refunded = i % 17 === 0;
  return (
    `O-${i},C-${i % 250_000},${at},${i % 5 === 0 ? 'EUR' : 'USD'},${gross},${i % 7 === 0 ? '5.00' : ''},` +
    `${(i % 9) + 1}.50,${refunded ? '3.00' : '0'},${refunded ? at : ''},${refunded ? 'partially_refunded' : 'paid'},` +
    `${i % 11 === 0 ? `REF${i % 5000}` : ''},fp_${i % 100_000},${i % 2 ? 'EMEA' : 'NA'},${i % 3 ? 'core' : 'premium'}\n`
  );
}

async function writeCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write(HEADER);
  let chunk = '';
  for (let i = 1; i <= rows; i++) {
    chunk += row(i);
    if (i % 10_000 === 0) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

export async function benchIngest(rows: number, engine: CsvEngine = 'auto'): Promise<IngestBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'refstack-bench-ingest-'));
  try {
    const file = join(dir, 'orders.csv');
    let t = process.hrtime.bigint();
    await writeCsv(file, rows);
    const writeSeconds = seconds(t);

    const bare = await DuckDBWarehouse.open({ path: join(dir, 'bare.duckdb') });
    let cpu = process.cpuUsage();
    t = process.hrtime.bigint();
    await bare.exec(
      `create table orders as select * from read_csv(${bare.dialect.stringLiteral(file)}, header = true)`,
    );
    const readCsvSeconds = seconds(t);
    const readCsvCpuSeconds = cpuSeconds(cpu);
    await bare.close();
    const peakRssMbAfterReadCsv = peakRssMb();

    const wh = await DuckDBWarehouse.open({ path: join(dir, 'refstack.duckdb') });
    cpu = process.cpuUsage();
    t = process.hrtime.bigint();
    const used = { engine: '', declined: null as string | null };
    const report = await loadCanonicalCsv(wh, {
      file,
      config: parseConfig({}),
      onProgress: () => {},
      engine,
      onEngine: (e, why) => Object.assign(used, { engine: e, declined: why }),
    });
    const ingestSeconds = seconds(t);
    const ingestCpuSeconds = cpuSeconds(cpu);
    await wh.close();
    return {
      rows,
      fileMb: Math.round(statSync(file).size / 1e5) / 10,
      writeSeconds,
      readCsvSeconds,
      ingestSeconds,
      ratio: ingestSeconds / readCsvSeconds,
      readCsvCpuSeconds,
      ingestCpuSeconds,
      cpuRatio: ingestCpuSeconds / readCsvCpuSeconds,
      rowsPerSecond: rows / ingestSeconds,
      ...used,
      report: { read: report.read, loaded: report.loaded, quarantined: report.quarantined, reasons: report.reasons },
      peakRssMbAfterReadCsv,
      peakRssMb: peakRssMb(),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function ingestCli(argv: readonly string[]): Promise<never> {
  const raw = argv[argv.indexOf('--ingest') + 1];
  const rows = raw && !raw.startsWith('--') ? Number(raw.replaceAll('_', '')) : 1_000_000;
  if (!Number.isInteger(rows) || rows <= 0) {
    process.stderr.write(`error: --ingest expects a positive whole number of rows, got "${raw}"\n`);
    process.exit(2);
  }
  const engineArg = argv.includes('--engine') ? argv[argv.indexOf('--engine') + 1] : 'auto';
  if (engineArg !== 'auto' && engineArg !== 'js') {
    process.stderr.write(`error: --engine expects auto or js, got "${engineArg}"\n`);
    process.exit(2);
  }
  const r = await benchIngest(rows, engineArg);
  process.stderr.write(
    `ingest ${rows.toLocaleString('en-US')} canonical order rows (${r.fileMb} MB): read_csv ${r.readCsvSeconds.toFixed(2)}s, ` +
      `refstack (${r.engine} reader) ${r.ingestSeconds.toFixed(2)}s (${Math.round(r.rowsPerSecond).toLocaleString('en-US')} rows/s), ` +
      `x${r.ratio.toFixed(1)} read_csv (CPU ${r.ingestCpuSeconds.toFixed(1)}s vs ${r.readCsvCpuSeconds.toFixed(1)}s: x${r.cpuRatio.toFixed(1)}); ` +
      `${r.report.loaded} loaded, ${r.report.quarantined} quarantined; ` +
      `peak RSS ${r.peakRssMbAfterReadCsv} MB after read_csv, ${r.peakRssMb} MB after refstack\n`,
  );
  const results = { node: process.version, cpus: cpus().length, ingest: r };
  mkdirSync(resolve(ROOT, 'bench/results'), { recursive: true });
  const out = resolve(ROOT, `bench/results/bench-ingest-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(out, JSON.stringify(results, null, 2));
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  process.stderr.write(`wrote ${out}\n`);
  process.exit(0);
}
