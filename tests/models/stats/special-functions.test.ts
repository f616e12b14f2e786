import { describe, expect, it } from 'vitest';
import {
  erf,
  erfc,
  logBeta,
  logGamma,
  regularizedIncompleteBeta,
  regularizedIncompleteGammaLower,
  regularizedIncompleteGammaUpper,
} from '../../../models/stats/special-functions.js';

/*
 * Reference values: closed forms where they exist, otherwise the R call is written beside the number. There is no
 * R on the build machine; those numbers were evaluated with mpmath 1.3 at 30 significant digits (R's lgamma,
 * pbeta and pgamma agree with it to double precision) and cross-checked by a closed form where noted.
 */
function expectRel(actual: number, expected: number, tol = 1e-13): void {
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThan(tol);
}

describe('logGamma', () => {
  it('matches closed forms', () => {
    expectRel(logGamma(0.5), Math.log(Math.sqrt(Math.PI))); // Gamma(1/2) = sqrt(pi)
    expect(Math.abs(logGamma(1))).toBeLessThan(1e-15); // Gamma(1) = 0! = 1
    expect(Math.abs(logGamma(2))).toBeLessThan(1e-15); // Gamma(2) = 1! = 1
    expectRel(logGamma(5), Math.log(24)); // Gamma(5) = 4!
    expectRel(logGamma(10), Math.log(362880)); // Gamma(10) = 9!
    expectRel(logGamma(1.5), Math.log(Math.sqrt(Math.PI) / 2)); // Gamma(3/2) = sqrt(pi)/2
  });

  it('matches R lgamma', () => {
    expectRel(logGamma(100), 359.1342053695754); // lgamma(100) = log(99!)
    expectRel(logGamma(0.1), 2.252712651734206); // lgamma(0.1)
    expectRel(logGamma(0.001), 6.907178885383854); // lgamma(0.001)
    expectRel(logGamma(3.7), 1.428072326665388); // lgamma(3.7)
  });

  it('rejects non-positive arguments with the value in the message', () => {
    expect(() => logGamma(0)).toThrow(/got 0/);
    expect(() => logGamma(-2)).toThrow(/got -2/);
  });
});

describe('logBeta', () => {
  it('B(2, 3) = 1! 2! / 4! = 1/12', () => {
    expectRel(logBeta(2, 3), Math.log(1 / 12));
  });
  it('B(1/2, 1/2) = pi', () => {
    expectRel(logBeta(0.5, 0.5), Math.log(Math.PI));
  });
  it('keeps full precision for large arguments (the Stirling-difference branches) as R lbeta does', () => {
    expectRel(logBeta(5001, 95001), -19857.88536485993, 1e-15); // lbeta(5001, 95001)
    expectRel(logBeta(3.5, 1e5), -39.09430927461123, 1e-14); // lbeta(3.5, 1e5): one small, one large
    expectRel(logBeta(12.5, 20), -21.74695371447842, 1e-14); // lbeta(12.5, 20)
    expectRel(logBeta(1e6, 1e6), -1386300.003362921, 1e-15); // lbeta(1e6, 1e6)
  });
});

describe('erf / erfc', () => {
  it('matches R 2 * pnorm(x * sqrt(2)) - 1 and 2 * pnorm(-x * sqrt(2))', () => {
    expectRel(erf(1), 0.8427007929497149); // 2 * pnorm(sqrt(2)) - 1
    expectRel(erf(0.5), 0.5204998778130465);
    expectRel(erf(-0.5), -0.5204998778130465); // odd function
    expectRel(erf(1e-5), 1.1283791670579e-5); // ~ 2x/sqrt(pi) near 0
    expectRel(erfc(3), 2.209049699858544e-5); // 2 * pnorm(-3 * sqrt(2))
    expectRel(erfc(6), 2.151973671249891e-17, 1e-12); // far tail, where 1 - erf(6) would be 0
    expectRel(erfc(-1), 1.842700792949715);
    expect(erf(0)).toBe(0);
    expect(erfc(0)).toBe(1);
  });
});

describe('regularizedIncompleteBeta', () => {
  it('closed forms', () => {
    // pbeta(0.5, 2, 3) = P(Binom(4, .5) >= 2) = (6 + 4 + 1) / 16
    expectRel(regularizedIncompleteBeta(0.5, 2, 3), 0.6875);
    // Arcsine law: pbeta(x, .5, .5) = 2/pi asin(sqrt(x)); x = 1/4 gives 2/pi * pi/6 = 1/3
    expectRel(regularizedIncompleteBeta(0.25, 0.5, 0.5), 1 / 3);
    // pbeta(x, a, 1) = x^a
    expectRel(regularizedIncompleteBeta(0.3, 2.5, 1), Math.pow(0.3, 2.5));
  });

  it('matches R pbeta', () => {
    // pbeta(0.3, 5, 10) = 1 - pbinom(4, 14, 0.3)
    expectRel(regularizedIncompleteBeta(0.3, 5, 10), 0.41579881378065);
    expectRel(regularizedIncompleteBeta(0.9, 0.7, 2.3), 0.9970589290049778); // pbeta(0.9, 0.7, 2.3)
    expectRel(regularizedIncompleteBeta(0.45, 200, 300), 0.9881463456202629, 1e-12); // pbeta(0.45, 200, 300)
  });

  it('is 0 and 1 at the ends and rejects x outside [0, 1]', () => {
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
    expect(() => regularizedIncompleteBeta(1.5, 2, 3)).toThrow(/got 1.5/);
  });
});

describe('regularizedIncompleteGamma', () => {
  it('closed forms', () => {
    // P(1, x) = 1 - exp(-x)
    expectRel(regularizedIncompleteGammaLower(1, 2), 1 - Math.exp(-2));
    expectRel(regularizedIncompleteGammaUpper(1, 2), Math.exp(-2));
    // Q(3, 30) = exp(-30) (1 + 30 + 30^2/2) = ppois(2, 30)
    expectRel(regularizedIncompleteGammaUpper(3, 30), 481 * Math.exp(-30), 1e-12);
  });

  it('matches R pgamma', () => {
    expectRel(regularizedIncompleteGammaLower(2.5, 3), 0.6937810815867216); // pgamma(3, shape = 2.5)
    expectRel(regularizedIncompleteGammaLower(100, 90), 0.1582209891864302, 1e-12); // pgamma(90, shape = 100)
    expectRel(regularizedIncompleteGammaUpper(100, 90), 1 - 0.1582209891864302, 1e-12);
  });

  it('rejects a <= 0', () => {
    expect(() => regularizedIncompleteGammaLower(0, 1)).toThrow(/got 0/);
  });
});
