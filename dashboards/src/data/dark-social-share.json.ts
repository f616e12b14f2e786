/**
 * Data loader for the "Attribution" page's dark-social share: reads the `dark_social_share` mart READ-ONLY and
 * prints `DarkSocialData` (src/site/attribution-data.ts) as JSON. Environment and failure behaviour: see
 * src/site/run-loader.ts.
 */
import { loadDarkSocialShare } from '../../../src/site/attribution-data.js';
import { runLoader } from '../../../src/site/run-loader.js';

runLoader('dark-social-share', loadDarkSocialShare, (d) => `${d.programs.length} programs`);
