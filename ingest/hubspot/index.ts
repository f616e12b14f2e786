/**
 * The HubSpot source: contacts from the CRM v3 API into `raw.customers`, incrementally, with quarantine and
 * a resumable cursor. The CLI's `refstack ingest hubspot --api` calls `ingestHubspotContacts`.
 */
export {
  ingestHubspotContacts,
  HUBSPOT_CONTACTS_SOURCE,
  HUBSPOT_TOKEN_ENV,
  type IngestHubspotOptions,
} from './ingest-contacts.js';
export { hubspotSourceSchema, hubspotSettings, type HubspotSettings } from './config.js';
export { contactToCustomer } from './contact-record.js';
