/** HubSpot / Mailchimp email events export CSV source (`refstack ingest email FILE...`). */
export { loadEmailEvents, EMAIL_EVENTS_SOURCE } from './load.js';
export { emailEventsSourceSchema, emailEventsSettings, type EmailEventsSettings } from './config.js';
export { EMAIL_EVENT_TYPES, referralCodeFromUrl, type EmailEventType } from './event-fields.js';
export { detectFormat, HUBSPOT_FORMAT, MAILCHIMP_FORMAT } from './providers.js';
