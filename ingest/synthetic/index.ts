/**
 * The seeded synthetic demo generator: writes a realistic referral business straight into the landing
 * tables, with known truths planted (SYNTHETIC_TRUTHS, documented in TRUTHS.md) for later models to recover.
 *
 * Contract:
 * - Everything is generated in SQL (`insert ... select ... from range(n)`), never row by row.
 * - Randomness is a hash of (seed, row key, salt) via `dialect.hashUniform`, so the same seed and options give
 *   byte-identical table contents on any number of threads.
 * - Rows carry `_source = 'synthetic'`, `_batch_id` = a hash of the options, `_row_number` 1-based per table
 *   and `_loaded_at` = the end of observation (deterministic, so reruns are identical).
 * - Scratch tables (`_syn_*`, connection-scoped temp tables) are built first and dropped in `finally`; then one
 *   transaction deletes the previous synthetic rows and inserts the new ones, so a failed rerun leaves the
 *   previous rows in place.
 */
import { log } from '../../src/log.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { ensureLandingSchema, LANDING_TABLE_NAMES, type LandingTable } from '../landing-schema.js';
import { buildLatent } from './latent.js';
import { buildBaseLatent } from './latent-base.js';
import { pickAdvocates } from './advocates.js';
import { insertCustomers } from './customers.js';
import { insertExperimentAssignments, prepareExperimentAssignments } from './experiments.js';
import { insertMarketingSpend } from './marketing-spend.js';
import { insertFxRates } from './fx-rates.js';
import { FRAUD_RING_SIZE, syntheticFraudRing } from './fraud-ring.js';
import { runContext, type SyntheticOptions } from './options.js';
import { insertOrders, prepareOrders } from './orders.js';
import { planPrograms } from './programs.js';
import { insertReferralEvents, prepareReferralEvents } from './referral-events.js';
import { insertEmailEvents, prepareEmailEvents } from './email-events.js';
import { Rng, scratch } from './sql.js';
import type { Gen } from './stage.js';
import { insertSupportInteractions, prepareSupportInteractions } from './support.js';
import { insertSurveyResponses, prepareSurveyResponses } from './survey.js';
import { insertTouches, prepareTouches } from './touches.js';

export type { SyntheticOptions } from './options.js';
export { syntheticOptionsFor } from './options.js';
export { SYNTHETIC_TRUTHS } from './params.js';
export { syntheticFraudRing } from './fraud-ring.js';

export interface SyntheticReport {
  batchId: string;
  /** Rows inserted per landing table. */
  rows: Record<LandingTable, number>;
  /** Wall seconds per stage, in run order. */
  stages: { name: string; seconds: number }[];
  seconds: number;
  /** Gamma draws whose candidates were all rejected and fell back to the mean (expected: 0). */
  gammaFallbacks: number;
  /** Customers whose repeat purchases reached the simulation cap (expected: 0). */
  purchaseCapHits: number;
  /** The planted fraud ring's customer ids. */
  fraudRing: { advocateIds: string[]; refereeIds: string[]; burstAdvocateId: string };
}

/**
 * Stages that build the scratch tables, run before the transaction: DuckDB scans a table created inside the
 * open transaction on one thread, so everything heavy is materialized (and committed) first.
 */
const PREPARE: [string, (g: Gen) => Promise<void>][] = [
  ['latent', buildBaseLatent],
  ['advocates', pickAdvocates],
  ['latent-purchases', buildLatent],
  ['orders-prepare', prepareOrders],
  ['referral-events-prepare', prepareReferralEvents],
  ['email-events-prepare', prepareEmailEvents],
  ['touches-prepare', prepareTouches],
  ['survey-prepare', prepareSurveyResponses],
  ['experiments-prepare', prepareExperimentAssignments],
  ['support-prepare', prepareSupportInteractions],
];

/** Scratch tables the inserts read; the other ones are dropped once everything is prepared, to free memory. */
const READ_BY_INSERTS = ['cust', 'tbase', 'orders', 're', 'email', 'xclick', 'vis', 'survey', 'exp', 'support'];

/** Landing inserts, run inside the transaction after the previous synthetic rows are deleted. */
const INSERT: [LandingTable, (g: Gen) => Promise<void>][] = [
  ['customers', insertCustomers],
  ['orders', insertOrders],
  ['referral_events', insertReferralEvents],
  ['email_events', insertEmailEvents],
  ['touches', insertTouches],
  ['survey_responses', insertSurveyResponses],
  ['experiment_assignments', insertExperimentAssignments],
  ['support_interactions', insertSupportInteractions],
  ['marketing_spend', insertMarketingSpend],
  ['fx_rates', insertFxRates],
];

/**
 * Generates the synthetic demo into the landing tables, replacing earlier synthetic rows.
 * @example await generateSynthetic(wh, { customers: 20_000, seed: 42, start: '2025-01-01', months: 18, programs: config.programs })
 */
export async function generateSynthetic(wh: Warehouse, options: SyntheticOptions): Promise<SyntheticReport> {
  const t0 = performance.now();
  const run = runContext(options, FRAUD_RING_SIZE);
  const g: Gen = {
    wh,
    d: wh.dialect,
    rng: new Rng(wh.dialect, run.options.seed),
    run,
    plan: planPrograms(run.options.programs),
    scratchTables: [],
    rows: Object.fromEntries(LANDING_TABLE_NAMES.map((t) => [t, 0])) as Record<LandingTable, number>,
    counters: { gammaFallbacks: 0, purchaseCapHits: 0 },
  };
  const stages: SyntheticReport['stages'] = [];
  const timed = async (name: string, fn: () => Promise<void>) => {
    log.progress(`synthetic: ${name}...`);
    const s = performance.now();
    await fn();
    stages.push({ name, seconds: (performance.now() - s) / 1000 });
  };
  try {
    await timed('schema', () => ensureLandingSchema(wh, run.rawSchema));
    for (const [name, fn] of PREPARE) await timed(name, () => fn(g));
    const keep = new Set(READ_BY_INSERTS.map((n) => scratch(wh.dialect, n)));
    for (const ref of g.scratchTables.filter((r) => !keep.has(r))) await wh.exec(`drop table if exists ${ref}`);
    await wh.transaction(async () => {
      await timed('delete', async () => {
        for (const table of LANDING_TABLE_NAMES)
          await wh.exec(`delete from ${wh.dialect.tableRef(run.rawSchema, table)} where _source = 'synthetic'`);
      });
      for (const [name, fn] of INSERT) await timed(name, () => fn(g));
    });
  } finally {
    for (const ref of g.scratchTables) await wh.exec(`drop table if exists ${ref}`).catch(() => undefined);
    log.done();
  }
  return {
    batchId: run.batchId,
    rows: g.rows,
    stages,
    seconds: (performance.now() - t0) / 1000,
    gammaFallbacks: g.counters.gammaFallbacks,
    purchaseCapHits: g.counters.purchaseCapHits,
    fraudRing: syntheticFraudRing(options),
  };
}
