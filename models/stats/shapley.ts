/**
 * Shapley-value attribution in the simplified form: the worth of a channel set S is the conversions (and value)
 * of the journeys whose channel set is a subset of S.
 *
 * References:
 * - Shapley (1953), "A value for n-person games", Contributions to the Theory of Games II, 307-317.
 * - Zhao, Mahboobi, Bagheri (2018), "Shapley value methods for attribution modeling in online advertising",
 *   arXiv:1804.05327 (the simplified Shapley value for attribution, v(S) from journeys within S).
 * - "Data-driven marketing attribution", Towards Data Science,
 *   https://towardsdatascience.com/data-driven-marketing-attribution-1a28d2e613a0, reproduced in the notebook
 *   github.com/tomgorb/misc "Data Driven Attribution.ipynb" (Facebook/Organic/LinkedIn example: 0.455,
 *   0.205, 0.34).
 */
import { byName, checkedPath, type AttributionPath, type ChannelCredit } from './markov.js';

/** The most distinct channels `shapleyByEnumeration` accepts: it holds 2^n worths (2^20 = 1,048,576). */
export const SHAPLEY_MAX_CHANNELS = 20;

interface Coalitions {
  channels: string[];
  /** Distinct channel sets seen in converting journeys, as sorted channel indexes, with their totals. */
  sets: { members: number[]; conversions: number; value: number }[];
}

function coalitions(paths: readonly AttributionPath[]): Coalitions {
  const seen = new Set<string>();
  const checked = paths.map((p, i) => {
    const cs = new Set(checkedPath(p, i, Number.POSITIVE_INFINITY));
    cs.forEach((c) => seen.add(c));
    return cs;
  });
  const channels = [...seen].sort(byName);
  const index = new Map(channels.map((c, i) => [c, i] as const));
  const byKey = new Map<string, Coalitions['sets'][number]>();
  paths.forEach((p, i) => {
    // Nulls never enter v(S): the simplified game is defined on converted journeys only.
    if (p.conversions === 0 && (p.value ?? 0) === 0) return;
    const members = [...checked[i]!].map((c) => index.get(c)!).sort((a, b) => a - b);
    const key = members.join(',');
    const set = byKey.get(key) ?? { members, conversions: 0, value: 0 };
    set.conversions += p.conversions;
    set.value += p.value ?? 0;
    byKey.set(key, set);
  });
  return { channels, sets: [...byKey.values()] };
}

/**
 * Shapley-value attribution of conversions and conversion value to channels (simplified form).
 *
 * The game: v(S) = conversions of the journeys whose channel set is a subset of S (order and repeats within a
 * journey are ignored). The Shapley value of channel i is `sum over S not containing i of
 * |S|! (n - |S| - 1)! / n! x (v(S + i) - v(S))`.
 *
 * Computation: v is a sum over the distinct converting channel sets T of `conversions_T x u_T`, where u_T is
 * the unanimity game (u_T(S) = 1 when T is a subset of S). The Shapley value is additive and splits a
 * unanimity game equally among T's members (Shapley 1953), so `phi_i = sum over T containing i of
 * conversions_T / |T|`. This is exact, linear in the input, and needs no cap on the number of channels;
 * `shapleyByEnumeration` evaluates the subset formula directly and is tested to agree.
 *
 * Contracts: nulls do not enter the simplified value (a channel seen only in journeys that did not convert
 * gets 0); value is credited by the same rule with v(S) = value of the journeys within S; credits sum to the
 * totals; output has one row per channel seen, sorted by channel name (code-unit order).
 *
 * @example
 * // Towards Data Science "Data-driven marketing attribution": 100 conversions over Facebook (F), Organic (O), LinkedIn (L) journeys.
 * shapleyAttribution([
 *   { channels: ['F'], conversions: 20, nulls: 0 },
 *   { channels: ['O'], conversions: 10, nulls: 0 },
 *   { channels: ['L'], conversions: 17, nulls: 0 },
 *   { channels: ['O', 'F'], conversions: 17, nulls: 0 },
 *   { channels: ['L', 'F'], conversions: 30, nulls: 0 },
 *   { channels: ['F', 'O', 'L'], conversions: 6, nulls: 0 },
 * ]);
 * // => F 45.5, L 34, O 20.5 conversions
 */
export function shapleyAttribution(paths: readonly AttributionPath[]): ChannelCredit[] {
  const { channels, sets } = coalitions(paths);
  const out = channels.map((channel) => ({ channel, conversions: 0, value: 0 }));
  for (const set of sets) {
    const k = set.members.length;
    for (const m of set.members) {
      out[m]!.conversions += set.conversions / k;
      out[m]!.value += set.value / k;
    }
  }
  return out;
}

/**
 * The same Shapley values by the subset formula: v(S) for all 2^n channel sets by a subset-sum (zeta)
 * transform over the distinct sets present, then the weighted marginal contributions. O(n 2^n) time and
 * memory; throws beyond `SHAPLEY_MAX_CHANNELS` distinct channels. Use `shapleyAttribution` in models.
 *
 * @example
 * shapleyByEnumeration([{ channels: ['A', 'B'], conversions: 2, nulls: 0 }]); // A 1, B 1
 */
export function shapleyByEnumeration(paths: readonly AttributionPath[]): ChannelCredit[] {
  const { channels, sets } = coalitions(paths);
  const n = channels.length;
  if (n > SHAPLEY_MAX_CHANNELS)
    throw new RangeError(
      `shapleyByEnumeration: ${n} distinct channels exceed the cap of ${SHAPLEY_MAX_CHANNELS} (2^n worths); ` +
        `use shapleyAttribution, which is exact without enumeration`,
    );
  const size = 1 << n;
  const conv = new Float64Array(size);
  const val = new Float64Array(size);
  for (const set of sets) {
    const mask = set.members.reduce((m, i) => m | (1 << i), 0);
    conv[mask]! += set.conversions;
    val[mask]! += set.value;
  }
  // Zeta transform: afterwards conv[S] = sum of conv[T] over T subset of S, i.e. v(S).
  for (let bit = 0; bit < n; bit++)
    for (let s = 0; s < size; s++)
      if (s & (1 << bit)) {
        conv[s]! += conv[s ^ (1 << bit)]!;
        val[s]! += val[s ^ (1 << bit)]!;
      }
  // weight[k] = k! (n - k - 1)! / n! = 1 / (n x C(n - 1, k))
  const weight: number[] = [];
  let binom = 1;
  for (let k = 0; k < n; k++) {
    weight.push(1 / (n * binom));
    binom = (binom * (n - 1 - k)) / (k + 1);
  }
  const popcount = (x: number) => {
    let c = 0;
    for (; x; x &= x - 1) c++;
    return c;
  };
  const out = channels.map((channel) => ({ channel, conversions: 0, value: 0 }));
  for (let s = 0; s < size; s++) {
    const w = weight[popcount(s)];
    for (let i = 0; i < n; i++) {
      if (s & (1 << i)) continue;
      const t = s | (1 << i);
      out[i]!.conversions += w! * (conv[t]! - conv[s]!);
      out[i]!.value += w! * (val[t]! - val[s]!);
    }
  }
  return out;
}
