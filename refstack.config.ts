// The demo's configuration. Every key is optional; `npx refstack --help` lists the commands, and
// src/config.ts documents each key. Secrets never go here: they come from the environment.
import { defineConfig } from './src/config.js';

export default defineConfig({
  project: { name: 'refstack demo' },
  warehouse: { engine: 'duckdb', path: '.refstack/warehouse.duckdb' },
  reportingCurrency: 'USD',
  // Units of USD per one unit of the keyed currency.
  fxRates: { EUR: '1.08' },
  programs: [
    { id: 'friends', name: 'Refer a friend', kind: 'customer_referral' },
    { id: 'partners', name: 'Partner program', kind: 'affiliate' },
    { id: 'nordics-pilot', name: 'Nordics pilot', kind: 'pilot', region: 'Nordics' },
  ],
  // Reward rules are versioned: a referral is judged by the version in effect when it converted.
  rewards: {
    ruleSets: [
      {
        id: 'friends-cash',
        version: 1,
        description: 'Give $5, get $10',
        effectiveFrom: '2025-01-01',
        effectiveTo: '2025-07-01',
        programIds: ['friends', 'nordics-pilot'],
        qualifyingEvent: { type: 'purchase' },
        advocateReward: { type: 'fixed', amountMinor: 1000, currency: 'USD' },
        refereeReward: { type: 'fixed', amountMinor: 500, currency: 'USD' },
        caps: { perAdvocatePerMonthMinor: 5000, perAdvocatePerYearMinor: 30000 },
        holdingDays: 30,
        clawbackDays: 60,
        minPayoutMinor: 2000,
        payoutSchedule: { dayOfMonth: 1 },
      },
      {
        id: 'friends-cash',
        version: 2,
        description: 'Give $5, get 10% of their first order',
        effectiveFrom: '2025-07-01',
        programIds: ['friends', 'nordics-pilot'],
        qualifyingEvent: { type: 'purchase' },
        advocateReward: { type: 'percent', percent: '10' },
        refereeReward: { type: 'fixed', amountMinor: 500, currency: 'USD' },
        caps: { perAdvocatePerMonthMinor: 5000, perAdvocatePerYearMinor: 30000 },
        holdingDays: 30,
        clawbackDays: 60,
        minPayoutMinor: 2000,
        payoutSchedule: { dayOfMonth: 1 },
        tiers: [
          { name: 'Bronze', threshold: 1, multiplier: '1' },
          { name: 'Silver', threshold: 5, multiplier: '1.25' },
          { name: 'Gold', threshold: 15, multiplier: '1.5' },
        ],
        tierWindowDays: 365,
        milestones: [
          {
            referrals: 5,
            reward: { type: 'non_cash', description: 'one free month', cashEquivalentMinor: 1500, currency: 'USD' },
          },
        ],
      },
      {
        id: 'partners-commission',
        version: 1,
        description: '15% commission on first orders of $20 or more',
        effectiveFrom: '2025-01-01',
        programIds: ['partners'],
        qualifyingEvent: { type: 'purchase_min', minMinor: 2000, currency: 'USD' },
        advocateReward: { type: 'percent', percent: '15' },
        caps: { programBudgetMinor: 5_000_000 },
        holdingDays: 45,
        clawbackDays: 90,
        minPayoutMinor: 5000,
        payoutSchedule: { dayOfMonth: 15 },
      },
    ],
  },
  experiments: {
    alpha: 0.05,
    experiments: [
      {
        id: 'reward-amount-2025',
        control: 'control',
        weights: { control: 1, treatment: 1 },
        metrics: [
          { kind: 'invites', primary: true },
          { kind: 'referrals' },
          { kind: 'referee_refund_rate', guardrail: true, higherIsBetter: false },
          { kind: 'referee_chargeback_rate', guardrail: true, higherIsBetter: false },
        ],
        // What `refstack experiment promote reward-amount-2025 treatment --from DATE` writes as the next version of
        // the friends-cash rule set: the treatment's $20 advocate reward (ingest/synthetic/TRUTHS.md).
        rollout: {
          ruleSetId: 'friends-cash',
          variants: { treatment: { advocateReward: { type: 'fixed', amountMinor: 2000, currency: 'USD' } } },
        },
      },
      {
        id: 'double-sided-2025',
        control: 'one_sided',
        weights: { one_sided: 1, double_sided: 1 },
        metrics: [
          { kind: 'referee_conversion', primary: true },
          { kind: 'made_referral' },
          { kind: 'referee_refund_rate', guardrail: true, higherIsBetter: false },
          { kind: 'referee_chargeback_rate', guardrail: true, higherIsBetter: false },
        ],
      },
    ],
  },
  // Fraud rules (models/marts/fraud/config-schema.ts): each rule's weight in the combined score
  // 1 - prod(1 - weight x score); a referral at or above flagThreshold goes to the review queue, and so does any
  // whose first order's net is at least highValueThresholdMinor. Any change here makes a new rule_version.
  fraud: {
    rules: {
      selfReferral: { enabled: true, weight: 0.9 },
      sharedIp: { enabled: true, weight: 0.4 },
      sharedDevice: { enabled: true, weight: 0.6 },
      // Referrals per advocate per day above max(minCount, median + k MAD of the program's and the advocate's days).
      velocity: { enabled: true, weight: 0.5, k: 5, minCount: 5, advocateMinDays: 7 },
      purchaseVerification: {
        enabled: true,
        weight: 0.4,
        minOrderMinor: 0,
        scores: { chargeback: 1, refunded: 1, unpaid: 0.5, belowMinimum: 0.5 },
      },
      // `domains` defaults to a short sample of throwaway-mailbox services; list your own to replace it.
      disposableEmail: { enabled: true, weight: 0.3 },
      // Sign-ups per IP range (/24, IPv6 /48) per window above max(minSignups, median + k MAD).
      signupBurst: { enabled: true, weight: 0.4, windowHours: 24, k: 5, minSignups: 10, rangeMinWindows: 7 },
      referralRing: { enabled: true, weight: 0.9 },
    },
    flagThreshold: 0.5,
    highValueThresholdMinor: 50_000,
  },
  demo: { customers: 20_000, seed: 42, start: '2025-01-01', months: 18 },
  site: { outDir: 'dashboards/dist', title: 'refstack', allowPii: false },
});
