import { describe, expect, it } from 'vitest';
import { hyp2f1 } from '../../../models/stats/hypergeometric.js';

// Every expected value is a closed form from Abramowitz & Stegun (1964) 15.1.3-15.1.20 / DLMF 15.4, evaluated
// with Math in the test itself.
const rel = (got: number, want: number): number => Math.abs(got - want) / Math.abs(want);

describe('hyp2f1', () => {
  it('matches -ln(1 - z) / z = 2F1(1, 1; 2; z) on the series branch and, via Pfaff, for negative z', () => {
    for (const z of [0.1, 0.5, 0.9, -0.5, -3, -50]) {
      expect(rel(hyp2f1(1, 1, 2, z), -Math.log(1 - z) / z)).toBeLessThan(1e-13);
    }
  });

  it('matches asin(sqrt z) / sqrt z = 2F1(1/2, 1/2; 3/2; z), including z near 1 (the 1 - z transformation)', () => {
    for (const z of [0.25, 0.95, 0.999, 1 - 1e-8]) {
      const s = Math.sqrt(z);
      expect(rel(hyp2f1(0.5, 0.5, 1.5, z), Math.asin(s) / s)).toBeLessThan(1e-12);
    }
  });

  it('matches (1 - z)^-a = 2F1(a, b; b; z), where one 1 - z term vanishes (1 / Gamma(0))', () => {
    for (const z of [0.3, 0.97, -4]) {
      expect(rel(hyp2f1(2.3, 1.7, 1.7, z), Math.pow(1 - z, -2.3))).toBeLessThan(1e-12);
    }
  });

  it('matches the near-integer c - a - b fallback: 2F1(1, 1; 2; 0.999) by the slow series', () => {
    expect(rel(hyp2f1(1, 1, 2, 0.999), -Math.log(0.001) / 0.999)).toBeLessThan(1e-12);
  });

  it("uses Gauss's theorem at z = 1: 2F1(1/2, 1/2; 3/2; 1) = Gamma(3/2) Gamma(1/2) / Gamma(1)^2 = pi / 2", () => {
    expect(rel(hyp2f1(0.5, 0.5, 1.5, 1), Math.PI / 2)).toBeLessThan(1e-13);
  });

  it('terminates for a non-positive integer a: 2F1(-2, b; c; z) = 1 - 2bz/c + b(b+1)z^2/(c(c+1))', () => {
    const [b, c, z] = [1.5, 2.5, 0.4];
    expect(rel(hyp2f1(-2, b, c, z), 1 - (2 * b * z) / c + (b * (b + 1) * z * z) / (c * (c + 1)))).toBeLessThan(1e-14);
  });

  it('rejects arguments outside its domain, naming them', () => {
    expect(() => hyp2f1(1, 1, 2, 1.5)).toThrow(/z must be <= 1.*1\.5/);
    expect(() => hyp2f1(1, 1, -2, 0.5)).toThrow(/c must not be a non-positive integer, got -2/);
    expect(() => hyp2f1(1, 1, 2, 1)).toThrow(/diverges at z = 1/);
  });
});
