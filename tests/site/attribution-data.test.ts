/**
 * The Attribution page's three data functions on a real in-memory DuckDB with literal mart rows; every expected
 * number is a hand sum of the rows written out beside it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  loadAttributionReconciliation,
  loadAttributionSummary,
  loadDarkSocialShare,
} from '../../src/site/attribution-data.js';
import { MissingMartError } from '../../src/site/referral-funnel-data.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb.js';

async function writeMarts(wh: DuckDBWarehouse): Promise<void> {
  await wh.exec(`
create table main.attribution_summary as
select program_id, model, channel, cast(month as date) as month, cast(conversions as double) as conversions,
  cast(revenue_minor as hugeint) as revenue_minor, 'USD' as currency, cast(assisted as hugeint) as assisted_conversions,
  'v1' as rule_version
from (values
  ('p1', 'last_touch', 'Email', '2025-01-01', 2, 1000, 0),
  ('p1', 'last_touch', 'Referral Program', '2025-02-01', 1, 3000, 0),
  ('p2', 'last_touch', 'Email', '2025-01-01', 1, 500, 0),
  ('p1', 'linear', 'Email', '2025-01-01', 1.5, 2500, 1),
  ('p1', 'linear', 'Referral Program', '2025-02-01', 1.5, 1500, 1),
  ('p2', 'linear', 'Email', '2025-01-01', 1, 500, 0)
) as t(program_id, model, channel, month, conversions, revenue_minor, assisted);
create table main.attribution_reconciliation as
select cast(d as date) as conversion_date, model, cast(c as bigint) as conversions, cast(o as hugeint) as order_revenue_minor,
  cast(a as hugeint) as attributed_revenue_minor, cast(u as hugeint) as unattributed_revenue_minor,
  cast(o - a - u as hugeint) as difference_minor, cast(c as double) as credit_sum, 'USD' as currency, 'v1' as rule_version
from (values
  ('2025-01-01', 'last_touch', 3, 2000, 2000, 0),
  ('2025-02-01', 'last_touch', 1, 3000, 2500, 500),
  ('2025-01-01', 'linear', 3, 2000, 2005, 0),
  ('2025-02-01', 'linear', 1, 3000, 2995, 0)
) as t(d, model, c, o, a, u);
create table main.dark_social_share as
select program_id, cast(r as hugeint) as respondents, cast(w as hugeint) as word_of_mouth,
  cast(u as hugeint) as unreferred_respondents, cast(ds as hugeint) as dark_social,
  ds / r as dark_social_share, ds / u as dark_social_share_unreferred
from (values ('p1', 100, 30, 60, 12), ('p2', 50, 10, 40, 4)) as t(program_id, r, w, u, ds);`);
}

describe('attribution page data', () => {
  let wh: DuckDBWarehouse;
  beforeEach(async () => {
    wh = await DuckDBWarehouse.open({ path: ':memory:' });
  });
  afterEach(async () => {
    await wh.close();
  });

  it('sums the summary per model and channel, over all programs and per program, with shares of the model', async () => {
    await writeMarts(wh);
    const data = await loadAttributionSummary(wh, 'main', { now: new Date('2026-01-02T00:00:00Z') });
    expect([data.currency, data.ruleVersion, data.firstMonth, data.lastMonth]).toEqual([
      'USD',
      'v1',
      '2025-01-01',
      '2025-02-01',
    ]);
    expect(data.programs).toEqual(['p1', 'p2']);
    expect(data.models).toEqual(['last_touch', 'linear']);
    // Conversions over all models: Email 2+1+1.5+1 = 5.5, Referral Program 1+1.5 = 2.5.
    expect(data.channels).toEqual(['Email', 'Referral Program']);
    const all = data.cells.filter((c) => c.program_id === null);
    // last_touch: Email 2+1 = 3 conversions, 1000+500 = 1500; Referral 1, 3000; model totals 4 and 4500.
    // linear: Email 1.5+1 = 2.5, 2500+500 = 3000; Referral 1.5, 1500; totals 4 and 4500.
    expect(
      all.map((c) => [c.model, c.channel, c.conversions, c.revenue_minor, c.assisted_conversions, c.conversion_share]),
    ).toEqual([
      ['last_touch', 'Email', 3, 1500, 0, 0.75],
      ['last_touch', 'Referral Program', 1, 3000, 0, 0.25],
      ['linear', 'Email', 2.5, 3000, 1, 0.625],
      ['linear', 'Referral Program', 1.5, 1500, 1, 0.375],
    ]);
    expect(all.map((c) => c.revenue_share)).toEqual([1500 / 4500, 3000 / 4500, 3000 / 4500, 1500 / 4500]);
    // p1 last_touch: Email 2 of 3 conversions and 1000 of 4000 revenue.
    const p1 = data.cells.find((c) => c.program_id === 'p1' && c.model === 'last_touch' && c.channel === 'Email')!;
    expect([p1.conversions, p1.revenue_minor, p1.conversion_share, p1.revenue_share]).toEqual([2, 1000, 2 / 3, 0.25]);
    expect(data.cells).toHaveLength(4 + 4 + 2);
  });

  it('reconciles per model and flags opposite day errors that sum to zero', async () => {
    await writeMarts(wh);
    const data = await loadAttributionReconciliation(wh, 'main');
    expect(data.currency).toBe('USD');
    expect(
      data.models.map((m) => [
        m.model,
        m.days,
        m.conversions,
        m.order_revenue_minor,
        m.attributed_revenue_minor,
        m.unattributed_revenue_minor,
        m.difference_minor,
        m.abs_difference_minor,
        m.days_off,
        m.reconciled,
      ]),
    ).toEqual([
      // 2000+3000 order revenue; 2000+2500 attributed; 500 unattributed; differences 0 and 0.
      ['last_touch', 2, 4, 5000, 4500, 500, 0, 0, 0, true],
      // differences 2000-2005 = -5 and 3000-2995 = +5: they sum to 0 but |-5| + |5| = 10 over 2 days.
      ['linear', 2, 4, 5000, 5000, 0, 0, 10, 2, false],
    ]);
  });

  it('sums the dark-social share over programs from the counts', async () => {
    await writeMarts(wh);
    const data = await loadDarkSocialShare(wh, 'main');
    expect(data.programs).toEqual(['p1', 'p2']);
    // all: 100+50 respondents, 30+10 word of mouth, 60+40 unreferred, 12+4 dark -> 16/150 and 16/100.
    expect(data.rows[0]).toEqual({
      program_id: null,
      respondents: 150,
      word_of_mouth: 40,
      unreferred_respondents: 100,
      dark_social: 16,
      dark_social_share: 16 / 150,
      dark_social_share_unreferred: 0.16,
    });
    expect(data.rows.map((r) => [r.program_id, r.dark_social_share])).toEqual([
      [null, 16 / 150],
      ['p1', 0.12],
      ['p2', 0.08],
    ]);
  });

  it('refuses a summary that mixes currencies, naming both', async () => {
    await writeMarts(wh);
    await wh.exec("update main.attribution_summary set currency = 'EUR' where program_id = 'p2'");
    await expect(loadAttributionSummary(wh, 'main')).rejects.toThrow(
      'attribution_summary mixes currencies (EUR, USD); its *_minor columns must all be in one currency',
    );
  });

  it('gives empty data for empty marts and names a missing one', async () => {
    await writeMarts(wh);
    await wh.exec(
      'delete from main.attribution_summary; delete from main.attribution_reconciliation; delete from main.dark_social_share',
    );
    const summary = await loadAttributionSummary(wh, 'main');
    expect([summary.cells, summary.models, summary.currency, summary.firstMonth]).toEqual([[], [], null, null]);
    expect((await loadAttributionReconciliation(wh, 'main')).models).toEqual([]);
    const dark = await loadDarkSocialShare(wh, 'main');
    expect(dark.programs).toEqual([]);
    expect(dark.rows.map((r) => [r.program_id, r.respondents, r.dark_social_share])).toEqual([[null, 0, null]]);
    await wh.exec('drop table main.dark_social_share');
    await expect(loadDarkSocialShare(wh, 'main')).rejects.toThrow(MissingMartError);
  });
});
