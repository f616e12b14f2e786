import { describe, expect, it } from 'vitest';
import {
  chiSquareCdf,
  chiSquareSurvival,
  normalCdf,
  normalQuantile,
  studentTCdf,
  studentTQuantile,
} from '../../../models/stats/distributions.js';

/*
 * Expected values: closed forms where they exist, otherwise the R call beside the number. R is not installed on
 * the build machine; those values were evaluated with scipy 1.17 (which agrees with R to double precision).
 */
function expectRel(actual: number, expected: number, tol = 1e-12): void {
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThan(tol);
}

describe('normal', () => {
  it('normalCdf matches R pnorm', () => {
    expectRel(normalCdf(1), 0.8413447460685429); // pnorm(1)
    expectRel(normalCdf(3), 0.9986501019683699); // pnorm(3)
    expectRel(normalCdf(-8), 6.22096057427174e-16); // pnorm(-8): the far tail keeps its digits
    expect(normalCdf(0)).toBe(0.5);
  });

  it('normalQuantile matches R qnorm', () => {
    expectRel(normalQuantile(0.975), 1.959963984540054); // qnorm(0.975)
    expectRel(normalQuantile(0.01), -2.326347874040841); // qnorm(0.01)
    expectRel(normalQuantile(0.3), -0.5244005127080409); // qnorm(0.3)
    expectRel(normalQuantile(1e-10), -6.361340902404056); // qnorm(1e-10)
    expectRel(normalQuantile(0.999999), 4.753424308817087, 1e-9); // qnorm(0.999999); 1 - p holds ~10 digits
    expect(Math.abs(normalQuantile(0.5))).toBeLessThan(1e-16);
  });

  it('quantile inverts the CDF across the range', () => {
    for (const p of [1e-300, 1e-20, 1e-5, 0.02, 0.0243, 0.0244, 0.2, 0.5, 0.7, 0.9756, 0.99]) {
      expectRel(normalCdf(normalQuantile(p)), p, 1e-12);
    }
  });
});

describe('Student t', () => {
  it('studentTCdf matches closed forms', () => {
    expectRel(studentTCdf(1, 1), 0.75); // Cauchy: 1/2 + atan(1)/pi
    // df = 2: F(t) = 1/2 + t / (2 sqrt(2 + t^2)); t = 1 gives 1/2 + 1/(2 sqrt 3)
    expectRel(studentTCdf(1, 2), 0.5 + 1 / (2 * Math.sqrt(3)));
    expect(studentTCdf(0, 7)).toBe(0.5);
  });

  it('studentTCdf matches R pt', () => {
    expectRel(studentTCdf(-1.8608, 17.776), 0.03969828906988993); // pt(-1.8608, 17.776)
    expectRel(studentTCdf(2, 3), 0.9303370157205785); // pt(2, 3)
    expectRel(studentTCdf(0.5, 1.5), 0.65971644466503); // pt(0.5, 1.5)
    expectRel(studentTCdf(1, Infinity), 0.8413447460685429); // pnorm(1)
  });

  it('studentTQuantile matches R qt and closed forms', () => {
    expectRel(studentTQuantile(0.975, 17.776), 2.102821310380221); // qt(0.975, 17.776)
    expectRel(studentTQuantile(0.975, 3), 3.182446305284263); // qt(0.975, 3)
    expectRel(studentTQuantile(0.95, 1), Math.tan(Math.PI * 0.45)); // Cauchy: tan(pi (p - 1/2))
    expectRel(studentTQuantile(0.001, 2.5), -13.82219311086596); // qt(0.001, 2.5)
    expect(studentTQuantile(0.5, 4)).toBe(0);
  });
});

describe('chi-square', () => {
  it('closed forms: df = 2 is exponential, df = 1 survival is erfc(sqrt(x/2))', () => {
    expectRel(chiSquareCdf(3, 2), 1 - Math.exp(-1.5));
    expectRel(chiSquareSurvival(3, 2), Math.exp(-1.5));
  });

  it('matches R pchisq', () => {
    expectRel(chiSquareCdf(3.84, 1), 0.9499564787512949); // pchisq(3.84, 1)
    expectRel(chiSquareCdf(10, 4), 0.9595723180054873); // pchisq(10, 4)
    expectRel(chiSquareSurvival(3.9216, 1), 0.04766949111124923); // pchisq(3.9216, 1, lower.tail = FALSE)
    expectRel(chiSquareSurvival(30, 3), 1.380057031293255e-6); // pchisq(30, 3, lower.tail = FALSE)
  });

  it('rejects a non-positive df with the value', () => {
    expect(() => chiSquareCdf(1, 0)).toThrow(/got 0/);
  });
});
