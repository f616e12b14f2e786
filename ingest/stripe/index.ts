/**
 * The Stripe source: charges from the API into `raw.orders`, incrementally, with quarantine and a resumable
 * cursor. The CLI's `refstack ingest stripe --api` calls `ingestStripeCharges`.
 */
export {
  ingestStripeCharges,
  STRIPE_CHARGES_SOURCE,
  STRIPE_KEY_ENV,
  type IngestStripeOptions,
} from './ingest-charges.js';
export { stripeSourceSchema, stripeSettings, type StripeSettings } from './config.js';
export { chargeToOrder, chargeStatus, stripeAmountToMinor, STRIPE_EXPONENT_OVERRIDES } from './charge-record.js';
