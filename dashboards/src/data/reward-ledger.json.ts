/**
 * Data loader for the site: reads reward_ledger READ-ONLY and prints the page's data as JSON on stdout (shape: the
 * return type of `loadRewardLedger` in src/site/rewards-data.ts). A missing mart prints an empty, `available: false`
 * shape. Environment and failure behaviour: see src/site/run-loader.ts (REFSTACK_WAREHOUSE, REFSTACK_SCHEMA; one
 * line on stderr and exit 1).
 */
import { loadRewardLedger } from '../../../src/site/rewards-data.js';
import { runLoader } from '../../../src/site/run-loader.js';

runLoader('reward-ledger', loadRewardLedger, (d) =>
  d.available ? `${d.monthly.length} monthly rows, ${d.ruleVersions.length} rule versions` : 'mart missing',
);
