/**
 * Robust location and scale from a frequency table (value -> how many times it occurs): the median, the median
 * absolute deviation (MAD) and the outlier threshold median + k * MAD. A frequency table is the sufficient
 * statistic SQL returns (`select n, count(*) ... group by n`), so millions of observations cross as a few rows.
 *
 * The MAD is scaled by 1.4826 by default (1 / qnorm(0.75)), which makes it estimate the standard deviation of
 * normal data; R's `mad()` uses the same default constant.
 *
 * References: F. R. Hampel (1974), "The influence curve and its role in robust estimation", JASA 69, 383-393;
 * P. J. Rousseeuw & C. Croux (1993), "Alternatives to the median absolute deviation", JASA 88, 1273-1283;
 * R documentation, `?mad` (stats package).
 */

/** One row of a frequency table: `value` occurs `count` times (count a non-negative integer). */
export interface Frequency {
  value: number;
  count: number;
}

/** The consistency constant 1 / qnorm(0.75) = 1.482602... that R's `mad()` rounds to 1.4826. */
export const MAD_NORMAL_CONSTANT = 1.4826;

function checkTable(table: readonly Frequency[], where: string): number {
  let total = 0;
  table.forEach((f, i) => {
    if (!Number.isFinite(f.value)) throw new RangeError(`${where}: table[${i}].value must be finite, got ${f.value}`);
    if (!Number.isInteger(f.count) || f.count < 0)
      throw new RangeError(`${where}: table[${i}].count must be a non-negative integer, got ${f.count}`);
    total += f.count;
  });
  if (total === 0) throw new RangeError(`${where}: the table holds no observations`);
  return total;
}

/** The k-th smallest observation (0-based) of a table sorted by value. */
function kth(sorted: readonly Frequency[], k: number): number {
  let seen = 0;
  for (const f of sorted) {
    seen += f.count;
    if (k < seen) return f.value;
  }
  throw new RangeError(`kth: index ${k} beyond ${seen} observations`);
}

/**
 * The median of the observations a frequency table describes: the middle one, or the mean of the two middle
 * ones when their number is even (R's `median()`). Rows may repeat a value and come in any order.
 *
 * @example medianOfCounts([{ value: 1, count: 2 }, { value: 2, count: 2 }, { value: 3, count: 1 }, { value: 25, count: 1 }]) // 2
 */
export function medianOfCounts(table: readonly Frequency[]): number {
  const total = checkTable(table, 'medianOfCounts');
  const sorted = table.filter((f) => f.count > 0).sort((a, b) => a.value - b.value);
  const lo = kth(sorted, Math.floor((total - 1) / 2));
  const hi = kth(sorted, Math.floor(total / 2));
  return (lo + hi) / 2;
}

/**
 * The median absolute deviation from the median, times `constant` (default 1.4826, as R's `mad()`).
 *
 * @example madOfCounts([{ value: 1, count: 2 }, { value: 2, count: 2 }, { value: 3, count: 1 }, { value: 25, count: 1 }]) // 1.4826
 */
export function madOfCounts(table: readonly Frequency[], constant = MAD_NORMAL_CONSTANT): number {
  const center = medianOfCounts(table);
  return constant * medianOfCounts(table.map((f) => ({ value: Math.abs(f.value - center), count: f.count })));
}

export interface RobustBaseline {
  /** Observations in the table. */
  n: number;
  median: number;
  /** Scaled MAD. */
  mad: number;
  /** median + k * mad. */
  threshold: number;
}

/**
 * The robust baseline of a frequency table and its outlier threshold median + k * MAD (Hampel's identifier;
 * k = 3 is the usual choice, larger k flags fewer values). When more than half the observations are equal the
 * MAD is 0 and the threshold is the median itself: callers should floor it with a minimum that makes sense for
 * their counts.
 *
 * @example robustBaseline([{ value: 1, count: 4 }, { value: 3, count: 1 }], 3) // { n: 5, median: 1, mad: 0, threshold: 1 }
 */
export function robustBaseline(table: readonly Frequency[], k: number, constant = MAD_NORMAL_CONSTANT): RobustBaseline {
  if (!(k >= 0) || !Number.isFinite(k))
    throw new RangeError(`robustBaseline: k must be a finite number >= 0, got ${k}`);
  const n = checkTable(table, 'robustBaseline');
  const median = medianOfCounts(table);
  const mad = madOfCounts(table, constant);
  return { n, median, mad, threshold: median + k * mad };
}
