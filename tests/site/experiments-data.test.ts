/** loadExperiments on a real in-memory DuckDB with literal `experiment_results` rows (the mart's columns). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadExperiments } from '../../src/site/experiments-data.js';
import { MissingMartError } from '../../src/site/referral-funnel-data.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb.js';

const COLUMNS = `experiment varchar, metric varchar, metric_kind varchar, variant varchar, control_variant varchar,
  is_primary boolean, is_guardrail boolean, n bigint, mean double, baseline_n bigint, baseline_mean double,
  abs_lift double, rel_lift double, ci_low double, ci_high double, abs_ci_low double, abs_ci_high double,
  p_value double, p_value_holm double, chance_to_win double, srm_p_value double, excluded_units bigint,
  method varchar, decision varchar, reason varchar, computed_at timestamp`;

// experiment, metric, kind, variant, control, primary, guardrail, n, mean, base_n, base_mean, rel_lift, lo, hi, p, decision
const ROWS: Array<
  [
    string,
    string,
    string,
    string,
    string,
    boolean,
    boolean,
    number,
    number,
    number,
    number,
    number | null,
    number | null,
    number | null,
    number | null,
    string,
  ]
> = [
  [
    'b-test',
    'refunds',
    'referee_refund_rate',
    'new',
    'old',
    false,
    true,
    50,
    0.1,
    80,
    0.05,
    1,
    -0.5,
    2.5,
    0.3,
    'check assignment',
  ],
  [
    'b-test',
    'conv',
    'referee_conversion',
    'new',
    'old',
    true,
    false,
    50,
    0.6,
    80,
    0.5,
    0.2,
    -0.1,
    0.5,
    0.2,
    'check assignment',
  ],
  [
    'a-test',
    'invites',
    'invites',
    'treatment',
    'control',
    true,
    false,
    100,
    2.5,
    100,
    2,
    0.25,
    0.05,
    0.45,
    0.01,
    'ship',
  ],
  [
    'a-test',
    'made_referral',
    'made_referral',
    'treatment',
    'control',
    false,
    false,
    100,
    0.4,
    100,
    0.3,
    0.3333,
    -0.1,
    0.8,
    0.15,
    'ship',
  ],
  [
    'a-test',
    'chargebacks',
    'referee_chargeback_rate',
    'treatment',
    'control',
    false,
    true,
    100,
    0,
    100,
    0,
    null,
    null,
    null,
    null,
    'ship',
  ],
];

async function writeMart(wh: DuckDBWarehouse, rows = ROWS): Promise<void> {
  await wh.exec(`create table main.experiment_results (${COLUMNS})`);
  for (const [e, m, k, v, c, pri, guard, n, mean, bn, bmean, rel, lo, hi, p, decision] of rows) {
    await wh.execute(
      `insert into main.experiment_results values ($e, $m, $k, $v, $c, $pri, $guard, $n, $mean, $bn, $bmean,
        $abs, $rel, $lo, $hi, null, null, $p, $p, 0.9, $srm, $ex, 'test method', $decision, $reason, $at)`,
      {
        e,
        m,
        k,
        v,
        c,
        pri,
        guard,
        n,
        mean,
        bn,
        bmean,
        abs: mean - bmean,
        rel,
        lo,
        hi,
        p,
        decision,
        srm: e === 'b-test' ? 0.0001 : 0.5,
        ex: e === 'b-test' ? 3 : 0,
        reason: `reason of ${e}`,
        at: new Date(e === 'b-test' ? '2025-06-01T00:00:00Z' : '2025-05-01T00:00:00Z'),
      },
    );
  }
}

describe('loadExperiments', () => {
  let wh: DuckDBWarehouse;
  beforeEach(async () => {
    wh = await DuckDBWarehouse.open({ path: ':memory:' });
  });
  afterEach(async () => {
    await wh.close();
  });

  it('groups rows into experiments, variants and metrics, primary first and guardrails last', async () => {
    await writeMart(wh);
    const data = await loadExperiments(wh, 'main', { now: new Date('2026-01-02T00:00:00Z') });
    expect(data.generatedAt).toBe('2026-01-02T00:00:00.000Z');
    expect(data.asOf).toBe('2025-06-01T00:00:00.000Z');
    expect(data.experiments.map((e) => [e.experiment, e.status, e.srm_p_value, e.excluded_units])).toEqual([
      ['a-test', 'concluded', 0.5, 0],
      ['b-test', 'check assignment', 0.0001, 3],
    ]);
    const a = data.experiments[0]!.variants;
    expect(a.map((v) => [v.variant, v.n, v.baseline_n, v.decision, v.reason])).toEqual([
      ['treatment', 100, 100, 'ship', 'reason of a-test'],
    ]);
    expect(a[0]!.metrics.map((m) => [m.metric, m.role, m.value_type, m.unit, m.rel_lift])).toEqual([
      ['invites', 'primary', 'mean', 'invitations per advocate', 0.25],
      ['made_referral', 'secondary', 'rate', 'of advocates made a referral', 0.3333],
      ['chargebacks', 'guardrail', 'rate', "of referees' first orders charged back", null],
    ]);
    expect(data.experiments[1]!.variants[0]!.metrics.map((m) => m.metric)).toEqual(['conv', 'refunds']);
  });

  it('calls an experiment running while any variant keeps running', async () => {
    await writeMart(wh, [
      ['c', 'x', 'invites', 'v1', 'ctl', true, false, 10, 1, 10, 1, 0, -0.1, 0.1, 0.9, 'keep running'],
      ['c', 'x', 'invites', 'v2', 'ctl', true, false, 10, 2, 10, 1, 1, 0.5, 1.5, 0.001, 'ship'],
    ]);
    const data = await loadExperiments(wh, 'main');
    expect(data.experiments.map((e) => [e.status, e.variants.map((v) => v.decision)])).toEqual([
      ['running', ['keep running', 'ship']],
    ]);
  });

  it('returns no experiments from an empty mart', async () => {
    await writeMart(wh, []);
    const data = await loadExperiments(wh, 'main');
    expect(data.experiments).toEqual([]);
    expect(data.asOf).toBeNull();
  });

  it('names a missing mart', async () => {
    await expect(loadExperiments(wh, 'main')).rejects.toThrow(MissingMartError);
    await expect(loadExperiments(wh, 'main')).rejects.toThrow('table main.experiment_results not found');
  });
});
