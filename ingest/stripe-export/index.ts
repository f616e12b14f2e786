/** The Stripe Dashboard payments export CSV source (`refstack ingest stripe-export FILE...`). */
export { loadStripePayments, STRIPE_EXPORT_SOURCE } from './load.js';
export { stripeExportSourceSchema, stripeExportSettings, type StripeExportSettings } from './config.js';
export { STRIPE_EXPORT_STATUS } from './payment-row.js';
