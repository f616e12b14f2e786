/**
 * Data loader for the site: reads reward_liability READ-ONLY and prints the page's data as JSON on stdout (shape:
 * the return type of `loadRewardLiability` in src/site/rewards-data.ts). A missing mart prints an empty, `available:
 * false` shape. Environment and failure behaviour: see src/site/run-loader.ts (REFSTACK_WAREHOUSE, REFSTACK_SCHEMA;
 * one line on stderr and exit 1).
 */
import { loadRewardLiability } from '../../../src/site/rewards-data.js';
import { runLoader } from '../../../src/site/run-loader.js';

runLoader('reward-liability', loadRewardLiability, (d) => (d.available ? `${d.rows.length} rows` : 'mart missing'));
