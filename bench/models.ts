/**
 * Bench: running every model on synthetic data, against a same-process baseline that scans and aggregates
 * the same landing tables once (the least work any model run could do).
 */
import { parseConfig } from '../src/config.js';
import { runModels } from '../src/models/runner.js';
import { DuckDBWarehouse } from '../src/warehouse/duckdb.js';
import { ensureLandingSchema } from '../ingest/landing-schema.js';
import { generateSynthetic } from '../ingest/synthetic/index.js';
import { defaultRegistry } from '../models/index.js';
import demoConfigInput from '../refstack.config.js';

export interface ModelBenchResult {
  name: string;
  scale: number;
  seconds: number;
  baselineSeconds: number;
  ratio: number;
  peakRssMb: number;
}

const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

export async function benchModels(scales: number[]): Promise<ModelBenchResult[]> {
  const config = parseConfig(demoConfigInput);
  const out: ModelBenchResult[] = [];
  for (const scale of scales) {
    const wh = await DuckDBWarehouse.open({ path: ':memory:' });
    try {
      await ensureLandingSchema(wh);
      await generateSynthetic(wh, {
        customers: scale,
        seed: 1,
        start: config.demo.start,
        months: config.demo.months,
        programs: config.programs,
      });
      const b0 = performance.now();
      await wh.exec(`create or replace temp table baseline as
        select customer_id, count(*) as n, sum(gross_minor) as g from raw.orders group by 1`);
      await wh.exec(`create or replace temp table baseline2 as
        select referral_code, event_type, count(*) as n from raw.referral_events group by 1, 2`);
      const baselineSeconds = (performance.now() - b0) / 1000;
      const t0 = performance.now();
      await runModels({ wh, config, registry: defaultRegistry() });
      const seconds = (performance.now() - t0) / 1000;
      out.push({
        name: 'models: all',
        scale,
        seconds,
        baselineSeconds,
        ratio: seconds / baselineSeconds,
        peakRssMb: peakRssMb(),
      });
    } finally {
      await wh.close();
    }
  }
  return out;
}
