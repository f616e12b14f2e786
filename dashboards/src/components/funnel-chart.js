// The funnel as horizontal bars, one per stage, each labelled with its count and the step conversion
// rate from the stage before it (clicked / invited, signed up / clicked, converted / signed up).
import * as Plot from '@observablehq/plot';
import { el } from './dom.js';
import { formatCount, formatRate, rate } from './format.js';

const STAGES = [
  { key: 'invited', label: 'Invited' },
  { key: 'clicked', label: 'Clicked' },
  { key: 'signed_up', label: 'Signed up' },
  { key: 'converted', label: 'Converted' },
];

/** The four stages with their counts and step rates (null for the first stage and for a zero denominator). */
export function funnelStages(total) {
  return STAGES.map((stage, i) => {
    const previous = STAGES[i - 1];
    const value = total[stage.key] ?? 0;
    return {
      stage: stage.label,
      key: stage.key,
      value,
      stepRate: previous ? rate(value, total[previous.key] ?? 0) : null,
      stepFrom: previous?.label.toLowerCase() ?? null,
    };
  });
}

/**
 * @param {{invited: number, clicked: number, signed_up: number, converted: number}} total
 * @param {{width?: number}} [options]
 * @returns {HTMLElement} a figure holding the Plot chart
 */
export function funnelChart(total, { width = 640 } = {}) {
  const stages = funnelStages(total);
  const max = Math.max(1, ...stages.map((d) => d.value));
  const label = (d) =>
    d.stepFrom === null ? formatCount(d.value) : `${formatCount(d.value)} · ${formatRate(d.stepRate)} of ${d.stepFrom}`;
  const chart = Plot.plot({
    width,
    height: 220,
    marginLeft: 80,
    style: { fontSize: '12px' },
    marginRight: 20,
    x: { domain: [0, max * 1.45], label: 'People', grid: true, tickFormat: ',d', ticks: 6 },
    y: { domain: stages.map((d) => d.stage), label: null },
    marks: [
      Plot.barX(stages, { x: 'value', y: 'stage', fill: 'var(--refstack-accent, #3b5bdb)', fillOpacity: 0.85 }),
      Plot.text(stages, { x: 'value', y: 'stage', text: label, textAnchor: 'start', dx: 6 }),
      Plot.ruleX([0]),
    ],
  });
  return el('figure', { 'data-testid': 'funnel-chart', class: 'funnel-chart' }, chart);
}
