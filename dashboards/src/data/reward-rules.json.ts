/**
 * Data loader for the site: tier distribution and rule versions in force, from reward_ledger and the operational
 * table reward_rule_versions READ-ONLY. Prints the return type of `loadRewardRules` in
 * src/site/reward-rules-data.ts; absent tables print an empty shape whose `status` says why. Environment and
 * failure behaviour: src/site/run-loader.ts.
 */
import { loadRewardRules } from '../../../src/site/reward-rules-data.js';
import { runLoader } from '../../../src/site/run-loader.js';

runLoader('reward-rules', loadRewardRules, (d) => `${d.tiers.length} tier rows, ${d.versions.length} rule versions`);
