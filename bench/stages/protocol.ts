/**
 * The contract between the bench orchestrator (bench/scale.ts) and a stage child (bench/stages/child.ts): the
 * child runs one stage and prints one line `BENCH_STAGE_RESULT {json}` on stdout; everything else it prints is
 * progress. Each stage runs in its own process because a process's peak RSS never goes down: only a fresh
 * process per stage gives an honest per-stage peak.
 */

export const RESULT_PREFIX = 'BENCH_STAGE_RESULT ';

/** Files and warehouses one scale's stages share; all absolute paths. */
export interface StageArgs {
  /** Folder of the generated CSV and Parquet files (`<table>.csv`, `<table>.parquet`). */
  dataDir: string;
  /** The refstack warehouse file the pipeline stages pass along. */
  warehouse: string;
  /** The hand-written DuckDB baseline's own warehouse file. */
  baselineWarehouse: string;
  /** Customers to generate (stage `generate`). */
  customers?: number;
  /** Model names of a mart area (stage `area`). */
  models?: string[];
  /** A baseline SQL file (stage `duckdb-sql`). */
  sqlFile?: string;
  /** Where the site build writes (stage `site-build`). */
  siteDir?: string;
}

export interface StageResult {
  stage: string;
  /** Wall seconds of the stage's work (module loading excluded). */
  seconds: number;
  /** Peak RSS of the stage's process (process.resourceUsage().maxRSS), MiB. */
  peakRssMb: number;
  /** Largest peak RSS among the node processes the stage spawned (site build, loaders), MiB; 0 when none. */
  childPeakRssMb: number;
  detail?: Record<string, unknown>;
}

export const mib = (kib: number): number => Math.round(kib / 1024);
