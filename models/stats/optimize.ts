/**
 * Derivative-free minimization for the maximum-likelihood fits (BG/NBD, Gamma-Gamma): Nelder-Mead on an
 * unconstrained vector (callers pass log-parameters so positivity is automatic), restarted from its own best
 * point until a restart no longer improves, and run from several starting points.
 *
 * References:
 * - J. A. Nelder and R. Mead (1965), "A simplex method for function minimization", Computer Journal 7, 308-313.
 * - J. C. Lagarias, J. A. Reeds, M. H. Wright and P. E. Wright (1998), "Convergence properties of the Nelder-Mead
 *   simplex method in low dimensions", SIAM J. Optim. 9, 112-147 (the coefficients 1, 2, 1/2, 1/2 and the
 *   ordering/tie rules used here).
 * - Restarting from the best vertex is the standard remedy for premature simplex collapse (Numerical Recipes
 *   3rd ed., section 10.5).
 */

export interface MinimizeOptions {
  /** Converged when max |f(vertex) - f(best)| <= fTol * (1 + |f(best)|). Default 1e-10. */
  fTol?: number;
  /** ... and the simplex diameter (max abs coordinate difference to the best vertex) <= xTol. Default 1e-7. */
  xTol?: number;
  /** Iteration cap for one simplex run. Default 5000. */
  maxIterations?: number;
  /** Edge length of the initial simplex in each coordinate. Default 0.5 (on a log scale: a factor of 1.65). */
  initialStep?: number;
  /** Restarts from the best point (each with a fresh simplex) until f improves by less than fTol. Default 5. */
  maxRestarts?: number;
}

export interface MinimizeResult {
  /** The minimizing point. */
  x: number[];
  /** f(x). */
  fx: number;
  /** Function evaluations over all restarts. */
  evaluations: number;
  /** True when the last simplex met both tolerances before maxIterations. */
  converged: boolean;
}

/** One Nelder-Mead run; `f` may return Infinity or NaN for infeasible points, which then count as worst. */
function simplexRun(
  f: (x: number[]) => number,
  start: number[],
  step: number,
  fTol: number,
  xTol: number,
  maxIterations: number,
): MinimizeResult {
  const n = start.length;
  const safe = (x: number[]): number => {
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  let evaluations = 0;
  const evalAt = (x: number[]): number => {
    evaluations++;
    return safe(x);
  };
  const pts: number[][] = [start.slice()];
  for (let i = 0; i < n; i++) {
    const p = start.slice();
    p[i]! += step;
    pts.push(p);
  }
  let vals = pts.map(evalAt);
  const combine = (a: number[], b: number[], t: number): number[] => a.map((ai, i) => ai + t * (b[i]! - ai));

  for (let iter = 0; iter < maxIterations; iter++) {
    const order = vals.map((v, i) => [v, i] as const).sort((p, q) => p[0] - q[0]);
    const sortedPts = order.map(([, i]) => pts[i]!);
    const sortedVals = order.map(([v]) => v);
    pts.splice(0, pts.length, ...sortedPts);
    vals = sortedVals;
    const best = vals[0]!;
    const spreadF = Math.max(...vals.map((v) => Math.abs(v - best)));
    const spreadX = Math.max(...pts.slice(1).map((p) => Math.max(...p.map((pi, i) => Math.abs(pi - pts[0]![i]!)))));
    if (Number.isFinite(best) && spreadF <= fTol * (1 + Math.abs(best)) && spreadX <= xTol) {
      return { x: pts[0]!, fx: best, evaluations, converged: true };
    }
    const centroid = new Array<number>(n).fill(0);
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) centroid[i]! += pts[j]![i]! / n;
    const worst = pts[n]!;
    const reflected = combine(centroid, worst, -1);
    const fr = evalAt(reflected);
    if (fr < vals[0]!) {
      const expanded = combine(centroid, worst, -2);
      const fe = evalAt(expanded);
      if (fe < fr) [pts[n], vals[n]] = [expanded, fe];
      else [pts[n], vals[n]] = [reflected, fr];
      continue;
    }
    if (fr < vals[n - 1]!) {
      [pts[n], vals[n]] = [reflected, fr];
      continue;
    }
    // Outside contraction when the reflection beat the worst vertex, inside contraction otherwise.
    const outside = fr < vals[n]!;
    const contracted = outside ? combine(centroid, worst, -0.5) : combine(centroid, worst, 0.5);
    const fc = evalAt(contracted);
    if (outside ? fc <= fr : fc < vals[n]!) {
      [pts[n], vals[n]] = [contracted, fc];
      continue;
    }
    for (let j = 1; j <= n; j++) {
      pts[j] = combine(pts[0]!, pts[j]!, 0.5);
      vals[j] = evalAt(pts[j]!);
    }
  }
  const bestIdx = vals.indexOf(Math.min(...vals));
  return { x: pts[bestIdx]!, fx: vals[bestIdx]!, evaluations, converged: false };
}

/**
 * Minimize `f` from each of `starts` with restarted Nelder-Mead and return the best result. Throws when no start
 * reaches a finite value.
 *
 * @example
 * // Rosenbrock's banana, minimum 0 at (1, 1):
 * minimize(([x, y]) => 100 * (y! - x! ** 2) ** 2 + (1 - x!) ** 2, [[-1.2, 1]]).x // ≈ [1, 1]
 */
export function minimize(
  f: (x: number[]) => number,
  starts: number[][],
  options: MinimizeOptions = {},
): MinimizeResult {
  if (starts.length === 0) throw new RangeError('minimize: at least one starting point is required');
  const fTol = options.fTol ?? 1e-10;
  const xTol = options.xTol ?? 1e-7;
  const maxIterations = options.maxIterations ?? 5000;
  const step = options.initialStep ?? 0.5;
  const maxRestarts = options.maxRestarts ?? 5;
  let best: MinimizeResult | undefined;
  for (const start of starts) {
    let run = simplexRun(f, start, step, fTol, xTol, maxIterations);
    let evaluations = run.evaluations;
    for (let r = 0; r < maxRestarts; r++) {
      const again = simplexRun(f, run.x, step / 10, fTol, xTol, maxIterations);
      evaluations += again.evaluations;
      const improved = run.fx - again.fx > fTol * (1 + Math.abs(run.fx));
      if (again.fx <= run.fx) run = again;
      if (!improved) break;
    }
    run = { ...run, evaluations };
    if (!best || run.fx < best.fx) best = run;
  }
  if (!best || !Number.isFinite(best.fx)) {
    throw new RangeError(`minimize: no starting point gave a finite objective (starts: ${JSON.stringify(starts)})`);
  }
  return best;
}
