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
  rewards: {
    tiers: [
      { name: 'Bronze', threshold: 1, multiplier: '1' },
      { name: 'Silver', threshold: 5, multiplier: '1.25' },
      { name: 'Gold', threshold: 15, multiplier: '1.5' },
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
  demo: { customers: 20_000, seed: 42, start: '2025-01-01', months: 18 },
  site: { outDir: 'dashboards/dist', title: 'refstack', allowPii: false },
});
