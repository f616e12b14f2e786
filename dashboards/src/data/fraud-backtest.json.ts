/**
 * Data loader for the site: reads fraud_backtest READ-ONLY, one row per rule. Prints the return type of `loadFraudBacktest` in src/site/fraud-data.ts as JSON; an absent
 * or empty mart prints an empty shape whose `status` says why (the page then shows "no data yet"). Environment and
 * failure behaviour: src/site/run-loader.ts.
 */
import { loadFraudBacktest } from '../../../src/site/fraud-data.js';
import { runLoader } from '../../../src/site/run-loader.js';

runLoader('fraud-backtest', loadFraudBacktest, (d) => `${d.status.state}, ${d.status.rows} mart rows`);
