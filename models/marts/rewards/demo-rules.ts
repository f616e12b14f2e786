/**
 * The demo's reward rules, for refstack.config.ts (`rewards.ruleSets`): a refer-a-friend program whose rules
 * changed on 2025-07-01 (fixed $10 + $5 to a 10% commission + $5, with tiers and a milestone: the demo's former
 * top-level `rewards.tiers` now live here), and a partner commission with a minimum purchase and a program budget. Written as config input (what a user types), validated by rewardsConfigSchema.
 */
export const DEMO_REWARD_RULE_SETS = [
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
  },
];
