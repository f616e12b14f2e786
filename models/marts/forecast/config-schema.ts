import { z } from 'zod';

/**
 * Payout forecast settings (config key `forecast`). Until the lead wires `forecastConfigSchema` into
 * src/config.ts, `forecastConfig` reads `config.forecast` when present and falls back to these defaults.
 */
export const forecastScenarioSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, { error: 'expected a lowercase scenario name' }),
    /** Monthly growth of referred sign-ups; absent = the historical trend (log-linear fit, see volume-trend.ts). */
    monthlyGrowth: z.number().min(-0.5).max(1).optional(),
    /** Added to the growth (trend or monthlyGrowth): +0.03 is three points a month faster. */
    growthDelta: z.number().min(-0.5).max(0.5).default(0),
  })
  .strict();

export const forecastConfigSchema = z
  .object({
    /** Seed of the Monte Carlo: the same seed and data give the identical payout_forecast table. */
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(20_260_101),
    /** Simulated paths per scenario. */
    simulations: z.number().int().min(100).max(100_000).default(2000),
    horizonMonths: z.number().int().min(1).max(60).default(12),
    scenarios: z
      .array(forecastScenarioSchema)
      .min(1)
      .refine((s) => new Set(s.map((x) => x.name)).size === s.length, { error: 'scenario names must be unique' })
      .default([
        { name: 'base', growthDelta: 0 },
        { name: 'optimistic', growthDelta: 0.03 },
        { name: 'pessimistic', growthDelta: -0.03 },
      ]),
    /** Complete months the volume trend and its noise are fitted on. */
    trendMonths: z.number().int().min(3).max(60).default(12),
    /**
     * Damping phi of the fitted trend: its effect after h months is (1 + g)^(phi + ... + phi^h), so a recent rise
     * adds at most (1 + g)^(phi / (1 - phi)) (Gardner & McKenzie 1985). 1 = undamped.
     */
    trendDamping: z.number().gt(0).max(1).default(0.8),
    /** Complete months whose mean is the volume level the projection starts from. */
    levelMonths: z.number().int().min(1).max(12).default(3),
    /** Complete months the conversion rate, tier mix, reward sizes and reversal rate are estimated from. */
    rateMonths: z.number().int().min(1).max(60).default(6),
    /** Months a net reward stays unpaid (holding period + payout run); what is unpaid now is paid within it. */
    payoutLagMonths: z.number().int().min(0).max(24).default(2),
    /** The backtest forecasts the last this many complete months from the history before them. */
    backtestMonths: z.number().int().min(1).max(24).default(6),
  })
  .strict();

export type ForecastConfig = z.output<typeof forecastConfigSchema>;

/** The validated `forecast` section of a config object (defaults when absent); errors name the bad key. */
export function forecastConfig(config: object): ForecastConfig {
  const raw = (config as { forecast?: unknown }).forecast ?? {};
  const parsed = forecastConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`config forecast.${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}
