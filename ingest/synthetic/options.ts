/**
 * The synthetic generator's options, validated at the edge, and the derived run context (observation window,
 * experiment windows, batch id) that every stage reads.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { RefstackConfig } from '../../src/config.js';
import { assertIdentifier } from '../../src/warehouse/identifiers.js';
import { REGIONS, SYNTHETIC_TRUTHS } from './params.js';

/** The fraud ring adds a fixed number of accounts, so tiny runs would be mostly ring. */
export const MIN_CUSTOMERS = 500;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected a date YYYY-MM-DD' })
  .refine((s) => new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), {
    error: 'expected a real calendar date YYYY-MM-DD',
  });

const programSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, { error: 'expected a lowercase id (a-z, 0-9, _ and -)' }),
  kind: z.enum(['customer_referral', 'partner', 'affiliate', 'pilot']),
  // Plain strings in (a config's program region is any string), checked against the generator's regions.
  region: z
    .string()
    .pipe(z.enum(REGIONS, { error: `expected one of the synthetic regions ${REGIONS.join(', ')}` }))
    .optional(),
  productLine: z.string().min(1).optional(),
});

export const syntheticOptionsSchema = z.object({
  /** Total customers landed in raw.customers, the fraud ring's accounts included. */
  customers: z
    .number()
    .int()
    .min(MIN_CUSTOMERS, { error: `expected at least ${MIN_CUSTOMERS} customers` })
    .max(50_000_000),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1),
  start: isoDate,
  /** Months of history; at least 3 so the experiments and the fraud ring fit inside it. */
  months: z.number().int().min(3).max(120),
  programs: z
    .array(programSchema)
    .min(1, { error: 'expected at least one program' })
    .refine((ps) => new Set(ps.map((p) => p.id)).size === ps.length, { error: 'program ids must be unique' }),
  rawSchema: z.string().default('raw'),
  reportingCurrency: z
    .string()
    .pipe(
      z.enum(Object.keys(SYNTHETIC_TRUTHS.usdPerUnit) as ['USD', 'EUR'], {
        error: 'expected USD or EUR (the synthetic currencies)',
      }),
    )
    .default('USD'),
});

/** What callers pass (extra keys on programs, such as a config program's `name`, are ignored). */
export type SyntheticOptions = z.input<typeof syntheticOptionsSchema>;
export type SyntheticProgram = z.output<typeof programSchema>;

/**
 * The options a refstack config implies for `customers` customers and `seed`: the config's demo window
 * (`demo.start`, `demo.months`), its programs, raw schema and reporting currency. The demo warehouse, the fraud
 * backtest's check of which batch is the demo's, and the demo-scale tests all generate from a config this way.
 *
 * @example generateSynthetic(wh, syntheticOptionsFor(demoConfig(), 3000, 42))
 */
export function syntheticOptionsFor(config: RefstackConfig, customers: number, seed: number): SyntheticOptions {
  return {
    customers,
    seed,
    start: config.demo.start,
    months: config.demo.months,
    programs: config.programs,
    rawSchema: config.schemas.raw,
    reportingCurrency: config.reportingCurrency,
  };
}
type Parsed = z.output<typeof syntheticOptionsSchema>;

/** Everything a stage needs besides the warehouse: validated options plus derived times, all UTC epoch seconds. */
export interface RunContext {
  options: Parsed;
  rawSchema: string;
  batchId: string;
  /** Observation start and end (exclusive); every generated timestamp t satisfies startSec <= t < endSec. */
  startSec: number;
  endSec: number;
  days: number;
  /** Regular customers (time-ordered idx 0..regular-1); the ring holds idx regular..customers-1. */
  regular: number;
  rewardWindow: [number, number];
  doubleSidedWindow: [number, number];
}

const DAY = 86_400;

/** Calendar month arithmetic that clamps to the month's last day (2025-01-31 + 1 month = 2025-02-28), like SQL intervals. */
export function addMonthsUtc(isoDay: string, months: number): number {
  const [y, m, d] = isoDay.split('-').map(Number) as [number, number, number];
  const first = Date.UTC(y, m - 1 + months, 1);
  const lastDay = new Date(Date.UTC(y, m + months, 0)).getUTCDate();
  return first / 1000 + (Math.min(d, lastDay) - 1) * DAY;
}

/** The batch id: a content hash of the (defaulted) options and the generator version. */
export function syntheticBatchId(options: Parsed): string {
  const canonical = {
    generatorVersion: SYNTHETIC_TRUTHS.generatorVersion,
    customers: options.customers,
    seed: options.seed,
    start: options.start,
    months: options.months,
    programs: options.programs.map((p) => ({
      id: p.id,
      kind: p.kind,
      region: p.region ?? null,
      productLine: p.productLine ?? null,
    })),
    rawSchema: options.rawSchema,
    reportingCurrency: options.reportingCurrency,
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 16);
}

/** Validates options (throwing one line per problem, naming the option) and derives the run context. */
export function runContext(input: SyntheticOptions, ringSize: number): RunContext {
  const result = syntheticOptionsSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `synthetic option ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(problems.join('\n'));
  }
  const options = result.data;
  const rawSchema = assertIdentifier(options.rawSchema, 'synthetic option rawSchema');
  const startSec = Date.parse(`${options.start}T00:00:00Z`) / 1000;
  const endSec = addMonthsUtc(options.start, options.months);
  const days = Math.round((endSec - startSec) / DAY);
  const window = ([a, b]: readonly [number, number]): [number, number] => [
    startSec + Math.floor(a * days) * DAY,
    startSec + Math.floor(b * days) * DAY,
  ];
  return {
    options,
    rawSchema,
    batchId: syntheticBatchId(options),
    startSec,
    endSec,
    days,
    regular: options.customers - ringSize,
    rewardWindow: window(SYNTHETIC_TRUTHS.experiments.rewardAmount.window),
    doubleSidedWindow: window(SYNTHETIC_TRUTHS.experiments.doubleSided.window),
  };
}
