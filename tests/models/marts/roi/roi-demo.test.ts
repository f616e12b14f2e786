import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RefstackConfig } from '../../../../src/config.js';
import type { ModelDefinition } from '../../../../src/models/define-model.js';
import { ModelRegistry } from '../../../../src/models/registry.js';
import { runModels } from '../../../../src/models/runner.js';
import { demoConfig } from '../../../../src/pipeline.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { generateSynthetic, syntheticOptionsFor } from '../../../../ingest/synthetic/index.js';
import { MODELS } from '../../../../models/index.js';
import { advocateRoi } from '../../../../models/marts/roi/advocate-roi.js';
import { channelCac } from '../../../../models/marts/roi/channel-cac.js';
import { programRoi } from '../../../../models/marts/roi/program-roi.js';
import { stgMarketingSpend } from '../../../../models/staging/stg-marketing-spend.js';
import { memoryWarehouse, testConfig } from '../../../helpers/landing.js';

/*
 * program_roi and advocate_roi on the synthetic demo (3,000 customers, seed 42, 18 months, the demo rules) and on
 * an empty warehouse. The totals must reconcile with the tables they come from.
 */
const OURS: ModelDefinition[] = [stgMarketingSpend, programRoi, advocateRoi, channelCac];
const registry = () => new ModelRegistry([...MODELS.filter((m) => !OURS.some((o) => o.name === m.name)), ...OURS]);
let wh: Warehouse;
let config: RefstackConfig;
const one = async (sql: string) => (await wh.query(sql))[0]!;

beforeAll(async () => {
  wh = await memoryWarehouse();
  config = demoConfig();
  await generateSynthetic(wh, syntheticOptionsFor(config, 3000, 42));
  await runModels({ wh, config, registry: registry(), select: ['program_roi', 'advocate_roi', 'channel_cac'] });
}, 180_000);
afterAll(async () => {
  await wh?.close();
});

describe('program_roi and advocate_roi on the demo data', () => {
  it('reconcile reward cost with the ledger and referral revenue with attribution', async () => {
    const ledger = await one(`select sum(amount_minor) as cost from reward_ledger
      where entry_type in ('accrued', 'capped', 'voided', 'clawed_back')`);
    const roi = await one(`select sum(reward_cost_minor) as cost, sum(referral_revenue_minor) as revenue,
      count(*) as n, count(distinct program_id) as programs from program_roi`);
    const adv = await one(
      `select sum(reward_cost_minor) as cost, sum(referral_revenue_minor) as revenue from advocate_roi`,
    );
    const summary = await one(`select sum(revenue_minor) as revenue from attribution_summary
      where model = 'last_touch' and channel = 'Referral Program'`);
    expect(Number(roi['cost'])).toBe(Number(ledger['cost']));
    expect(Number(adv['cost'])).toBe(Number(ledger['cost']));
    expect(Number(roi['revenue'])).toBe(Number(summary['revenue']));
    expect(Number(adv['revenue'])).toBe(Number(summary['revenue']));
    expect(Number(roi['programs'])).toBe(config.programs.length);
    expect(Number(roi['n'])).toBeGreaterThanOrEqual(18 * config.programs.length);
  });

  it('recovers a paid CAC between the planted 45.00 (search) and 60.00 (social) USD', async () => {
    // TRUTHS.md: spend = paid-acquired customers x CAC x U(0.9, 1.1); with both channels mixed, the overall paid
    // CAC lies between the two planted values (measured: about 51).
    const paid = await one(`select sum(paid_spend_minor) / sum(paid_customers) as cac from program_roi`);
    expect(Number(paid['cac'])).toBeGreaterThan(4500);
    expect(Number(paid['cac'])).toBeLessThan(6000);
    const referral = await one(`select sum(reward_cost_minor) / sum(referred_customers) as cac from program_roi`);
    expect(Number(referral['cac'])).toBeGreaterThan(0);
    expect(Number(referral['cac'])).toBeLessThan(Number(paid['cac']));
  });

  it('recovers the planted CAC per paid channel in channel_cac, which adds up to program_roi', async () => {
    // TRUTHS.md: Paid Search 45.00, Paid Social 60.00 USD per paid-acquired customer, x U(0.9, 1.1) per cell;
    // summed over the demo within 3% (measured from the landed data in tests/ingest/synthetic/marketing-spend.test.ts).
    const rows = await wh.query<{ channel_group: string; cac: number }>(`
      select channel_group, sum(cost_minor) / sum(customers) as cac from channel_cac where kind = 'paid'
      group by 1 order by 1`);
    expect(rows.map((r) => r.channel_group)).toEqual(['Paid Search', 'Paid Social']);
    expect(Math.abs(rows[0]!.cac / 4500 - 1)).toBeLessThan(0.03);
    expect(Math.abs(rows[1]!.cac / 6000 - 1)).toBeLessThan(0.03);
    const mismatched = await one(`
      with c as (select program_id, month, sum(cost_minor) as spend, sum(customers) as customers
        from channel_cac where kind = 'paid' group by 1, 2)
      select count(*) as n from c join program_roi p using (program_id, month)
      where c.spend <> p.paid_spend_minor or abs(c.customers - p.paid_customers) > 1e-9`);
    expect(Number(mismatched['n'])).toBe(0);
    const referral = await one(`select sum(cost_minor) as cost from channel_cac where kind = 'referral'`);
    const roi = await one(`select sum(reward_cost_minor) as cost from program_roi`);
    expect(Number(referral['cost'])).toBe(Number(roi['cost']));
  });

  it('keeps ratios consistent with their parts', async () => {
    const bad = await one(`select count(*) as n from program_roi where
      (reward_cost_minor > 0 and abs(roi - (referral_revenue_minor - reward_cost_minor) / reward_cost_minor) > 1e-9)
      or (reward_cost_minor <= 0 and roi is not null)
      or (referred_customers > 0 and referral_cac_minor <> round(reward_cost_minor / referred_customers))
      or reward_cost_minor <> reward_cost_cash_minor + reward_cost_non_cash_minor
      or payback_months < 0`);
    expect(Number(bad['n'])).toBe(0);
    const kinds = await wh.query(`select distinct program_kind from advocate_roi order by 1`);
    expect(kinds.length).toBeGreaterThan(1);
  });
});

describe('ROI marts on an empty warehouse', () => {
  it('are empty', async () => {
    const empty = await memoryWarehouse();
    try {
      await runModels({
        wh: empty,
        config: testConfig(),
        registry: registry(),
        select: ['program_roi', 'advocate_roi', 'channel_cac'],
      });
      const [a] = await empty.query(`select count(*) as n from program_roi`);
      const [b] = await empty.query(`select count(*) as n from advocate_roi`);
      const [c] = await empty.query(`select count(*) as n from channel_cac`);
      expect([a!['n'], b!['n'], c!['n']]).toEqual([0, 0, 0]);
    } finally {
      await empty.close();
    }
  });
});
