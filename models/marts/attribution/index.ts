/** The attribution marts, in dependency order; the lead registers them in models/index.ts. */
import type { ModelDefinition } from '../../../src/models/define-model.js';
import { attributionChannelWeights } from './attribution-channel-weights.js';
import { attributionConversions } from './attribution-conversions.js';
import { attributionCredit } from './attribution-credit.js';
import { attributionJourneys } from './attribution-journeys.js';
import { attributionReconciliation } from './attribution-reconciliation.js';
import { attributionSummary } from './attribution-summary.js';
import { darkSocialShare, surveyVsTracked } from './survey-vs-tracked.js';

export const ATTRIBUTION_MARTS: readonly ModelDefinition[] = [
  attributionConversions,
  attributionJourneys,
  attributionChannelWeights,
  attributionCredit,
  attributionSummary,
  attributionReconciliation,
  surveyVsTracked,
  darkSocialShare,
];
