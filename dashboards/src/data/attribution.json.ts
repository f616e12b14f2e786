/**
 * Data loader for the "Attribution" page's model comparison: reads the `attribution_summary` mart READ-ONLY and
 * prints `AttributionSummaryData` (src/site/attribution-data.ts) as JSON. Environment and failure behaviour: see
 * src/site/run-loader.ts.
 */
import { loadAttributionSummary } from '../../../src/site/attribution-data.js';
import { runLoader } from '../../../src/site/run-loader.js';

runLoader('attribution', loadAttributionSummary, (d) => `${d.models.length} models, ${d.cells.length} cells`);
