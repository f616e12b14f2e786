/**
 * Data loader for the site: reads reward_liability (balances shape) READ-ONLY. Prints the return type of `loadLiabilityBalances` in src/site/payouts-data.ts as JSON; an absent
 * or empty mart prints an empty shape whose `status` says why (the page then shows "no data yet"). Environment and
 * failure behaviour: src/site/run-loader.ts.
 */
import { loadLiabilityBalances } from '../../../src/site/payouts-data.js';
import { runLoader } from '../../../src/site/run-loader.js';

runLoader('liability-balances', loadLiabilityBalances, (d) => `${d.status.state}, ${d.status.rows} mart rows`);
