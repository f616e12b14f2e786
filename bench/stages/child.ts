/**
 * Entry of one bench stage process: `node --import tsx bench/stages/child.ts <stage> <StageArgs json>`. Runs the
 * stage, then prints `BENCH_STAGE_RESULT {StageResult}` on stdout. The clock starts after the modules are
 * loaded; the peak RSS is the whole process's (Node + tsx alone is reported by the `noop` stage).
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBaselineSql } from './duckdb-sql.js';
import { generateFiles } from './generate.js';
import { childPeak, ingestCsv, landParquet, runGroup, runSiteBuild, runSiteLoaders } from './pipeline.js';
import { mib, RESULT_PREFIX, type StageArgs, type StageResult } from './protocol.js';

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`bench stage: missing ${what}`);
  return value;
}

const [stage = '', json = '{}'] = process.argv.slice(2);
const args = JSON.parse(json) as StageArgs;
const rssFile = join(tmpdir(), `refstack-bench-rss-${randomUUID()}.txt`);

const STAGES: Record<string, () => Promise<Record<string, unknown> | object>> = {
  noop: async () => ({}),
  generate: () => generateFiles(args.dataDir, need(args.customers, 'customers')),
  ingest: () => ingestCsv(args.dataDir, args.warehouse),
  'land-parquet': () => landParquet(args.dataDir, args.warehouse),
  area: () => runGroup(args.warehouse, need(args.models, 'models')),
  'site-loaders': () => runSiteLoaders(args.warehouse),
  'site-build': () => runSiteBuild(args.warehouse, need(args.siteDir, 'siteDir'), rssFile),
  'duckdb-sql': () => runBaselineSql(need(args.sqlFile, 'sqlFile'), args.dataDir, args.baselineWarehouse),
};

const run = STAGES[stage];
if (!run) {
  process.stderr.write(`bench stage: unknown stage "${stage}" (expected one of ${Object.keys(STAGES).join(', ')})\n`);
  process.exit(2);
}
try {
  const t0 = performance.now();
  const detail = (await run()) as Record<string, unknown>;
  const seconds = (performance.now() - t0) / 1000;
  const result: StageResult = {
    stage,
    seconds,
    peakRssMb: mib(process.resourceUsage().maxRSS),
    childPeakRssMb: childPeak(rssFile).peakRssMb,
    detail,
  };
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
} finally {
  rmSync(rssFile, { force: true });
}
