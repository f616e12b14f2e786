/**
 * The Attribution page's per-month credit (loadAttributionSummary().monthly), the page's From/To range sum over it
 * (dashboards/src/components/attribution-range.js), and the column guards of the remaining loaders: a mart that
 * exists but lacks one column it reads gives the page's "incomplete" state instead of a Binder Error. Literal rows
 * in a real in-memory DuckDB; every expected number is a hand sum of the rows written out beside it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attributionCellsInRange } from '../../dashboards/src/components/attribution-range.js';
import {
  ATTRIBUTION_RECONCILIATION_COLUMNS,
  ATTRIBUTION_SUMMARY_COLUMNS,
  DARK_SOCIAL_SHARE_COLUMNS,
  loadAttributionReconciliation,
  loadAttributionSummary,
  loadDarkSocialShare,
} from '../../src/site/attribution-data.js';
import { EXPERIMENT_RESULTS_COLUMNS, loadExperiments } from '../../src/site/experiments-data.js';
import { loadReferralFunnel, REFERRAL_FUNNEL_COLUMNS } from '../../src/site/referral-funnel-data.js';
import { loadRewardLiability, REWARD_LIABILITY_COLUMNS } from '../../src/site/rewards-data.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb.js';

const NOW = new Date('2026-01-02T00:00:00Z');

async function writeSummary(wh: DuckDBWarehouse): Promise<void> {
  await wh.exec(`
create table main.attribution_summary as
select program_id, model, channel, cast(month as date) as month, cast(conversions as double) as conversions,
  cast(revenue_minor as hugeint) as revenue_minor, 'USD' as currency, cast(assisted as hugeint) as assisted_conversions,
  'v1' as rule_version
from (values
  ('p1', 'last_touch', 'Email', '2025-01-01', 2, 1000, 0),
  ('p1', 'last_touch', 'Email', '2025-02-01', 1, 400, 1),
  ('p1', 'last_touch', 'Referral Program', '2025-02-01', 1, 3000, 0),
  ('p2', 'last_touch', 'Email', '2025-01-01', 1, 500, 0),
  ('p1', 'linear', 'Email', '2025-01-01', 1.5, 2500, 1),
  ('p1', 'linear', 'Referral Program', '2025-03-01', 0.5, 1500, 1)
) as t(program_id, model, channel, month, conversions, revenue_minor, assisted);`);
}

/** A table with every column in `columns` except `drop` (varchar: the guard checks names, not types), one row. */
async function tableWithout(wh: DuckDBWarehouse, table: string, columns: readonly string[], drop: string) {
  const kept = columns.filter((c) => c !== drop);
  await wh.exec(`create table main.${table} (${kept.map((c) => `"${c}" varchar`).join(', ')});
insert into main.${table} values (${kept.map(() => `'x'`).join(', ')});`);
}

describe('attribution credit per conversion month', () => {
  let wh: DuckDBWarehouse;
  beforeEach(async () => {
    wh = await DuckDBWarehouse.open({ path: ':memory:' });
  });
  afterEach(async () => {
    await wh.close();
  });

  it('sums the mart per program, model, channel and month, sorted by month', async () => {
    await writeSummary(wh);
    const data = await loadAttributionSummary(wh, 'main', { now: NOW });
    expect(data.status.state).toBe('ready');
    // One row per mart row here (the mart's grain is program x model x channel x month), ordered month, program,
    // model, channel.
    expect(data.monthly).toEqual([
      {
        program_id: 'p1',
        model: 'last_touch',
        channel: 'Email',
        month: '2025-01-01',
        conversions: 2,
        revenue_minor: 1000,
        assisted_conversions: 0,
      },
      {
        program_id: 'p1',
        model: 'linear',
        channel: 'Email',
        month: '2025-01-01',
        conversions: 1.5,
        revenue_minor: 2500,
        assisted_conversions: 1,
      },
      {
        program_id: 'p2',
        model: 'last_touch',
        channel: 'Email',
        month: '2025-01-01',
        conversions: 1,
        revenue_minor: 500,
        assisted_conversions: 0,
      },
      {
        program_id: 'p1',
        model: 'last_touch',
        channel: 'Email',
        month: '2025-02-01',
        conversions: 1,
        revenue_minor: 400,
        assisted_conversions: 1,
      },
      {
        program_id: 'p1',
        model: 'last_touch',
        channel: 'Referral Program',
        month: '2025-02-01',
        conversions: 1,
        revenue_minor: 3000,
        assisted_conversions: 0,
      },
      {
        program_id: 'p1',
        model: 'linear',
        channel: 'Referral Program',
        month: '2025-03-01',
        conversions: 0.5,
        revenue_minor: 1500,
        assisted_conversions: 1,
      },
    ]);
  });

  it('over all months the range sum equals the all-time cells, per program selection', async () => {
    await writeSummary(wh);
    const data = await loadAttributionSummary(wh, 'main', { now: NOW });
    for (const program of [null, 'p1', 'p2']) {
      const all = data.cells
        .filter((c) => c.program_id === program)
        .sort((a, b) => a.model.localeCompare(b.model) || a.channel.localeCompare(b.channel));
      expect(attributionCellsInRange(data.monthly, program, '2025-01-01', '2025-03-01')).toEqual(all);
    }
  });

  it('a narrower range sums only its months, with shares of the model within the range', async () => {
    await writeSummary(wh);
    const data = await loadAttributionSummary(wh, 'main', { now: NOW });
    // Feb-Mar, all programs: last_touch Email 1 (400, assisted 1), Referral 1 (3000); total 2 conversions, 3400
    // revenue -> shares 1/2 and 1/2, 400/3400 and 3000/3400. linear: Referral 0.5 (1500), its whole total -> 1, 1.
    expect(attributionCellsInRange(data.monthly, null, '2025-02-01', '2025-03-01')).toEqual([
      {
        program_id: null,
        model: 'last_touch',
        channel: 'Email',
        conversions: 1,
        revenue_minor: 400,
        assisted_conversions: 1,
        conversion_share: 0.5,
        revenue_share: 400 / 3400,
      },
      {
        program_id: null,
        model: 'last_touch',
        channel: 'Referral Program',
        conversions: 1,
        revenue_minor: 3000,
        assisted_conversions: 0,
        conversion_share: 0.5,
        revenue_share: 3000 / 3400,
      },
      {
        program_id: null,
        model: 'linear',
        channel: 'Referral Program',
        conversions: 0.5,
        revenue_minor: 1500,
        assisted_conversions: 1,
        conversion_share: 1,
        revenue_share: 1,
      },
    ]);
    // January, p2 only: its single row.
    expect(attributionCellsInRange(data.monthly, 'p2', '2025-01-01', '2025-01-01')).toEqual([
      {
        program_id: 'p2',
        model: 'last_touch',
        channel: 'Email',
        conversions: 1,
        revenue_minor: 500,
        assisted_conversions: 0,
        conversion_share: 1,
        revenue_share: 1,
      },
    ]);
    // A range with no rows: no cells.
    expect(attributionCellsInRange(data.monthly, 'p2', '2025-02-01', '2025-03-01')).toEqual([]);
  });
});

describe('loaders on a mart that lacks one column they read', () => {
  let wh: DuckDBWarehouse;
  beforeEach(async () => {
    wh = await DuckDBWarehouse.open({ path: ':memory:' });
  });
  afterEach(async () => {
    await wh.close();
  });

  it('attribution_summary without assisted_conversions -> incomplete, empty cells and months', async () => {
    await tableWithout(wh, 'attribution_summary', ATTRIBUTION_SUMMARY_COLUMNS, 'assisted_conversions');
    const data = await loadAttributionSummary(wh, 'main', { now: NOW });
    expect([data.status.state, data.status.missingColumns]).toEqual(['incomplete', ['assisted_conversions']]);
    expect([data.cells, data.monthly, data.models, data.currency]).toEqual([[], [], [], null]);
  });

  it('attribution_reconciliation without credit_sum and dark_social_share without dark_social -> incomplete', async () => {
    await tableWithout(wh, 'attribution_reconciliation', ATTRIBUTION_RECONCILIATION_COLUMNS, 'credit_sum');
    await tableWithout(wh, 'dark_social_share', DARK_SOCIAL_SHARE_COLUMNS, 'dark_social');
    const rec = await loadAttributionReconciliation(wh, 'main', { now: NOW });
    expect([rec.status.state, rec.status.missingColumns, rec.models]).toEqual(['incomplete', ['credit_sum'], []]);
    const dark = await loadDarkSocialShare(wh, 'main', { now: NOW });
    expect([dark.status.state, dark.status.missingColumns, dark.rows]).toEqual(['incomplete', ['dark_social'], []]);
  });

  it('experiment_results without reason -> incomplete, no experiments', async () => {
    await tableWithout(wh, 'experiment_results', EXPERIMENT_RESULTS_COLUMNS, 'reason');
    const data = await loadExperiments(wh, 'main', { now: NOW });
    expect([data.status?.state, data.status?.missingColumns, data.experiments]).toEqual(['incomplete', ['reason'], []]);
  });

  it('referral_funnel without first_order_revenue_minor -> incomplete, empty funnel', async () => {
    await tableWithout(wh, 'referral_funnel', REFERRAL_FUNNEL_COLUMNS, 'first_order_revenue_minor');
    const data = await loadReferralFunnel(wh, 'main', { now: NOW });
    expect(data.status?.state).toBe('incomplete');
    expect(data.status?.missingColumns).toEqual(['first_order_revenue_minor']);
    expect([data.totals, data.monthly, data.advocates, data.reportingCurrency]).toEqual([[], [], [], null]);
  });

  it('reward_liability without beneficiaries (and not the balances shape) -> incomplete, no rows', async () => {
    await tableWithout(wh, 'reward_liability', REWARD_LIABILITY_COLUMNS, 'beneficiaries');
    const data = await loadRewardLiability(wh, 'main', { now: NOW });
    expect([data.status?.state, data.status?.missingColumns]).toEqual(['incomplete', ['beneficiaries']]);
    expect([data.rows, data.totals, data.currency]).toEqual([[], [], null]);
  });

  it('a missing mart still throws (the build names it)', async () => {
    await expect(loadAttributionSummary(wh, 'main')).rejects.toThrow(/main\.attribution_summary not found/);
    await expect(loadExperiments(wh, 'main')).rejects.toThrow(/main\.experiment_results not found/);
  });
});
