/**
 * The synthetic marketing spend (3,000 customers, seed 42, 18 months from 2025-01-01): every row is the paid
 * customers of its cell times the planted CAC within the +-10% noise, and the CAC is recoverable from the landed
 * touches (TRUTHS.md, "Marketing spend").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic, syntheticOptionsFor } from '../../../ingest/synthetic/index.js';
import { SYNTHETIC_TRUTHS } from '../../../ingest/synthetic/params.js';
import { ModelRegistry } from '../../../src/models/registry.js';
import { runModels } from '../../../src/models/runner.js';
import { demoConfig } from '../../../src/pipeline.js';
import type { Warehouse } from '../../../src/warehouse/warehouse.js';
import { MODELS } from '../../../models/index.js';
import { stgMarketingSpend } from '../../../models/staging/stg-marketing-spend.js';
import { memoryWarehouse } from '../../helpers/landing.js';

let wh: Warehouse;
const config = demoConfig();
beforeAll(async () => {
  wh = await memoryWarehouse();
  await generateSynthetic(wh, syntheticOptionsFor(config, 3000, 42));
  const registry = new ModelRegistry([...MODELS.filter((m) => m.name !== 'stg_marketing_spend'), stgMarketingSpend]);
  await runModels({ wh, config, registry, select: ['stg_marketing_spend', 'stg_touches', 'stg_customers'] });
}, 120_000);
afterAll(async () => {
  await wh?.close();
});

/** Non-referred customers by the channel group of their last touch at or before sign-up, per program and month. */
const paidCustomers = `
  with last_touch as (
    select c.customer_id, c.program_id, date_trunc('month', c.created_at) as month, t.channel_group,
      row_number() over (partition by c.customer_id order by t.occurred_at desc, t.touch_id desc) as rn
    from stg_customers c join stg_touches t on t.person_id = c.person_id and t.occurred_at <= c.created_at
    where not c.is_referred
  )
  select program_id, cast(month as date) as month, channel_group, count(*) as customers
  from last_touch where rn = 1 and channel_group in ('Paid Search', 'Paid Social') group by 1, 2, 3`;

describe('synthetic marketing spend', () => {
  it('lands only paid channels, within the noise of customers x CAC in every program and month', async () => {
    // CAC per channel group in US cents (params.ts); spend in reporting USD from stg_marketing_spend.
    const cac = SYNTHETIC_TRUTHS.marketingSpend.cacUsdMinor;
    const rows = await wh.query<{ ratio: number }>(`
      with s as (select program_id, month, channel_group, sum(spend_minor) as spend from stg_marketing_spend group by 1, 2, 3)
      select s.spend / (p.customers * (case s.channel_group when 'Paid Search' then ${cac.paid_search}
        else ${cac.paid_social} end)) as ratio
      from s join (${paidCustomers}) p using (program_id, month, channel_group)`);
    const cells = await wh.query<{ n: number }>(
      `select count(*) as n from (select distinct program_id, month, channel_group from stg_marketing_spend)`,
    );
    expect(rows.length).toBe(cells[0]!.n);
    expect(rows.length).toBeGreaterThan(50);
    // Per cell the spend is a sum of per-currency draws, each customers x CAC x U(0.9, 1.1) (EUR rounded at 1/1.08
    // then back at 1.08), so the ratio lies in [0.9, 1.1] up to a cent of rounding whenever the landed touches
    // classify the cell's customers as the generator did. Measured (seed 42): 106 of 107 cells inside, one at
    // 1.279 (a cell where the landed last touch disagrees with the generator for one customer).
    const inside = rows.filter((r) => r.ratio > 0.899 && r.ratio < 1.101).length;
    expect(inside / rows.length).toBeGreaterThan(0.95);
    for (const r of rows) {
      expect(r.ratio).toBeGreaterThan(0.7);
      expect(r.ratio).toBeLessThan(1.4);
    }
    const groups = await wh.query(`select distinct channel_group from raw.marketing_spend order by 1`);
    expect(groups).toEqual([{ channel_group: 'Paid Search' }, { channel_group: 'Paid Social' }]);
  });

  it('recovers the planted CAC over the whole demo (45.00 and 60.00 USD)', async () => {
    const rows = await wh.query<{ channel_group: string; cac: number }>(`
      with s as (select channel_group, sum(spend_minor) as spend from stg_marketing_spend group by 1),
      p as (select channel_group, sum(customers) as customers from (${paidCustomers}) x group by 1)
      select s.channel_group, s.spend / p.customers / 100 as cac from s join p using (channel_group) order by 1`);
    // Measured 45.42 and 59.67 (EUR spend converted at the landed monthly rates); the mean of U(0.9, 1.1) is 1,
    // so within 3% at ~400-500 customers a channel.
    expect(rows.map((r) => r.channel_group)).toEqual(['Paid Search', 'Paid Social']);
    expect(Math.abs(rows[0]!.cac / 45 - 1)).toBeLessThan(0.03);
    expect(Math.abs(rows[1]!.cac / 60 - 1)).toBeLessThan(0.03);
  });
});
