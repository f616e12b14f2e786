/**
 * Kaplan-Meier product-limit estimator with Greenwood's variance and a pointwise 95% confidence band.
 *
 * Ties: at a time where events and censorings coincide, the censored subjects are counted at risk (the usual
 * convention: censoring happens just after the events at that time).
 *
 * Band: `confType: 'log'` (the default, as R's `survfit`, whose default is `conf.type = "log"`) is
 * S * exp(±z * se(log S)) with se(log S) = sqrt(sum d / (n (n - d))) (Greenwood), the upper limit capped at 1.
 * `'log-log'` is S^exp(±z * se(log S) / log S) (Kalbfleisch & Prentice 1980, section 1.3), which stays in [0, 1].
 * `stdErr` is Greenwood's standard error of S itself: S * se(log S), as R's `summary(survfit(...))$std.err`.
 *
 * References:
 * - E. L. Kaplan and P. Meier (1958), "Nonparametric estimation from incomplete observations", JASA 53, 457-481.
 * - M. Greenwood (1926), "The natural duration of cancer", Reports on Public Health and Medical Subjects 33.
 * - T. M. Therneau, R package survival, `survfit.formula` (conf.type), and D. G. Kleinbaum and M. Klein (2012),
 *   Survival Analysis: A Self-Learning Text, 3rd ed., chapter 2 (the Freireich 6-MP example used in the tests).
 */

import { normalQuantile } from './distributions.js';

export interface SurvivalObservation {
  /** Follow-up time (>= 0, any unit). */
  time: number;
  /** true = the event was observed at `time`; false = censored at `time`. */
  event: boolean;
}

export interface KaplanMeierPoint {
  /** A distinct time with at least one event. */
  time: number;
  /** Subjects with time >= this time. */
  atRisk: number;
  /** Events at this time. */
  events: number;
  /** S(time), the estimated probability of surviving past this time. */
  survival: number;
  /** Greenwood standard error of S(time). */
  stdErr: number;
  /** Lower end of the pointwise band. */
  lower: number;
  /** Upper end of the pointwise band. */
  upper: number;
}

export interface KaplanMeierOptions {
  /** Band transform; default 'log' (R's default). */
  confType?: 'log' | 'log-log';
  /** Coverage of the band; default 0.95. */
  confLevel?: number;
}

/**
 * Kaplan-Meier curve at each event time.
 *
 * @example
 * kaplanMeier([{ time: 1, event: true }, { time: 2, event: false }, { time: 3, event: true }])
 * // [{ time: 1, atRisk: 3, events: 1, survival: 2/3, ... }, { time: 3, atRisk: 1, events: 1, survival: 0, ... }]
 */
export function kaplanMeier(rows: SurvivalObservation[], options: KaplanMeierOptions = {}): KaplanMeierPoint[] {
  const confType = options.confType ?? 'log';
  const confLevel = options.confLevel ?? 0.95;
  if (!(confLevel > 0 && confLevel < 1))
    throw new RangeError(`kaplanMeier: confLevel must be in (0, 1), got ${confLevel}`);
  rows.forEach((r, i) => {
    if (!Number.isFinite(r.time) || r.time < 0) {
      throw new RangeError(`kaplanMeier: row ${i} time must be a finite number >= 0, got ${r.time}`);
    }
  });
  const z = normalQuantile(1 - (1 - confLevel) / 2);
  const byTime = new Map<number, { events: number; total: number }>();
  for (const r of rows) {
    const cell = byTime.get(r.time) ?? { events: 0, total: 0 };
    cell.total++;
    if (r.event) cell.events++;
    byTime.set(r.time, cell);
  }
  const times = [...byTime.keys()].sort((a, b) => a - b);
  let atRisk = rows.length;
  let survival = 1;
  let greenwood = 0;
  const out: KaplanMeierPoint[] = [];
  for (const time of times) {
    const { events, total } = byTime.get(time)!;
    if (events > 0) {
      survival *= 1 - events / atRisk;
      // Greenwood's sum is infinite once S reaches 0 (d = n); the band is then undefined, reported as [0, 0].
      greenwood += events === atRisk ? Infinity : events / (atRisk * (atRisk - events));
      const seLog = Math.sqrt(greenwood);
      let lower = 0;
      let upper = 0;
      if (survival > 0) {
        if (confType === 'log') {
          lower = survival * Math.exp(-z * seLog);
          upper = Math.min(1, survival * Math.exp(z * seLog));
        } else if (survival === 1) {
          lower = upper = 1;
        } else {
          const logS = Math.log(survival);
          const w = (z * seLog) / Math.abs(logS);
          lower = Math.pow(survival, Math.exp(w));
          upper = Math.pow(survival, Math.exp(-w));
        }
      }
      out.push({ time, atRisk, events, survival, stdErr: survival * seLog, lower, upper });
    }
    atRisk -= total;
  }
  return out;
}
