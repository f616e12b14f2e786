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
import { generateSynthetic } from '../ingest/synthetic/index.js';
import { defaultRegistry } from '../models/index.js';
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
    const generated = await generateSynthetic(wh, {
      customers: options.customers,
      seed: options.seed,
      start: config.demo.start,
      months: config.demo.months,
      programs: config.programs,
      rawSchema: config.schemas.raw,
      reportingCurrency: config.reportingCurrency,
    });
    const generateSeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    log.info('running models...');
    const { results } = await runModels({ wh, config, registry: defaultRegistry() });
    return {
      warehousePath,
      generated: generated.rows,
      generateSeconds,
      models: results,
      modelSeconds: (performance.now() - t1) / 1000,
    };
  } finally {
    await wh.close();
  }
}
