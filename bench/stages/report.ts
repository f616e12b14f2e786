/** Result shapes of the scale bench, the ratios between refstack and the baselines, and the stdout table. */

export interface Measured {
  seconds: number;
  peakRssMb: number;
}

export interface StageRow {
  stage: string;
  /** coreSeconds: the models of the stage that do the baseline's work (CORE_MODELS), from the runner's timings. */
  refstack: Measured & { coreSeconds?: number; detail: Record<string, unknown> };
  duckdb?: Measured & { detail: Record<string, unknown> };
  /** pandas's peak RSS is its process's so far: it only grows from stage to stage. */
  pandas?: Measured & { rows?: number };
}

export interface ScaleResult {
  scale: string;
  customers: number;
  rows: Record<string, number>;
  totalRows: number;
  touchesPerCustomer: number;
  generate: Measured & { detail: Record<string, unknown> };
  /** Peak RSS of a stage process that does nothing (Node + tsx + the bench's imports). */
  nodeFloorRssMb: number;
  ingest: string;
  stages: StageRow[];
  pandasVersion?: string;
}

export interface Ratios {
  /** refstack seconds / DuckDB baseline seconds: whole stage, and its core models only. */
  refstackVsDuckdb?: number;
  refstackCoreVsDuckdb?: number;
  /** pandas seconds / refstack seconds: whole stage, and its core models only. */
  pandasVsRefstack?: number;
  pandasVsRefstackCore?: number;
}

export function ratios(row: StageRow): Ratios {
  const r: Ratios = {};
  // `--land parquet` copies Parquet into raw.* while the baselines parse the CSV files: not the same work.
  if (row.stage === 'land (parquet)') return r;
  const core = row.refstack.coreSeconds;
  if (row.duckdb) {
    r.refstackVsDuckdb = row.refstack.seconds / row.duckdb.seconds;
    if (core !== undefined) r.refstackCoreVsDuckdb = core / row.duckdb.seconds;
  }
  if (row.pandas) {
    r.pandasVsRefstack = row.pandas.seconds / row.refstack.seconds;
    if (core !== undefined) r.pandasVsRefstackCore = row.pandas.seconds / core;
  }
  return r;
}

/** Sum of the stages that have a DuckDB baseline: refstack whole stages, refstack core models, DuckDB, pandas. */
export function matchedTotals(s: ScaleResult): {
  refstack: number;
  refstackCore: number;
  duckdb: number;
  pandas: number;
} {
  const m = s.stages.filter((r) => r.duckdb && r.stage !== 'land (parquet)');
  const sum = (f: (r: StageRow) => number) => m.reduce((t, r) => t + f(r), 0);
  return {
    refstack: sum((r) => r.refstack.seconds),
    refstackCore: sum((r) => r.refstack.coreSeconds ?? r.refstack.seconds),
    duckdb: sum((r) => r.duckdb?.seconds ?? 0),
    pandas: sum((r) => r.pandas?.seconds ?? 0),
  };
}

export interface Scaling {
  from: string;
  to: string;
  /** Landing rows to / landing rows from. */
  dataFactor: number;
  /** Per stage (and `total`): refstack seconds to / seconds from. */
  timeFactor: Record<string, number>;
}

export function scalingFactors(scales: readonly ScaleResult[]): Scaling[] {
  const out: Scaling[] = [];
  for (let i = 1; i < scales.length; i++) {
    const [a, b] = [scales[i - 1], scales[i]] as [ScaleResult, ScaleResult];
    const timeFactor: Record<string, number> = {};
    for (const row of b.stages) {
      const before = a.stages.find((r) => r.stage === row.stage);
      if (before) timeFactor[row.stage] = row.refstack.seconds / before.refstack.seconds;
    }
    const total = (s: ScaleResult) => s.stages.reduce((t, r) => t + r.refstack.seconds, 0);
    timeFactor['total'] = total(b) / total(a);
    out.push({ from: a.scale, to: b.scale, dataFactor: b.totalRows / a.totalRows, timeFactor });
  }
  return out;
}

const f2 = (n: number | undefined) => (n === undefined ? '-' : n < 10 ? n.toFixed(2) : n.toFixed(1));
const fx = (n: number | undefined) => (n === undefined ? '-' : `${n.toFixed(2)}x`);
const mb = (n: number | undefined) => (n === undefined ? '-' : String(n));

export function formatTable(scales: readonly ScaleResult[], scaling: readonly Scaling[]): string {
  const lines: string[] = [];
  const head = [
    'stage',
    'refstack s',
    'core s',
    'duckdb s',
    'pandas s',
    'rs/duck',
    'core/duck',
    'pandas/rs',
    'pandas/core',
  ];
  const rss = ['RSS rs MiB', 'duck MiB', 'pandas MiB'];
  const widths = [16, 10, 8, 8, 8, 8, 9, 9, 11, 10, 8, 10];
  const fmt = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 10) : c.padStart(widths[i] ?? 10))).join(' ');
  for (const s of scales) {
    lines.push(
      `\n== ${s.scale}: ${s.customers.toLocaleString('en-US')} customers, ${s.totalRows.toLocaleString('en-US')} landing rows ` +
        `(${(s.rows['touches'] ?? 0).toLocaleString('en-US')} touches, ${(s.rows['orders'] ?? 0).toLocaleString('en-US')} orders); ` +
        `generate ${f2(s.generate.seconds)} s; node floor ${s.nodeFloorRssMb} MiB; ingest: ${s.ingest}`,
    );
    lines.push(fmt([...head, ...rss]));
    for (const row of s.stages) {
      const r = ratios(row);
      lines.push(
        fmt([
          row.stage,
          f2(row.refstack.seconds),
          f2(row.refstack.coreSeconds),
          f2(row.duckdb?.seconds),
          f2(row.pandas?.seconds),
          fx(r.refstackVsDuckdb),
          fx(r.refstackCoreVsDuckdb),
          fx(r.pandasVsRefstack),
          fx(r.pandasVsRefstackCore),
          mb(row.refstack.peakRssMb),
          mb(row.duckdb?.peakRssMb),
          mb(row.pandas?.peakRssMb),
        ]),
      );
    }
    const t = matchedTotals(s);
    const all = s.stages.reduce((x, r) => x + r.refstack.seconds, 0);
    lines.push(
      fmt([
        'matched total',
        f2(t.refstack),
        f2(t.refstackCore),
        f2(t.duckdb),
        f2(t.pandas || undefined),
        fx(t.refstack / t.duckdb),
        fx(t.refstackCore / t.duckdb),
        t.pandas ? fx(t.pandas / t.refstack) : '-',
        t.pandas ? fx(t.pandas / t.refstackCore) : '-',
        mb(Math.max(...s.stages.map((r) => r.refstack.peakRssMb))),
        mb(Math.max(0, ...s.stages.map((r) => r.duckdb?.peakRssMb ?? 0))),
        mb(Math.max(0, ...s.stages.map((r) => r.pandas?.peakRssMb ?? 0))),
      ]),
    );
    lines.push(`refstack all stages: ${f2(all)} s`);
  }
  for (const sc of scaling) {
    const parts = Object.entries(sc.timeFactor).map(([k, v]) => `${k} ${v.toFixed(2)}x`);
    lines.push(`\nscaling ${sc.from} -> ${sc.to}: data ${sc.dataFactor.toFixed(2)}x; time ${parts.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}
