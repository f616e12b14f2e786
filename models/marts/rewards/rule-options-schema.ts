/**
 * Rule set options for payouts and the newer reward types, split from config-schema.ts (which composes them into
 * `rewardRuleSetSchema`): the payout schedule, frequency limits and recurring rewards.
 */
import { z } from 'zod';

/**
 * Payout schedule: monthly on `dayOfMonth` (1-28, so every month has it), at 00:00 UTC. Every beneficiary whose
 * approved unpaid cash balance under the rule set (approvals decided before that instant, minus what earlier
 * payouts paid, clawbacks included) is at least `minPayoutMinor` is paid it in one batch per program,
 * currency and date. The version in effect on the payout date decides its day and threshold.
 */
export const payoutScheduleSchema = z
  .object({
    frequency: z.literal('monthly', { error: 'expected "monthly"' }).default('monthly'),
    dayOfMonth: z
      .number({ error: 'expected a day of month 1-28' })
      .int({ error: 'expected a day of month 1-28' })
      .min(1, { error: 'expected a day of month 1-28' })
      .max(28, { error: 'expected a day of month 1-28 (every month has it)' }),
  })
  .strict();

/**
 * At most `maxRewards` advocate referral rewards per advocate per calendar `per` (UTC) of qualification, in
 * qualification order; later ones are cut whole (a `capped` entry, reason frequency_limit) before the caps.
 */
export const frequencyLimitSchema = z
  .object({
    maxRewards: z
      .number({ error: 'expected a positive number of rewards' })
      .int({ error: 'expected a positive number of rewards' })
      .positive({ error: 'expected a positive number of rewards' }),
    per: z.enum(['month', 'year'], { error: 'expected "month" or "year"' }),
  })
  .strict();

/** Recurring advocate reward for the `months` calendar months starting with the month of qualification. */
export const recurringSchema = z
  .object({
    months: z
      .number({ error: 'expected a whole number of months 2-60' })
      .int({ error: 'expected a whole number of months 2-60' })
      .min(2, { error: 'expected a whole number of months 2-60' })
      .max(60, { error: 'expected a whole number of months 2-60' }),
  })
  .strict();
