/**
 * Data loader for the site: reads program_roi READ-ONLY, per month and program. Prints the return type of `loadProgramRoi` in src/site/overview-data.ts as JSON; an absent
 * or empty mart prints an empty shape whose `status` says why (the page then shows "no data yet"). Environment and
 * failure behaviour: src/site/run-loader.ts.
 */
import { loadProgramRoi } from '../../../src/site/overview-data.js';
import { runLoader } from '../../../src/site/run-loader.js';

runLoader('program-roi', loadProgramRoi, (d) => `${d.status.state}, ${d.status.rows} mart rows`);
