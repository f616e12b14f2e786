/**
 * Data loader for the site: reads review_queue READ-ONLY, per status and reason plus pending referrals. Prints the return type of `loadReviewQueue` in src/site/fraud-data.ts as JSON; an absent
 * or empty mart prints an empty shape whose `status` says why (the page then shows "no data yet"). Environment and
 * failure behaviour: src/site/run-loader.ts.
 */
import { loadReviewQueue } from '../../../src/site/fraud-data.js';
import { runLoader } from '../../../src/site/run-loader.js';

runLoader('review-queue', loadReviewQueue, (d) => `${d.status.state}, ${d.status.rows} mart rows`);
