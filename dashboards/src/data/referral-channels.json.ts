/**
 * Data loader for the site: the referral funnel per program, share channel and month, aggregated in the warehouse
 * from stg_referral_events and stg_referrals READ-ONLY (the referral_funnel mart has no channel grain). Prints the
 * return type of `loadReferralChannels` in src/site/referral-channels-data.ts; absent tables print an empty shape
 * whose `status` says why. Environment and failure behaviour: src/site/run-loader.ts.
 */
import { loadReferralChannels } from '../../../src/site/referral-channels-data.js';
import { runLoader } from '../../../src/site/run-loader.js';

runLoader('referral-channels', loadReferralChannels, (d) => `${d.rows.length} channel-months`);
