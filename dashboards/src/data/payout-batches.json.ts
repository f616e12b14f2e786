/**
 * Data loader for the site: reads payout_batches READ-ONLY. Prints the return type of `loadPayoutBatches` in src/site/payouts-data.ts as JSON; an absent
 * or empty mart prints an empty shape whose `status` says why (the page then shows "no data yet"). Environment and
 * failure behaviour: src/site/run-loader.ts.
 */
import { loadPayoutBatches } from '../../../src/site/payouts-data.js';
import { runLoader } from '../../../src/site/run-loader.js';

runLoader('payout-batches', loadPayoutBatches, (d) => `${d.status.state}, ${d.status.rows} mart rows`);
