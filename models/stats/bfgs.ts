/**
 * Quasi-Newton minimization (BFGS) of a smooth function with its gradient, for the maximum-likelihood fits whose
 * gradients are cheap (BG/NBD). Callers pass log-parameters, so the problem is unconstrained.
 *
 * Reference: J. Nocedal and S. J. Wright (2006), Numerical Optimization, 2nd ed.: algorithm 6.1 (BFGS), the
 * initial scaling 6.20, and a backtracking line search with the Armijo condition (algorithm 3.1).
 */

export interface BfgsResult {
  x: number[];
  fx: number;
  /** Function-and-gradient evaluations. */
  evaluations: number;
  /** True when the largest gradient component fell below gTol (1 + |f|) before maxIterations. */
  converged: boolean;
}

const dot = (a: number[], b: number[]) => a.reduce((s, ai, i) => s + ai * b[i]!, 0);

/**
 * Minimizes `fg` (returning f and its gradient) from `start`. A step is scaled down to at most `maxStep` in every
 * coordinate, and an evaluation that is not finite counts as a failed step (the line search backs off).
 *
 * @example
 * // f(x, y) = (x - 1)^2 + 10 (y + 2)^2, minimum at (1, -2):
 * minimizeBfgs(([x, y]) => ({ f: (x! - 1) ** 2 + 10 * (y! + 2) ** 2, g: [2 * (x! - 1), 20 * (y! + 2)] }), [0, 0]).x
 */
export function minimizeBfgs(
  fg: (x: number[]) => { f: number; g: number[] },
  start: number[],
  options: { gTol?: number; maxIterations?: number; maxStep?: number } = {},
): BfgsResult {
  const gTol = options.gTol ?? 1e-9;
  const maxIterations = options.maxIterations ?? 500;
  const maxStep = options.maxStep ?? 1;
  const n = start.length;
  let evaluations = 1;
  let x = start.slice();
  let { f, g } = fg(x);
  if (!Number.isFinite(f) || !g.every(Number.isFinite)) return { x, fx: f, evaluations, converged: false };
  // Inverse Hessian approximation, identity until the first step rescales it.
  let h: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let iter = 0; iter < maxIterations; iter++) {
    if (Math.max(...g.map(Math.abs)) <= gTol * (1 + Math.abs(f))) return { x, fx: f, evaluations, converged: true };
    let d = h.map((row) => -dot(row, g));
    if (dot(d, g) >= 0) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      h = h.map((row, i) => row.map((_, j) => (i === j ? 1 : 0)));
      d = g.map((gi) => -gi);
    }
    const big = Math.max(...d.map(Math.abs));
    if (big > maxStep) d = d.map((di) => (di * maxStep) / big);
    const slope = dot(d, g);
    let t = 1;
    let next: { f: number; g: number[] } | undefined;
    let xNew = x;
    for (let k = 0; k < 60; k++) {
      xNew = x.map((xi, i) => xi + t * d[i]!);
      const trial = fg(xNew);
      evaluations++;
      if (Number.isFinite(trial.f) && trial.g.every(Number.isFinite) && trial.f <= f + 1e-4 * t * slope) {
        next = trial;
        break;
      }
      t /= 2;
    }
    if (!next) return { x, fx: f, evaluations, converged: false };
    const s = xNew.map((xi, i) => xi - x[i]!);
    const y = next.g.map((gi, i) => gi - g[i]!);
    const sy = dot(s, y);
    const fPrev = f;
    [x, f, g] = [xNew, next.f, next.g];
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (iter === 0) h = h.map((row) => row.map((v) => (v * sy) / dot(y, y)));
      const hy = h.map((row) => dot(row, y));
      const yhy = dot(y, hy);
      h = h.map((row, i) =>
        row.map((v, j) => v + ((sy + yhy) * s[i]! * s[j]!) / (sy * sy) - (hy[i]! * s[j]! + s[i]! * hy[j]!) / sy),
      );
    }
    if (Math.abs(fPrev - f) <= 1e-15 * (1 + Math.abs(f)) && Math.max(...s.map(Math.abs)) < 1e-12)
      return { x, fx: f, evaluations, converged: Math.max(...g.map(Math.abs)) <= 1e-6 * (1 + Math.abs(f)) };
  }
  return { x, fx: f, evaluations, converged: false };
}
