/** The reward marts (payout_forecast and program_roi are registered separately). */
import type { ModelDefinition } from '../../../src/models/define-model.js';
import { payoutBatches } from './payout-batches.js';
import { rewardLedger } from './reward-ledger.js';
import { rewardLiabilityByStatus } from './reward-liability-by-status.js';
import { rewardLiability } from './reward-liability.js';

export const REWARD_MARTS: readonly ModelDefinition[] = [
  rewardLedger,
  rewardLiability,
  rewardLiabilityByStatus,
  payoutBatches,
];
