/**
 * Data-quality thresholds (config key `quality`): when a source's freshness, quarantine share, duplicate rate or
 * unstitched share makes data_quality say 'warn' or 'fail'. Until the lead plugs `qualityConfigSchema` into
 * src/config.ts, `qualityConfig` reads `config.quality` when present and falls back to the defaults.
 */
import { z } from 'zod';

const hours = () => z.number({ error: 'expected hours > 0' }).positive({ error: 'expected hours > 0' });
const share = () => z.number({ error: 'expected a share in [0, 1]' }).min(0).max(1);
const band = (warn: number, fail: number) =>
  z
    .object({ warn: share().default(warn), fail: share().default(fail) })
    .strict()
    .refine((b) => b.warn <= b.fail, { error: 'expected warn <= fail' })
    .default({ warn, fail });
const freshness = z
  .object({ warnHours: hours(), failHours: hours() })
  .strict()
  .refine((f) => f.warnHours <= f.failHours, { error: 'expected warnHours <= failHours' });

/**
 * Defaults: event tables are stale after 2 days (fail after 7) behind the newest event of any source; monthly
 * spend after 45 days (fail 75); FX rates (a rate holds until the next one; monthly is common) after 35 days (fail
 * 70); surveys are sparse, so 14 days (fail 45). Experiment assignments stop when an experiment ends, so their
 * age says nothing: `false` turns the check off.
 */
const FRESHNESS_DEFAULTS = {
  default: { warnHours: 48, failHours: 168 },
  tables: {
    marketing_spend: { warnHours: 45 * 24, failHours: 75 * 24 },
    fx_rates: { warnHours: 35 * 24, failHours: 70 * 24 },
    survey_responses: { warnHours: 14 * 24, failHours: 45 * 24 },
    experiment_assignments: false,
  } as Record<string, { warnHours: number; failHours: number } | false>,
};

export const qualityConfigSchema = z
  .object({
    freshness: z
      .object({
        default: freshness.default(FRESHNESS_DEFAULTS.default),
        /** Per landing table, replacing the default; `false`: no freshness check for that table. */
        tables: z.record(z.string(), z.union([freshness, z.literal(false)])).default(FRESHNESS_DEFAULTS.tables),
      })
      .strict()
      .default(FRESHNESS_DEFAULTS),
    /** Quarantined / read. */
    quarantineShare: band(0.001, 0.05),
    /** Rows landed again under a key the source already landed / rows landed. */
    duplicateRate: band(0.01, 0.1),
    /** Orders whose customer is unknown to stg_customers / orders. */
    unstitchedOrders: band(0.001, 0.05),
    /**
     * Touches stitched to no customer / touches. Visitors who never sign up stay anonymous, so some share is
     * normal; the defaults only catch identity stitching breaking.
     */
    unstitchedTouches: band(0.5, 0.8),
  })
  .strict();

export type QualityConfig = z.output<typeof qualityConfigSchema>;

/** The validated `quality` section of a config object (defaults when absent); errors name the bad key. */
export function qualityConfig(config: object): QualityConfig {
  const raw = (config as { quality?: unknown }).quality ?? {};
  const parsed = qualityConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`config quality.${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}
