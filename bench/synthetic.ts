/**
 * Bench: the synthetic demo generator at several scales (customers), against a same-process baseline that
 * writes the same total number of rows with a plain `create table as select` of a few hashed columns (the
 * least work any generator of that many rows could do). ratio = seconds / baselineSeconds.
 */
import { parseConfig } from '../src/config.js';
import { DuckDBWarehouse } from '../src/warehouse/duckdb.js';
import { generateSynthetic } from '../ingest/synthetic/index.js';
import demoConfigInput from '../refstack.config.js';

export interface SyntheticBenchResult {
  name: string;
  /** Customers generated. */
  scale: number;
  seconds: number;
  /** Rows landed across all tables. */
  rows: number;
  rowsPerSecond: number;
  /** Peak resident set of the process so far (it only grows across scales). */
  peakRssMb: number;
  baselineSeconds: number;
  ratio: number;
}

const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** Seconds to materialize `rows` rows of an id, three hashed uniforms and a padded string id. */
async function baseline(rows: number): Promise<number> {
  const wh = await DuckDBWarehouse.open({ path: ':memory:' });
  try {
    const d = wh.dialect;
    // The index table is materialized first, as the generator does: DuckDB scans range() on one thread.
    await wh.exec(`create temp table idx as select i from range(${rows}) t(i)`);
    const t0 = performance.now();
    await wh.exec(`create table baseline as select i,
      ${d.hashUniform(['1', 'i', "'a'"])} as a, ${d.hashUniform(['1', 'i', "'b'"])} as b, ${d.hashUniform(['1', 'i', "'c'"])} as c,
      'T' || lpad(cast(i as varchar), 10, '0') as id
    from idx`);
    return (performance.now() - t0) / 1000;
  } finally {
    await wh.close();
  }
}

export async function benchSynthetic(scales: number[]): Promise<SyntheticBenchResult[]> {
  const config = parseConfig(demoConfigInput);
  const out: SyntheticBenchResult[] = [];
  for (const scale of scales) {
    const wh = await DuckDBWarehouse.open({ path: ':memory:' });
    let seconds: number;
    let rows: number;
    try {
      const report = await generateSynthetic(wh, {
        customers: scale,
        seed: 1,
        start: config.demo.start,
        months: config.demo.months,
        programs: config.programs,
        reportingCurrency: config.reportingCurrency,
      });
      seconds = report.seconds;
      rows = Object.values(report.rows).reduce((s, n) => s + n, 0);
    } finally {
      await wh.close();
    }
    const baselineSeconds = await baseline(rows);
    out.push({
      name: 'synthetic: generate',
      scale,
      seconds,
      rows,
      rowsPerSecond: rows / seconds,
      peakRssMb: peakRssMb(),
      baselineSeconds,
      ratio: seconds / baselineSeconds,
    });
  }
  return out;
}
