/**
 * A seeded pseudo-random number generator for simulations that must be reproducible: the same seed gives the
 * same stream on every machine and Node version (only 32-bit integer arithmetic: `Math.imul`, shifts, `>>> 0`).
 * Never `Math.random()` in models: a rerun must give the identical table.
 *
 * The generator is xoshiro128** 1.1 (Blackman & Vigna): 128 bits of state, period 2^128 - 1, passes BigCrush.
 * Its four state words are filled from the seed with SplitMix32 (a 32-bit variant of Steele, Lea & Flood's
 * SplitMix: a Weyl sequence through a xor-shift-multiply finalizer, as in bryc's PRNG collection), so nearby
 * seeds give unrelated streams and the state is never all zero.
 *
 * References: D. Blackman & S. Vigna (2021), "Scrambled linear pseudorandom number generators", ACM TOMS 47(4),
 * reference C code https://prng.di.unimi.it/xoshiro128starstar.c; G. Steele, D. Lea & C. Flood (2014), "Fast
 * splittable pseudorandom number generators", OOPSLA; https://github.com/bryc/code/blob/master/jshash/PRNGs.md.
 */

/** Uniform 32-bit words and doubles in (0, 1) from one seed. */
export interface RandomSource {
  /** The next unsigned 32-bit integer. */
  nextUint32(): number;
  /** The next double strictly inside (0, 1) (never 0 or 1, so logs and divisions are safe). */
  nextUniform(): number;
}

/**
 * SplitMix32: a stream of well-mixed 32-bit words from a 32-bit counter (the golden-ratio increment 0x9e3779b9,
 * then the xor-shift-multiply finalizer with constants 0x21f0aaad and 0x735a2d97). Used to seed xoshiro128**.
 *
 * @example splitMix32(0)() // 1684164658 (the C reference gives the same; tests/models/stats/random.test.ts)
 */
export function splitMix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
}

const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;

/**
 * xoshiro128** 1.1 with an explicit state. `Xoshiro128StarStar.fromSeed(seed)` is the usual way in.
 *
 * @example
 * const rng = Xoshiro128StarStar.fromSeed(42);
 * rng.nextUint32(); // the same number on every run
 */
export class Xoshiro128StarStar implements RandomSource {
  private s: Uint32Array;

  /** A generator from four state words (not all zero), exactly as the reference C code's `s[4]`. */
  constructor(state: readonly [number, number, number, number]) {
    if (state.every((w) => w >>> 0 === 0)) throw new RangeError('xoshiro128**: the state must not be all zero');
    this.s = Uint32Array.from(state.map((w) => w >>> 0));
  }

  /** A generator whose state is four SplitMix32 words from `seed` (an integer; taken modulo 2^32). */
  static fromSeed(seed: number): Xoshiro128StarStar {
    if (!Number.isInteger(seed)) throw new RangeError(`xoshiro128**: seed must be an integer, got ${seed}`);
    const mix = splitMix32(seed);
    return new Xoshiro128StarStar([mix(), mix(), mix(), mix()]);
  }

  nextUint32(): number {
    const s = this.s;
    let [s0, s1, s2, s3] = [s[0]!, s[1]!, s[2]!, s[3]!];
    const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3 >>> 0, 11);
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
    return result;
  }

  nextUniform(): number {
    // The midpoint of one of 2^32 equal bins: in (0, 1), mean exactly 1/2.
    return (this.nextUint32() + 0.5) / 4294967296;
  }
}
