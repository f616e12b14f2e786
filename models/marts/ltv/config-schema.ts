import { z } from 'zod';

/**
 * LTV settings (config key `ltv`). Until the lead wires it into src/config.ts, `ltvConfig` reads `config.ltv`
 * when present and falls back to these defaults.
 */
export const ltvConfigSchema = z
  .object({
    /** The unit of t_x, T, the horizon and the fitted rates (days are converted: week = 7, month = 30.4375). */
    timeUnit: z.enum(['day', 'week', 'month']).default('week'),
    /**
     * Last day (inclusive, UTC, YYYY-MM-DD) of the calibration period; orders after it are ignored. Default: the
     * last order date in stg_orders, which keeps a rerun on the same data identical.
     */
    calibrationEnd: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'ltv.calibrationEnd must be YYYY-MM-DD')
      .optional(),
    /** Prediction horizon after the calibration end, in time units. */
    horizon: z.number().positive().max(520).default(52),
    /** Annual discount rate for the predicted CLV (0.1 = 10% a year). */
    annualDiscountRate: z.number().min(0).max(1).default(0.1),
    /**
     * t_x and T are rounded to multiples of this many days before fitting and scoring. 1 keeps whole days; 7
     * merges customers into far fewer (x, t_x, T) triples (faster fits on large data) at a cost of up to half a
     * week of timing precision.
     */
    resolutionDays: z.number().int().min(1).max(28).default(1),
    /**
     * Churn gap G in days: a person has churned once G days pass after a purchase without another one
     * (survival_curves' event, ltv_comparison's churn_rate). 90 days, a quarter without an order, is the common
     * e-commerce default; lengthen it for products bought less often.
     */
    churnGapDays: z.number().int().min(1).max(1095).default(90),
    /** Acquisition cohorts of cohort_retention: calendar weeks (ISO, from Monday) or calendar months (UTC). */
    cohortGrain: z.enum(['week', 'month']).default('month'),
    /**
     * Advocate tiers of ltv_comparison's quality-over-quantity view: referred customers grouped by how many people
     * their advocate referred. Ascending lower bounds; [1, 2, 5, 10] gives tiers '1', '2-4', '5-9' and '10+'.
     */
    advocateTierThresholds: z
      .array(z.number().int().min(1))
      .min(1)
      .default([1, 2, 5, 10])
      .refine((t) => t[0] === 1 && t.every((v, i) => i === 0 || v > t[i - 1]!), {
        error: 'expected ascending whole numbers starting at 1, like [1, 2, 5, 10]',
      }),
    /** Order statuses that count as purchases. */
    purchaseStatuses: z.array(z.string().min(1)).min(1).default(['paid', 'partially_refunded', 'refunded']),
  })
  .strict();

export type LtvConfig = z.output<typeof ltvConfigSchema>;

/** Tier labels for `advocateTierThresholds`: [1, 2, 5, 10] -> ['1', '2-4', '5-9', '10+']. */
export function advocateTierLabels(thresholds: number[]): string[] {
  return thresholds.map((lo, i) => {
    const next = thresholds[i + 1];
    if (next === undefined) return `${lo}+`;
    return next - 1 === lo ? String(lo) : `${lo}-${next - 1}`;
  });
}

export const DAYS_PER_UNIT: Record<LtvConfig['timeUnit'], number> = { day: 1, week: 7, month: 30.4375 };

/** The validated `ltv` section of a config object (defaults when absent); errors name the bad key. */
export function ltvConfig(config: object): LtvConfig {
  const raw = (config as { ltv?: unknown }).ltv ?? {};
  const parsed = ltvConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`config ltv.${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}
