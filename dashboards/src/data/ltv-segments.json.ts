/**
 * Data loader for the site: reads ltv_comparison READ-ONLY, the channel and advocate-tier rows. Prints the return type
 * of `loadLtvSegments` in src/site/ltv-segments-data.ts as JSON; an absent or empty mart prints an empty shape whose
 * `status` says why. Environment and failure behaviour: src/site/run-loader.ts.
 */
import { loadLtvSegments } from '../../../src/site/ltv-segments-data.js';
import { runLoader } from '../../../src/site/run-loader.js';

runLoader('ltv-segments', loadLtvSegments, (d) => `${d.status.state}, ${d.rows.length} segment rows`);
