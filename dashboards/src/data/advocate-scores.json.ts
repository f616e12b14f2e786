/**
 * Data loader for the site: reads advocate_scores READ-ONLY, score bins and tier means. Prints the return type of `loadAdvocateScores` in src/site/advocates-data.ts as JSON; an absent
 * or empty mart prints an empty shape whose `status` says why (the page then shows "no data yet"). Environment and
 * failure behaviour: src/site/run-loader.ts.
 */
import { loadAdvocateScores } from '../../../src/site/advocates-data.js';
import { runLoader } from '../../../src/site/run-loader.js';

runLoader('advocate-scores', loadAdvocateScores, (d) => `${d.status.state}, ${d.status.rows} mart rows`);
