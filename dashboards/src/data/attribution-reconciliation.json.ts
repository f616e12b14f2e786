/**
 * Data loader for the "Attribution" page's reconciliation status: reads the `attribution_reconciliation` mart
 * READ-ONLY and prints `AttributionReconciliationData` (src/site/attribution-data.ts) as JSON. Environment and
 * failure behaviour: see src/site/run-loader.ts.
 */
import { loadAttributionReconciliation } from '../../../src/site/attribution-data.js';
import { runLoader } from '../../../src/site/run-loader.js';

runLoader('attribution-reconciliation', loadAttributionReconciliation, (d) => `${d.models.length} models`);
