/**
 * Data loader for the site: reads referral_tree READ-ONLY, per generation and top root advocates. Prints the return type of `loadReferralTree` in src/site/referral-tree-data.ts as JSON; an absent
 * or empty mart prints an empty shape whose `status` says why (the page then shows "no data yet"). Environment and
 * failure behaviour: src/site/run-loader.ts.
 */
import { loadReferralTree } from '../../../src/site/referral-tree-data.js';
import { runLoader } from '../../../src/site/run-loader.js';

runLoader('referral-tree', loadReferralTree, (d) => `${d.status.state}, ${d.status.rows} mart rows`);
