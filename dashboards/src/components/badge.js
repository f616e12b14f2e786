// Small coloured status labels (experiment status and decision, reconciliation status). The colour classes
// are defined in report-cards.css; every badge also says its state in words, so colour is never the only cue.
import { el } from './dom.js';

const TONES = {
  ship: 'good',
  concluded: 'good',
  reconciled: 'good',
  'keep running': 'neutral',
  running: 'neutral',
  stop: 'bad',
  'check assignment': 'bad',
  'not reconciled': 'bad',
};

/** A badge for `text`, coloured by its meaning (unknown words are neutral). */
export function badge(text, attributes = {}) {
  return el('span', { class: `badge badge-${TONES[text] ?? 'neutral'}`, ...attributes }, text);
}
