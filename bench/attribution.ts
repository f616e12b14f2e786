/**
 * Bench (issue [C]): the attribution marts over synthetic touches, against a same-process baseline of a
 * hand-written DuckDB query doing last-touch and linear credit on the same stg_touches and
 * attribution_conversions tables (the least work any attribution of those conversions could do).
 * ratio = seconds / baselineSeconds. Run with `npm run bench -- --attribution 870000` (about 10M touches).
 *
 * The data lives in a file-backed temp DuckDB (as a real warehouse would), deleted afterwards.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ModelDefinition } from '../src/models/define-model.js';
import { ModelRegistry } from '../src/models/registry.js';
import { runModels, type ModelRunResult } from '../src/models/runner.js';
import { demoConfig } from '../src/pipeline.js';
import { ROOT } from '../src/version.js';
import { DuckDBWarehouse } from '../src/warehouse/duckdb.js';
import { ensureLandingSchema } from '../ingest/landing-schema.js';
import { generateSynthetic } from '../ingest/synthetic/index.js';
import { MODELS } from '../models/index.js';

/** The attribution marts this bench times, after stg_touches and attribution_conversions are built. */
export const ATTRIBUTION_BENCH_MODELS = [
  'attribution_journeys',
  'attribution_channel_weights',
  'attribution_credit',
  'attribution_summary',
  'attribution_reconciliation',
] as const;

export interface AttributionBenchResult {
  name: string;
  /** Customers generated. */
  scale: number;
  /** Rows of stg_touches. */
  touches: number;
  conversions: number;
  /** Rows of attribution_journeys (conversion x eligible touch). */
  journeyRows: number;
  /** Rows the baseline found eligible; equal to journeyRows when both apply the same lookback rule. */
  baselineJourneyRows: number;
  generateSeconds: number;
  /** Building every model up to stg_touches and attribution_conversions (not part of the ratio). */
  upstreamSeconds: number;
  /** Wall time of the five attribution models. */
  seconds: number;
  baselineSeconds: number;
  ratio: number;
  perModel: ModelRunResult[];
  /** Peak resident set of the process after generation and the upstream models, before anything timed. */
  upstreamPeakRssMb: number;
  /** Peak resident set of the process at the end (it only grows; includes DuckDB's buffer pool). */
  peakRssMb: number;
}

const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

/**
 * A registry with the timed models as defined and every model they depend on replaced by a no-op stand-in, so
 * `runModels` rebuilds only the timed models and reads the upstream tables already built.
 */
function timedRegistry(timed: readonly string[]): ModelRegistry {
  const full = new ModelRegistry(MODELS);
  const upstream = full.order(timed).filter((m) => !timed.includes(m.name));
  const stubs: ModelDefinition[] = upstream.map((m) => ({ ...m, dependsOn: [], build: () => undefined }));
  return new ModelRegistry([...stubs, ...timed.map((name) => full.get(name))]);
}

/**
 * The hand-written baseline: eligible touches per conversion (same person, strictly before the conversion, within
 * the default lookback: 30 days for clicks and visits, 1 day for views, as attribution_journeys' default rule set),
 * then last-touch (latest touch, ties by touch id) and linear (1 / touches) credit, each materialized as a table.
 * Linear revenue is split in integer minor units that sum exactly to the order's revenue (telescoping floor
 * divisions), as attribution_credit does; there is no referral-code override or data-driven model here.
 */
function baselineSql(analytics: string): string[] {
  return [
    `create or replace temp table bench_eligible as
select c.order_id, t.touch_id, t.channel_group as channel, c.revenue_minor,
  row_number() over (partition by c.order_id order by t.occurred_at desc, t.touch_id desc) as rn,
  count(*) over (partition by c.order_id) as n
from ${analytics}.attribution_conversions c
join ${analytics}.stg_touches t
  on t.person_id = c.person_id and t.occurred_at < c.converted_at
  and t.occurred_at >= c.converted_at - (case when t.touch_type = 'view' then interval 1 day else interval 30 day end)
  and t.touch_type in ('click', 'view', 'visit')`,
    `create or replace temp table bench_last_touch as
select order_id, touch_id, channel, 1.0 as credit, revenue_minor as revenue_credit_minor
from bench_eligible where rn = 1`,
    `create or replace temp table bench_linear as
select order_id, touch_id, channel, 1.0 / n as credit,
  (revenue_minor * rn) // n - (revenue_minor * (rn - 1)) // n as revenue_credit_minor
from bench_eligible`,
  ];
}

async function count(wh: DuckDBWarehouse, table: string): Promise<number> {
  const rows = await wh.query<{ n: number | bigint }>(`select count(*) as n from ${table}`);
  return Number(rows[0]?.n ?? 0);
}

export async function benchAttribution(customers: number): Promise<AttributionBenchResult> {
  const config = demoConfig();
  const analytics = config.schemas.analytics;
  const path = join(tmpdir(), `refstack-bench-attribution-${process.pid}-${Date.now()}.duckdb`);
  const wh = await DuckDBWarehouse.open({ path });
  try {
    await ensureLandingSchema(wh, config.schemas.raw);
    const generated = await generateSynthetic(wh, {
      customers,
      seed: 1,
      start: config.demo.start,
      months: config.demo.months,
      programs: config.programs,
      rawSchema: config.schemas.raw,
      reportingCurrency: config.reportingCurrency,
    });

    const u0 = performance.now();
    await runModels({
      wh,
      config,
      registry: new ModelRegistry(MODELS),
      select: ['stg_touches', 'attribution_conversions'],
    });
    const upstreamSeconds = (performance.now() - u0) / 1000;
    const touches = await count(wh, `${analytics}.stg_touches`);
    const conversions = await count(wh, `${analytics}.attribution_conversions`);
    const upstreamPeakRssMb = peakRssMb();

    // Baseline first, so any warm-up (reading the upstream tables from disk into the buffer pool) is its cost.
    const b0 = performance.now();
    for (const sql of baselineSql(analytics)) await wh.exec(sql);
    const baselineSeconds = (performance.now() - b0) / 1000;
    const baselineJourneyRows = await count(wh, 'bench_eligible');

    const t0 = performance.now();
    const { results } = await runModels({
      wh,
      config,
      registry: timedRegistry(ATTRIBUTION_BENCH_MODELS),
      select: [...ATTRIBUTION_BENCH_MODELS],
    });
    const seconds = (performance.now() - t0) / 1000;
    const journeyRows = await count(wh, `${analytics}.attribution_journeys`);

    return {
      name: 'attribution: marts',
      scale: customers,
      touches,
      conversions,
      journeyRows,
      baselineJourneyRows,
      generateSeconds: generated.seconds,
      upstreamSeconds,
      seconds,
      baselineSeconds,
      ratio: seconds / baselineSeconds,
      upstreamPeakRssMb,
      perModel: results.filter((r) => (ATTRIBUTION_BENCH_MODELS as readonly string[]).includes(r.model)),
      peakRssMb: peakRssMb(),
    };
  } finally {
    await wh.close();
    for (const suffix of ['', '.wal']) rmSync(`${path}${suffix}`, { force: true });
  }
}

/**
 * `npm run bench -- --attribution [customers]` (default 870000, about 10M touches): runs only this bench, prints a
 * line on stderr and JSON on stdout, writes bench/results/bench-attribution-*.json, and exits.
 */
export async function attributionCli(argv: readonly string[]): Promise<never> {
  const raw = argv[argv.indexOf('--attribution') + 1];
  const customers = raw && !raw.startsWith('--') ? Number(raw.replaceAll('_', '')) : 870_000;
  if (!Number.isInteger(customers) || customers <= 0) {
    process.stderr.write(`error: --attribution expects a positive whole number of customers, got "${raw}"\n`);
    process.exit(2);
  }
  const r = await benchAttribution(customers);
  process.stderr.write(
    `${r.name} ${customers} customers, ${r.touches.toLocaleString('en-US')} touches: ${r.seconds.toFixed(2)}s vs ` +
      `baseline ${r.baselineSeconds.toFixed(2)}s  x${r.ratio.toFixed(2)}  peak ${r.peakRssMb} MB\n`,
  );
  const results = { node: process.version, cpus: cpus().length, attribution: r };
  mkdirSync(resolve(ROOT, 'bench/results'), { recursive: true });
  const file = resolve(ROOT, `bench/results/bench-attribution-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2));
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  process.stderr.write(`wrote ${file}\n`);
  process.exit(0);
}
