/**
 * Every model refstack ships, in declaration order (the registry orders them by dependencies).
 */
import { ModelRegistry } from '../src/models/registry.js';
import type { ModelDefinition } from '../src/models/define-model.js';
import { stgCustomers } from './staging/stg-customers.js';
import { stgExperimentAssignments } from './staging/stg-experiment-assignments.js';
import { experimentResults } from './marts/experiments/experiment-results.js';
import { ATTRIBUTION_MARTS } from './marts/attribution/index.js';
import { REWARD_MARTS } from './marts/rewards/index.js';
import { fraudFlags } from './marts/fraud/fraud-flags.js';
import { fraudScores } from './marts/fraud/fraud-scores.js';
import { fraudBacktestModel } from './marts/fraud/fraud-backtest.js';
import { reviewQueueWithAudit } from './marts/fraud/review-queue.js';
import { advocateScores } from './marts/advocates/advocate-scores.js';
import { payoutForecast } from './marts/forecast/payout-forecast.js';
import { payoutForecastBacktest } from './marts/forecast/payout-forecast-backtest.js';
import { cohortRetention } from './marts/cohorts/cohort-retention.js';
import { customerLtv } from './marts/ltv/customer-ltv.js';
import { ltvComparison } from './marts/ltv/ltv-comparison.js';
import { ltvModelFit } from './marts/ltv/ltv-model-fit.js';
import { survivalCurves } from './marts/ltv/survival-curves.js';
import { stgIdentityMap } from './staging/stg-identity-map.js';
import { stgTouches } from './staging/stg-touches.js';
import { stgOrders } from './staging/stg-orders.js';
import { stgReferralEvents } from './staging/stg-referral-events.js';
import { stgReferrals } from './staging/stg-referrals.js';
import { stgEmailEvents } from './staging/stg-email-events.js';
import { stgMarketingSpend } from './staging/stg-marketing-spend.js';
import { programRoi } from './marts/roi/program-roi.js';
import { advocateRoi } from './marts/roi/advocate-roi.js';
import { channelCac } from './marts/roi/channel-cac.js';
import { dataQuality } from './marts/quality/data-quality.js';
import { activationAudiences } from './marts/activation/activation-audiences.js';
import { activationAuditSample } from './marts/activation/activation-audit-sample.js';
import { alerts } from './marts/activation/alerts.js';
import { referralFunnel } from './marts/referrals/referral-funnel.js';
import { referralGrowth } from './marts/referrals/referral-growth.js';
import { referralTree } from './marts/referrals/referral-tree.js';

export const MODELS: readonly ModelDefinition[] = [
  stgCustomers,
  stgIdentityMap,
  stgTouches,
  stgOrders,
  stgReferralEvents,
  stgReferrals,
  stgEmailEvents,
  stgMarketingSpend,
  stgExperimentAssignments,
  referralFunnel,
  referralTree,
  referralGrowth,
  experimentResults,
  cohortRetention,
  ltvModelFit,
  customerLtv,
  survivalCurves,
  ltvComparison,
  ...ATTRIBUTION_MARTS,
  ...REWARD_MARTS,
  payoutForecast,
  payoutForecastBacktest,
  fraudFlags,
  fraudScores,
  fraudBacktestModel,
  activationAuditSample,
  reviewQueueWithAudit,
  advocateScores,
  programRoi,
  advocateRoi,
  channelCac,
  dataQuality,
  activationAudiences,
  alerts,
];

export function defaultRegistry(): ModelRegistry {
  return new ModelRegistry(MODELS);
}
