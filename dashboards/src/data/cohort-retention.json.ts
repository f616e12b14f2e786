/**
 * Data loader for the site: reads cohort_retention READ-ONLY and prints the page's data as JSON on stdout (shape:
 * the return type of `loadCohortRetention` in src/site/cohorts-ltv-data.ts). A missing mart prints an empty,
 * `available: false` shape. Environment and failure behaviour: see src/site/run-loader.ts (REFSTACK_WAREHOUSE,
 * REFSTACK_SCHEMA; one line on stderr and exit 1).
 */
import { loadCohortRetention } from '../../../src/site/cohorts-ltv-data.js';
import { runLoader } from '../../../src/site/run-loader.js';

runLoader('cohort-retention', loadCohortRetention, (d) => (d.available ? `${d.cells.length} cells` : 'mart missing'));
