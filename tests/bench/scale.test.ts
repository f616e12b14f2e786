import { describe, expect, it } from 'vitest';
import { customersOf, mergeResults, parseScaleArgs } from '../../bench/scale.js';
import { areaOf, modelGroups } from '../../bench/stages/areas.js';
import { baselineStatements } from '../../bench/stages/duckdb-sql.js';
import { matchedTotals, ratios, scalingFactors, type ScaleResult, type StageRow } from '../../bench/stages/report.js';
import { defineModel } from '../../src/models/define-model.js';
import { MODELS } from '../../models/index.js';

describe('customersOf', () => {
  it('reads the named scales and plain numbers', () => {
    expect(customersOf('100k')).toBe(100_000);
    expect(customersOf('1m')).toBe(1_000_000);
    // 10m is 1M customers: the generator's planted touch rate already gives about 10 touches a customer.
    expect(customersOf('10m')).toBe(1_000_000);
    expect(customersOf('2000')).toBe(2000);
    expect(customersOf('2_500')).toBe(2500);
  });

  it('names a bad scale', () => {
    expect(() => customersOf('huge')).toThrow('"huge" is not a scale');
    expect(() => customersOf('100')).toThrow('"100" must be a whole number of at least 500');
  });

  it('parses the flags, defaulting to 100k with the canonical CSV loader', () => {
    expect(parseScaleArgs(['--scale', '100k,1m', '--land', 'parquet', '--no-site'])).toMatchObject({
      scales: ['100k', '1m'],
      land: 'parquet',
      site: false,
      pandas: true,
    });
    expect(parseScaleArgs(['--scale'])).toMatchObject({ scales: ['100k'], land: 'csv' });
    expect(() => parseScaleArgs(['--scale', '1m', '--land', 'json'])).toThrow(
      '--land: expected csv or parquet, got "json"',
    );
  });
});

describe('modelGroups', () => {
  it('puts every registered model in exactly one group, after the groups it depends on', () => {
    const groups = modelGroups(MODELS);
    expect(groups[0]?.area).toBe('staging');
    const at = new Map<string, number>();
    groups.forEach((g, i) => g.models.forEach((m) => at.set(m, i)));
    expect([...at.keys()].sort()).toEqual(MODELS.map((m) => m.name).sort());
    for (const m of MODELS)
      for (const dep of m.dependsOn) expect(at.get(dep)).toBeLessThanOrEqual(at.get(m.name) ?? -1);
  });

  it('splits an area when two areas depend on each other both ways', () => {
    const model = (name: string, dependsOn: string[]) =>
      defineModel({ name, grain: 'one row', dependsOn, columns: { x: 'x' }, build: () => 'select 1 as x' });
    const groups = modelGroups([
      model('stg_a', []),
      model('reward_x', ['stg_a']),
      model('fraud_y', ['reward_x']),
      model('reward_z', ['fraud_y']),
      model('fraud_w', ['stg_a']),
    ]);
    expect(groups).toEqual([
      { area: 'staging', models: ['stg_a'] },
      { area: 'rewards', models: ['reward_x'] },
      { area: 'fraud', models: ['fraud_y', 'fraud_w'] },
      { area: 'rewards', models: ['reward_z'] },
    ]);
    expect(areaOf('something_new')).toBe('other');
  });
});

describe('baselineStatements', () => {
  it('resolves file placeholders, splits at a semicolon ending a line and drops comment-only pieces', () => {
    const sql = `-- header comment;\ncreate table a as select * from read_csv({{file:a.csv}});\n\n-- note\nselect 'x;y' as v;\n`;
    expect(baselineStatements(sql, '/d', (s) => `'${s}'`)).toEqual([
      "create table a as select * from read_csv('/d/a.csv')",
      "-- note\nselect 'x;y' as v",
    ]);
  });
});

const row = (stage: string, rs: number, core: number | undefined, duck?: number, pandas?: number): StageRow => ({
  stage,
  refstack: { seconds: rs, peakRssMb: 100, ...(core !== undefined ? { coreSeconds: core } : {}), detail: {} },
  ...(duck !== undefined ? { duckdb: { seconds: duck, peakRssMb: 50, detail: {} } } : {}),
  ...(pandas !== undefined ? { pandas: { seconds: pandas, peakRssMb: 70 } } : {}),
});

const scale = (name: string, totalRows: number, stages: StageRow[]): ScaleResult => ({
  scale: name,
  customers: totalRows / 10,
  rows: {},
  totalRows,
  touchesPerCustomer: 0,
  generate: { seconds: 1, peakRssMb: 1, detail: {} },
  nodeFloorRssMb: 100,
  ingest: 'canonical-csv',
  stages,
});

describe('mergeResults', () => {
  it('adds the seconds of a split area and keeps the largest peak', () => {
    const part = (seconds: number, peakRssMb: number, model: string) => ({
      stage: 'area',
      seconds,
      peakRssMb,
      childPeakRssMb: 0,
      detail: { perModel: [{ model, rows: 1, seconds }] },
    });
    expect(mergeResults(part(1.5, 300, 'a'), part(2, 200, 'b'))).toEqual({
      stage: 'area',
      seconds: 3.5,
      peakRssMb: 300,
      childPeakRssMb: 0,
      detail: {
        perModel: [
          { model: 'a', rows: 1, seconds: 1.5 },
          { model: 'b', rows: 1, seconds: 2 },
        ],
        groups: 2,
      },
    });
  });
});

describe('ratios and totals', () => {
  it('divides refstack by DuckDB and pandas by refstack, whole stage and core models', () => {
    // Hand calculation: 3/2 = 1.5, 1/2 = 0.5, 6/3 = 2, 6/1 = 6.
    expect(ratios(row('attribution', 3, 1, 2, 6))).toEqual({
      refstackVsDuckdb: 1.5,
      refstackCoreVsDuckdb: 0.5,
      pandasVsRefstack: 2,
      pandasVsRefstackCore: 6,
    });
    expect(ratios(row('fraud', 3, undefined))).toEqual({});
    // Landing from Parquet is not the baselines' CSV parsing: no ratio, and left out of the matched total.
    expect(ratios(row('land (parquet)', 1, undefined, 2, 3))).toEqual({});
  });

  it('sums only the stages that have a DuckDB baseline; a stage without core models counts whole', () => {
    const s = scale('a', 100, [
      row('ingest', 4, undefined, 2, 8),
      row('attribution', 3, 1, 2, 6),
      row('fraud', 9, undefined),
    ]);
    // refstack 4 + 3 = 7; core 4 + 1 = 5; duckdb 2 + 2 = 4; pandas 8 + 6 = 14 (fraud has no baseline).
    expect(matchedTotals(s)).toEqual({ refstack: 7, refstackCore: 5, duckdb: 4, pandas: 14 });
  });

  it('reports the time factor per stage and in total against the data factor', () => {
    const a = scale('100k', 100, [row('ingest', 2, undefined), row('staging', 1, 1)]);
    const b = scale('1m', 1000, [row('ingest', 20, undefined), row('staging', 13, 13)]);
    // data 1000/100 = 10; ingest 20/2 = 10; staging 13/1 = 13; total (20 + 13)/(2 + 1) = 11.
    expect(scalingFactors([a, b])).toEqual([
      { from: '100k', to: '1m', dataFactor: 10, timeFactor: { ingest: 10, staging: 13, total: 11 } },
    ]);
  });
});
