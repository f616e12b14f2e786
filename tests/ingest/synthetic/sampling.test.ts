/**
 * The generator's SQL samplers against their hand formulas, on 200,000 draws each. Tolerances are 5 standard
 * errors of the statistic, computed from the distribution's own moments (stated per case), so a correct
 * sampler fails with probability below 1e-6 per check and a biased one by more than ~1% fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng, categorical } from '../../../ingest/synthetic/sql.js';
import { DuckDBWarehouse } from '../../../src/warehouse/duckdb.js';

const N = 200_000;
let wh: DuckDBWarehouse;
let rng: Rng;
beforeAll(async () => {
  wh = await DuckDBWarehouse.open({ path: ':memory:' });
  rng = new Rng(wh.dialect, 20_250_101);
  await wh.exec(`create temp table idx as select i from range(${N}) t(i)`);
});
afterAll(async () => {
  await wh.close();
});

type Moments = {
  n: number;
  mean: number;
  variance: number;
  nulls: number;
};

/** Mean and population variance of an SQL expression over i = 0..N-1 (a two-level query for Gamma parts). */
async function moments(value: string, columns = ''): Promise<Moments> {
  const [row] = await wh.query<Moments>(
    `select count(x) as n, avg(x) as mean, var_pop(x) as variance, count(*) - count(x) as nulls
     from (select ${value} as x from (select i${columns ? `, ${columns}` : ''} from idx))`,
  );
  return row!;
}

describe('Gamma sampler (Marsaglia-Tsang, 8 candidates)', () => {
  // Gamma(k, 1): mean k, variance k. SE(mean) = sqrt(k / N). The sample variance has variance
  // (mu4 - sigma^4) / N with mu4 = 3k^2 + 6k (excess kurtosis 6/k), so SE(var) = sqrt((2k^2 + 6k) / N).
  for (const k of [0.243, 0.6, 1, 4, 6.25]) {
    it(`shape ${k}: mean ${k}, variance ${k}, no fallbacks`, async () => {
      const g = rng.gamma(['i'], `gamma-test-${k}`, String(k), 'g');
      const m = await moments(g.value, g.columns);
      expect(m.nulls).toBe(0);
      expect(m.n).toBe(N);
      expect(Math.abs(m.mean - k)).toBeLessThan(5 * Math.sqrt(k / N));
      expect(Math.abs(m.variance - k)).toBeLessThan(5 * Math.sqrt((2 * k * k + 6 * k) / N));
    });
  }

  it('scales: Gamma(shape 4) / rate 20 has mean 0.2 and variance 0.01', async () => {
    // mean k / rate = 4 / 20; variance k / rate^2 = 4 / 400. SE as above, divided by rate and rate^2.
    const g = rng.gamma(['i'], 'gamma-scale', '4', 'g');
    const m = await moments(`${g.value} / 20`, g.columns);
    expect(Math.abs(m.mean - 0.2)).toBeLessThan((5 * Math.sqrt(4 / N)) / 20);
    expect(Math.abs(m.variance - 0.01)).toBeLessThan((5 * Math.sqrt((2 * 16 + 24) / N)) / 400);
  });

  it('gives Beta(a, b) as X / (X + Y): the CDNOW dropout Beta(0.793, 2.426)', async () => {
    // mean a/(a+b) = 0.793/3.219 = 0.24635; variance ab/((a+b)^2 (a+b+1)) = 1.92382/(10.36196 * 4.219) = 0.044006.
    // SE(mean) = sqrt(0.044006 / N) = 0.000469.
    const x = rng.gamma(['i'], 'beta-x', '0.793', 'bx');
    const y = rng.gamma(['i'], 'beta-y', '2.426', 'by');
    const [row] = await wh.query<{ mean: number; variance: number }>(
      `select avg(p) as mean, var_pop(p) as variance from (
        select ${x.value} / (${x.value} + ${y.value}) as p from (select i, ${x.columns}, ${y.columns} from idx))`,
    );
    expect(Math.abs(row!.mean - 0.24635)).toBeLessThan(5 * 0.000469);
    expect(Math.abs(row!.variance - 0.044006)).toBeLessThan(0.002);
  });
});

describe('other draws', () => {
  it('geometric(mean 3): mean 3, variance m(1+m) = 12', async () => {
    // SE(mean) = sqrt(12 / N) = 0.00775.
    const m = await moments(rng.geometric(['i'], 'geo', 3));
    expect(Math.abs(m.mean - 3)).toBeLessThan(5 * 0.00775);
    expect(Math.abs(m.variance - 12)).toBeLessThan(0.6);
  });

  it('exponential: mean 1, variance 1', async () => {
    // SE(mean) = sqrt(1 / N) = 0.00224; SE(var) = sqrt((mu4 - 1) / N) = sqrt(8 / N) = 0.00632.
    const m = await moments(rng.exp(['i'], 'exp'));
    expect(Math.abs(m.mean - 1)).toBeLessThan(5 * 0.00224);
    expect(Math.abs(m.variance - 1)).toBeLessThan(5 * 0.00632);
  });

  it('draws that differ only in the salt are uncorrelated (|r| < 5 / sqrt(N) = 0.0112)', async () => {
    const [row] = await wh.query<{ ab: number; aab: number; seeds: number }>(
      `select corr(${rng.u(['i'], 'a')}, ${rng.u(['i'], 'b')}) as ab, corr(${rng.u(['i'], 'a')}, ${rng.u(['i'], 'ab')}) as aab,
        corr(${rng.u(['i'], 'a')}, ${new Rng(wh.dialect, 20_250_102).u(['i'], 'a')}) as seeds from idx`,
    );
    for (const r of [row!.ab, row!.aab, row!.seeds]) expect(Math.abs(r)).toBeLessThan(0.0112);
  });

  it('categorical picks each value with its probability', async () => {
    // Binomial SE of a share p: sqrt(p (1 - p) / N) <= 0.00112.
    const rows = await wh.query<{ v: string; share: number }>(
      `select v, count(*) / ${N} as share from (select ${categorical(wh.dialect, rng.u(['i'], 'cat'), { a: 0.5, b: 0.3, c: 0.2 })} as v from idx) group by 1 order by 1`,
    );
    expect(rows.map((r) => r.v)).toEqual(['a', 'b', 'c']);
    [0.5, 0.3, 0.2].forEach((p, i) => expect(Math.abs(rows[i]!.share - p)).toBeLessThan(5 * 0.00112));
  });

  it('rejects a mix that does not sum to 1, naming it', () => {
    expect(() => categorical(wh.dialect, 'u', { a: 0.5, b: 0.4 })).toThrow('categorical mix must sum to 1, got 0.9');
  });
});
