/**
 * Data loader for the site: reads data_quality READ-ONLY, one row per source and table. Prints the return type of `loadDataQuality` in src/site/data-quality-data.ts as JSON; an absent
 * or empty mart prints an empty shape whose `status` says why (the page then shows "no data yet"). Environment and
 * failure behaviour: src/site/run-loader.ts.
 */
import { loadDataQuality } from '../../../src/site/data-quality-data.js';
import { runLoader } from '../../../src/site/run-loader.js';

runLoader('data-quality', loadDataQuality, (d) => `${d.status.state}, ${d.status.rows} mart rows`);
