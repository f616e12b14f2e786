/**
 * Data loader for the site: reads payout_forecast READ-ONLY, per scenario and month. Prints the return type of `loadPayoutForecast` in src/site/overview-data.ts as JSON; an absent
 * or empty mart prints an empty shape whose `status` says why (the page then shows "no data yet"). Environment and
 * failure behaviour: src/site/run-loader.ts.
 */
import { loadPayoutForecast } from '../../../src/site/overview-data.js';
import { runLoader } from '../../../src/site/run-loader.js';

runLoader('payout-forecast', loadPayoutForecast, (d) => `${d.status.state}, ${d.status.rows} mart rows`);
