/**
 * Data loader for the site: reads the referral_funnel mart READ-ONLY and prints the page's data as JSON on stdout
 * (shape: the return type of `loadReferralFunnel` in src/site/referral-funnel-data.ts), advocates pseudonymised
 * unless the config allows PII (`pseudonymiseFunnel`). Environment and failure behaviour: see
 * src/site/run-loader.ts (REFSTACK_WAREHOUSE, REFSTACK_SCHEMA; one line on stderr and exit 1).
 */
import { loadReferralFunnel, pseudonymiseFunnel } from '../../../src/site/referral-funnel-data.js';
import { runLoader } from '../../../src/site/run-loader.js';

runLoader(
  'referral-funnel',
  async (wh, schema) => pseudonymiseFunnel(await loadReferralFunnel(wh, schema)),
  (d) => `${d.programs.length} programs, ${d.monthly.length} monthly rows`,
);
