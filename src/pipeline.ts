/**
 * The main job, as functions the CLI and the tests share: synthetic data -> landing -> all models, and the
 * demo on top of it (-> built site).
 */
import { resolve } from 'node:path';
import type { RefstackConfig } from './config.js';
import { log } from './log.js';
import { runModels, type ModelRunResult } from './models/runner.js';
import { openWarehouse } from './warehouse/open.js';
import { ensureLandingSchema } from '../ingest/landing-schema.js';
import { generateSynthetic, syntheticOptionsFor } from '../ingest/synthetic/index.js';
import { defaultRegistry } from '../models/index.js';
import { assignCodes } from '../activate/codes/assign.js';
import { parseConfig } from './config.js';
import demoConfigInput from '../refstack.config.js';

export interface DemoWarehouseOptions {
  warehousePath: string;
  customers: number;
  seed: number;
  /** Defaults to the built-in defaults with the demo's three programs. */
  config?: RefstackConfig;
}

export interface DemoWarehouseReport {
  warehousePath: string;
  generated: Record<string, number>;
  generateSeconds: number;
  models: ModelRunResult[];
  modelSeconds: number;
}

/** The config the demo uses when none is given: the repository's `refstack.config.ts`. */
export function demoConfig(): RefstackConfig {
  return parseConfig(demoConfigInput, 'refstack.config.ts');
}

/** Generates synthetic landing data into the warehouse file and runs every model on it. */
export async function buildDemoWarehouse(options: DemoWarehouseOptions): Promise<DemoWarehouseReport> {
  const config = options.config ?? demoConfig();
  const warehousePath = options.warehousePath === ':memory:' ? ':memory:' : resolve(options.warehousePath);
  const wh = await openWarehouse(config, { pathOverride: warehousePath });
  try {
    await ensureLandingSchema(wh, config.schemas.raw);
    const t0 = performance.now();
    log.info(`generating ${options.customers.toLocaleString('en-US')} synthetic customers (seed ${options.seed})...`);
    const generated = await generateSynthetic(wh, syntheticOptionsFor(config, options.customers, options.seed));
    const generateSeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    log.info('running models...');
    const registry = defaultRegistry();
    const { results } = await runModels({ wh, config, registry });
    // The demo also does what a team does after its first run: give every advocate a referral code, so the
    // activation audiences (invitations, milestone nudges) carry codes and links. Then rebuild just that mart.
    const codes = await assignCodes(wh, config);
    log.info(`referral codes: ${codes.generated + codes.adopted} assigned to ${codes.eligible} eligible advocates`);
    const { results: rebuilt } = await runModels({
      wh,
      config,
      registry,
      select: ['activation_audiences'],
      exact: true,
    });
    const byName = new Map(results.map((r) => [r.model, r] as const));
    for (const r of rebuilt) byName.set(r.model, r);
    return {
      warehousePath,
      generated: generated.rows,
      generateSeconds,
      models: [...byName.values()],
      modelSeconds: (performance.now() - t1) / 1000,
    };
  } finally {
    await wh.close();
  }
}
