// The fitted parameters of one LTV model (BG/NBD or Gamma-Gamma), one row per acquisition type.
import { formatCount } from './format.js';
import { reportTable } from './report-table.js';
import { GROUP_LABELS } from './acquisition-groups.js';

/** Parameter names in the order the literature writes them (Fader, Hardie & Lee 2005; Fader & Hardie 2013). */
export const MODEL_PARAMETERS = {
  bg_nbd: [
    ['r', 'r'],
    ['alpha', 'α'],
    ['a', 'a'],
    ['b', 'b'],
  ],
  gamma_gamma: [
    ['p', 'p'],
    ['q', 'q'],
    ['gamma', 'γ'],
  ],
};

/**
 * @param {Array<{acquisition_type: string, model: string, parameter: string, value: number, customers: number, converged: boolean, log_likelihood: number}>} parameters
 *   the ltv_model_fit rows (any models; only `model`'s are shown)
 * @param {'bg_nbd' | 'gamma_gamma'} model
 * @returns {HTMLElement}
 */
export function ltvParametersTable(parameters, model) {
  const rows = [];
  for (const p of parameters.filter((q) => q.model === model)) {
    let row = rows.find((r) => r.acquisition_type === p.acquisition_type);
    if (!row) {
      row = {
        acquisition_type: p.acquisition_type,
        customers: p.customers,
        converged: p.converged,
        ll: p.log_likelihood,
      };
      rows.push(row);
    }
    row[p.parameter] = p.value;
  }
  rows.sort((a, b) => b.acquisition_type.localeCompare(a.acquisition_type));
  return reportTable({
    testid: `ltv-parameters-${model}`,
    columns: [
      {
        label: 'Group',
        metric: 'acquisition_type',
        value: (r) => r.acquisition_type,
        format: (r) => GROUP_LABELS[r.acquisition_type] ?? r.acquisition_type,
      },
      ...MODEL_PARAMETERS[model].map(([name, label]) => ({
        label,
        metric: name,
        numeric: true,
        value: (r) => r[name],
        format: (r) => (r[name] === undefined ? '–' : r[name].toPrecision(4)),
      })),
      {
        label: 'Customers',
        metric: 'customers',
        numeric: true,
        value: (r) => r.customers,
        format: (r) => formatCount(r.customers),
      },
      {
        label: 'Log-likelihood',
        metric: 'log_likelihood',
        numeric: true,
        value: (r) => r.ll,
        format: (r) => r.ll.toFixed(1),
      },
      {
        label: 'Converged',
        metric: 'converged',
        value: (r) => String(r.converged),
        format: (r) => (r.converged ? 'yes' : 'no'),
      },
    ],
    rows,
    rowKey: (r) => ({ 'data-group': r.acquisition_type }),
    empty: 'No model fit yet.',
  });
}
