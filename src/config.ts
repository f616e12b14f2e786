/**
 * refstack configuration: one zod schema, validated at the edge. Everything inside the program receives a
 * `RefstackConfig` (the parsed, defaulted output) and trusts it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { stableHash } from './stable-hash.js';
import { sourcesConfigSchema } from '../ingest/sources-config.js';
import { attributionConfigSchema } from '../models/marts/attribution/config-schema.js';
import { experimentsConfigSchema } from '../models/marts/experiments/config-schema.js';
import { fraudConfigSchema } from '../models/marts/fraud/config-schema.js';
import { ltvConfigSchema } from '../models/marts/ltv/config-schema.js';
import { rewardsConfigSchema } from '../models/marts/rewards/config-schema.js';
import { forecastConfigSchema } from '../models/marts/forecast/config-schema.js';
import { advocatesConfigSchema } from '../models/marts/advocates/config-schema.js';
import { activationConfigSchema } from '../models/marts/activation/config-schema.js';
import { roiConfigSchema } from '../models/marts/roi/config-schema.js';
import { qualityConfigSchema } from '../models/marts/quality/config-schema.js';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const SLUG = /^[a-z0-9][a-z0-9_-]{0,62}$/;

const positiveInt = (what = 'a positive integer') =>
  z
    .number({ error: `expected ${what}` })
    .int({ error: `expected ${what}` })
    .positive({ error: `expected ${what}` });
const nonNegativeInt = () =>
  z
    .number({ error: 'expected a non-negative integer' })
    .int({ error: 'expected a non-negative integer' })
    .min(0, { error: 'expected a non-negative integer' });
const identifier = () =>
  z.string({ error: 'expected an identifier' }).regex(IDENT, { error: 'expected an identifier (letters, digits, _)' });
const slug = () =>
  z.string({ error: 'expected an id' }).regex(SLUG, { error: 'expected a lowercase id (a-z, 0-9, _ and -)' });
const currency = () =>
  z
    .string({ error: 'expected an ISO 4217 code' })
    .regex(/^[A-Z]{3}$/, { error: 'expected an ISO 4217 code like "USD"' });
/** A positive decimal as a string ("1.0834"), so exchange rates and multipliers never pass through a float. */
const positiveDecimal = () =>
  z
    .string({ error: 'expected a positive decimal as a string, like "1.25"' })
    .regex(/^(?:0|[1-9]\d{0,11})(?:\.\d{1,12})?$/, { error: 'expected a positive decimal as a string, like "1.25"' })
    .refine((s) => Number(s) > 0, { error: 'expected a positive decimal as a string, like "1.25"' });
const isoDate = () =>
  z
    .string({ error: 'expected a date YYYY-MM-DD' })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected a date YYYY-MM-DD' })
    .refine(
      (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
      {
        error: 'expected a real calendar date YYYY-MM-DD',
      },
    );

const duckdbWarehouse = z
  .object({
    engine: z.literal('duckdb'),
    /** Database file, or ':memory:'. */
    path: z.string().min(1).default('.refstack/warehouse.duckdb'),
    threads: positiveInt().optional(),
    /** DuckDB memory_limit, e.g. "8GB". */
    memoryLimit: z
      .string()
      .regex(/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/, { error: 'expected a size like "8GB"' })
      .optional(),
  })
  .strict();

const labelValue = () =>
  z.string().regex(/^[a-z0-9_-]{0,63}$/, { error: 'expected a BigQuery label: lowercase letters, digits, _ and -' });

/**
 * BigQuery (scale-out). Credentials are Application Default Credentials, never config. `dataset` holds staging and
 * marts (it is the analytics schema); `rawDataset` (default `<dataset>_raw`) holds the landing tables.
 */
const bigqueryWarehouse = z
  .object({
    engine: z.literal('bigquery'),
    projectId: z.string().regex(/^[a-z][a-z0-9-]{4,61}[a-z0-9]$/, { error: 'expected a Google Cloud project id' }),
    dataset: identifier().default('refstack'),
    rawDataset: identifier().optional(),
    /** Dataset location, e.g. "EU", "US" or "europe-west1". */
    location: z.string().min(2).default('US'),
    /**
     * Cost guard per query, in bytes: BigQuery refuses (before running, at no cost) any query that would bill more.
     * Default 100 GB (about $0.63 at on-demand $6.25/TiB).
     */
    maximumBytesBilled: positiveInt().default(100_000_000_000),
    /** Labels on every job, for cost attribution in the billing export. */
    labels: z.record(labelValue(), labelValue()).default({ app: 'refstack' }),
    /** The GA4 BigQuery export dataset (`project.analytics_123456`), read in place by `refstack ingest ga4 --bigquery`. */
    ga4ExportDataset: z
      .string()
      .regex(/^[a-z][a-z0-9-]{4,61}[a-z0-9]\.[A-Za-z_][A-Za-z0-9_]*$/, { error: 'expected "project.dataset"' })
      .optional(),
  })
  .strict();

const program = z
  .object({
    id: slug(),
    name: z.string().min(1),
    /** What kind of program: a customer refer-a-friend, a partner or affiliate program, a regional pilot. */
    kind: z.enum(['customer_referral', 'partner', 'affiliate', 'pilot']).default('customer_referral'),
    region: z.string().min(1).optional(),
    productLine: z.string().min(1).optional(),
  })
  .strict();

const hostName = () =>
  z.string().regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, {
    error: 'expected a lower-case host name like "shop.example.com"',
  });

/** Identity stitching (stg_identity_map). */
export const identityConfigSchema = z
  .object({
    /**
     * Cap on label-propagation rounds when stitching identities. Each round lets a label travel one more edge, so
     * the cap bounds the longest chain of identifiers one person can have (customer - email - customer - ...).
     * The model fails, naming the cap, if the graph has not converged by then.
     */
    maxIterations: z.number().int().min(1).max(1000).default(50),
  })
  .strict();

/** Touch cleaning and channel grouping (stg_touches). */
export const touchesConfigSchema = z
  .object({
    /**
     * The site's own hosts: a referrer on one of them (or a subdomain) is internal navigation, not a referral.
     * Empty (the default): every host that appears in raw.touches.page_url. A leading "www." is ignored.
     */
    ownDomains: z.array(hostName()).default([]),
    /** utm_source values that, with utm_medium 'referral', tag the referral program's links (lower-case). */
    referralSources: z.array(z.string().min(1)).default(['referral']),
    /** The landing-page query parameter carrying a referral code (`?ref=CODE`). */
    refParam: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]{0,31}$/, { error: 'expected a query parameter name (letters, digits, _)' })
      .default('ref'),
  })
  .strict();

export const configSchema = z
  .object({
    project: z
      .object({ name: z.string().min(1).default('refstack') })
      .strict()
      .default({ name: 'refstack' }),
    warehouse: z
      .discriminatedUnion('engine', [duckdbWarehouse, bigqueryWarehouse])
      .default({ engine: 'duckdb', path: '.refstack/warehouse.duckdb' }),
    /** Schema (dataset) names. Staging and marts share the analytics schema; landing tables live in raw. */
    schemas: z
      .object({ raw: identifier().default('raw'), analytics: identifier().default('main') })
      .strict()
      .default({ raw: 'raw', analytics: 'main' }),
    /** Currency every cross-currency total is reported in. */
    reportingCurrency: currency().default('USD'),
    /**
     * Static exchange rates: units of reporting currency per one unit of the keyed currency. A later FX
     * source (dated rates) takes precedence where present.
     */
    fxRates: z.record(currency(), positiveDecimal()).default({}),
    programs: z
      .array(program)
      .min(1, { error: 'expected at least one program' })
      .default([{ id: 'default', name: 'Refer a friend', kind: 'customer_referral' }])
      .superRefine((programs, ctx) => {
        const seen = new Set<string>();
        programs.forEach((p, i) => {
          if (seen.has(p.id))
            ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate program id "${p.id}"`, input: p.id });
          seen.add(p.id);
        });
      }),
    /** Versioned reward rule sets (tiers, milestones, caps, holding, clawbacks) judged by reward_ledger. */
    rewards: rewardsConfigSchema.default({ ruleSets: [] }),
    /** API sources (credentials never here: they come from the environment, see README). */
    sources: sourcesConfigSchema.optional(),
    /** The versioned attribution rule set (windows, position weights, half-life, referral-code rule). */
    attribution: attributionConfigSchema.default(attributionConfigSchema.parse({})),
    /** Fraud rules: weights, parameters, the flag threshold (fraud_flags, fraud_scores). */
    fraud: fraudConfigSchema.default(fraudConfigSchema.parse({})),
    /** A/B tests of incentives and messaging, and how they are decided (experiment_results). */
    experiments: experimentsConfigSchema,
    /** Lifetime value: BG/NBD + Gamma-Gamma time unit, calibration end, horizon, discount rate. */
    ltv: ltvConfigSchema.default(ltvConfigSchema.parse({})),
    /** Payout forecast: scenarios, horizon, draws and seed (models/marts/forecast/config-schema.ts). */
    forecast: forecastConfigSchema.default(forecastConfigSchema.parse({})),
    /** Advocate score weights, tiers and the ready-to-invite rule (models/marts/advocates/config-schema.ts). */
    advocates: advocatesConfigSchema.default(advocatesConfigSchema.parse({})),
    /** Referral codes and links, audiences, notifications, sync and alerts (models/marts/activation/config-schema.ts). */
    activation: activationConfigSchema.default(activationConfigSchema.parse({})),
    /** ROI and CAC: attribution model for referral revenue, how paid acquisition is assigned (models/marts/roi). */
    roi: roiConfigSchema.default(roiConfigSchema.parse({})),
    /** Data quality thresholds (models/marts/quality/config-schema.ts). */
    quality: qualityConfigSchema.default(qualityConfigSchema.parse({})),
    identity: identityConfigSchema.default({ maxIterations: 50 }),
    touches: touchesConfigSchema.default({ ownDomains: [], referralSources: ['referral'], refParam: 'ref' }),
    /** The synthetic demo's defaults; CLI flags override them. */
    demo: z
      .object({
        customers: positiveInt().default(20_000),
        seed: nonNegativeInt().default(42),
        /** First day of generated history. */
        start: isoDate().default('2025-01-01'),
        /** Months of generated history. */
        months: positiveInt().default(18),
      })
      .strict()
      .default({ customers: 20_000, seed: 42, start: '2025-01-01', months: 18 }),
    site: z
      .object({
        outDir: z.string().min(1).default('dashboards/dist'),
        title: z.string().min(1).default('refstack'),
        /** Allow emails, IPs and names on the published site. Off by default. */
        allowPii: z.boolean().default(false),
      })
      .strict()
      .default({ outDir: 'dashboards/dist', title: 'refstack', allowPii: false }),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.warehouse.engine === 'bigquery') {
      const w = config.warehouse;
      const expected = { raw: w.rawDataset ?? `${w.dataset}_raw`, analytics: w.dataset };
      const isDefault = config.schemas.raw === 'raw' && config.schemas.analytics === 'main';
      if (!isDefault && (config.schemas.raw !== expected.raw || config.schemas.analytics !== expected.analytics))
        ctx.addIssue({
          code: 'custom',
          path: ['schemas'],
          message: 'on BigQuery the datasets come from warehouse.dataset and warehouse.rawDataset; remove schemas',
          input: config.schemas,
        });
    }
    for (const code of Object.keys(config.fxRates)) {
      if (code === config.reportingCurrency)
        ctx.addIssue({
          code: 'custom',
          path: ['fxRates', code],
          message: 'the reporting currency needs no rate',
          input: config.fxRates[code],
        });
    }
  });

/** What a user writes: every key optional where a default exists. */
export type RefstackConfigInput = z.input<typeof configSchema>;
/** What the program receives: validated and defaulted. */
export type RefstackConfig = z.output<typeof configSchema>;

/**
 * Declares a config with editor completion; validation happens when it is loaded.
 * @example export default defineConfig({ reportingCurrency: 'EUR' })
 */
export function defineConfig(config: RefstackConfigInput): RefstackConfigInput {
  return config;
}

/** One line per problem, naming the key path and the bad value. */
export class ConfigError extends Error {
  constructor(
    readonly problems: string[],
    readonly source: string,
  ) {
    super(`invalid config ${source}:\n${problems.join('\n')}`);
    this.name = 'ConfigError';
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(root)';
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/**
 * Validates a raw config object. Throws `ConfigError` with one line per problem:
 * `rewards.ruleSets[0].tiers[1].threshold: expected a positive integer, got -3`.
 */
export function parseConfig(raw: unknown, source = '(inline)'): RefstackConfig {
  const result = configSchema.safeParse(raw ?? {});
  if (result.success) {
    const w = result.data.warehouse;
    // On BigQuery the schemas are the configured datasets.
    if (w.engine === 'bigquery')
      result.data.schemas = { raw: w.rawDataset ?? `${w.dataset}_raw`, analytics: w.dataset };
    return result.data;
  }
  const problems = result.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => `${formatPath([...issue.path, k])}: unknown key`).join('\n');
    }
    if (issue.code === 'invalid_key') {
      const key = issue.path[issue.path.length - 1];
      return `${formatPath(issue.path)}: key ${issue.issues[0]?.message ?? 'is not allowed'}, got ${describe(key)}`;
    }
    const got = valueAt(raw, issue.path);
    const message =
      issue.code === 'invalid_union' && issue.path[issue.path.length - 1] === 'engine'
        ? 'expected a supported engine ("duckdb")'
        : issue.message;
    return `${formatPath(issue.path)}: ${message}, got ${describe(got)}`;
  });
  throw new ConfigError(
    problems.flatMap((p) => p.split('\n')),
    source,
  );
}

/**
 * Loads and validates a config file (.ts, .js, .mjs or .json). With no path, uses `refstack.config.ts` in
 * `cwd` when present, else the defaults.
 */
export async function loadConfig(
  path?: string,
  cwd = process.cwd(),
): Promise<{ config: RefstackConfig; source: string }> {
  const file = path ? resolve(cwd, path) : resolve(cwd, 'refstack.config.ts');
  if (!path && !existsSync(file)) return { config: parseConfig({}, '(defaults)'), source: '(defaults)' };
  if (!existsSync(file)) throw new ConfigError([`config file not found: ${file}`], file);
  const ext = extname(file);
  let raw: unknown;
  if (ext === '.json') {
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new ConfigError([`not valid JSON: ${err instanceof Error ? err.message : String(err)}`], file);
    }
  } else if (['.ts', '.mts', '.js', '.mjs'].includes(ext)) {
    const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
    if (mod.default === undefined) throw new ConfigError(['the module has no default export'], file);
    raw = mod.default;
  } else {
    throw new ConfigError([`unsupported config extension "${ext}" (use .ts, .js or .json)`], file);
  }
  return { config: parseConfig(raw, file), source: file };
}

/** A short, stable hash of the validated config (keys sorted), recorded with every model run. */
export function configHash(config: RefstackConfig): string {
  return stableHash(config, 16);
}
