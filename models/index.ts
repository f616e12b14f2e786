/**
 * Every model refstack ships, in declaration order (the registry orders them by dependencies).
 */
import { ModelRegistry } from '../src/models/registry.js';
import type { ModelDefinition } from '../src/models/define-model.js';
import { stgCustomers } from './staging/stg-customers.js';
import { stgExperimentAssignments } from './staging/stg-experiment-assignments.js';
import { experimentResults } from './marts/experiments/experiment-results.js';
import { ATTRIBUTION_MARTS } from './marts/attribution/index.js';
import { rewardLedger } from './marts/rewards/reward-ledger.js';
import { rewardLiability } from './marts/rewards/reward-liability.js';
import { fraudFlags } from './marts/fraud/fraud-flags.js';
import { fraudScores } from './marts/fraud/fraud-scores.js';
import { fraudBacktestModel } from './marts/fraud/fraud-backtest.js';
import { reviewQueue } from './marts/fraud/review-queue.js';
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
  rewardLedger,
  rewardLiability,
  payoutForecast,
  payoutForecastBacktest,
  fraudFlags,
  fraudScores,
  fraudBacktestModel,
  reviewQueue,
  advocateScores,
];

export function defaultRegistry(): ModelRegistry {
  return new ModelRegistry(MODELS);
}
