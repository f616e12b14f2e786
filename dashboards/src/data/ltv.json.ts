/**
 * Data loader for the site: reads customer_ltv and ltv_model_fit READ-ONLY and prints the page's data as JSON on
 * stdout (shape: the return type of `loadLtv` in src/site/cohorts-ltv-data.ts). A missing mart prints an empty,
 * `available: false` shape. Environment and failure behaviour: see src/site/run-loader.ts (REFSTACK_WAREHOUSE,
 * REFSTACK_SCHEMA; one line on stderr and exit 1).
 */
import { loadLtv } from '../../../src/site/cohorts-ltv-data.js';
import { runLoader } from '../../../src/site/run-loader.js';

runLoader('ltv', loadLtv, (d) =>
  d.available ? `${d.groups.length} groups, ${d.parameters.length} parameters` : 'mart missing',
);
