/**
 * Data loader for the "Experiments" page: reads the `experiment_results` mart READ-ONLY and prints the page's
 * data as JSON on stdout (shape: `ExperimentsData` in src/site/experiments-data.ts). Environment and failure
 * behaviour: see src/site/run-loader.ts (REFSTACK_WAREHOUSE, REFSTACK_SCHEMA; one line on stderr and exit 1).
 */
import { loadExperiments } from '../../../src/site/experiments-data.js';
import { runLoader } from '../../../src/site/run-loader.js';

runLoader('experiments', loadExperiments, (d) => `${d.experiments.length} experiments`);
