import { describe, expect, it } from 'vitest';
import { minimize } from '../../../models/stats/optimize.js';

describe('minimize (restarted Nelder-Mead)', () => {
  it("finds Rosenbrock's minimum at (1, 1) from the classic start (-1.2, 1)", () => {
    // Rosenbrock (1960): f = 100 (y - x^2)^2 + (1 - x)^2, global minimum f(1, 1) = 0.
    const res = minimize(([x, y]) => 100 * (y! - x! ** 2) ** 2 + (1 - x!) ** 2, [[-1.2, 1]]);
    expect(res.converged).toBe(true);
    expect(res.x[0]).toBeCloseTo(1, 5);
    expect(res.x[1]).toBeCloseTo(1, 5);
    expect(res.fx).toBeLessThan(1e-10);
  });

  it('minimizes a 4-d quadratic exactly at its centre (hand: argmin of sum (i+1)(x_i - i)^2 is x_i = i)', () => {
    const res = minimize((x) => x.reduce((s, xi, i) => s + (i + 1) * (xi - i) ** 2, 0), [[5, 5, 5, 5]]);
    res.x.forEach((xi, i) => expect(xi).toBeCloseTo(i, 5));
  });

  it('keeps the best of several starts and treats non-finite values as worst', () => {
    // Two basins: f = (x^2 - 1)^2 + 0.1 x has its global minimum at the root of f'(x) = 4x^3 - 4x + 0.1 near -1: Newton from -1 gives -1.0122731.
    const f = ([x]: number[]): number => (x! > 3 ? NaN : (x! ** 2 - 1) ** 2 + 0.1 * x!);
    const res = minimize(f, [[2], [-2]]);
    expect(res.x[0]).toBeCloseTo(-1.0122731, 5);
  });

  it('reports non-convergence when the iteration cap is hit', () => {
    const res = minimize(([x, y]) => 100 * (y! - x! ** 2) ** 2 + (1 - x!) ** 2, [[-1.2, 1]], {
      maxIterations: 5,
      maxRestarts: 0,
    });
    expect(res.converged).toBe(false);
  });

  it('throws when every start is infeasible', () => {
    expect(() => minimize(() => Infinity, [[0]])).toThrow(/no starting point gave a finite objective/);
  });
});
