/** The Salesforce contacts/leads report export CSV source (`refstack ingest salesforce FILE...`). */
export { loadSalesforceReport, SALESFORCE_SOURCE } from './load.js';
export { salesforceSourceSchema, salesforceSettings, type SalesforceSettings } from './config.js';
export { parseLocaleTimestamp, type DateOrder } from './locale-date.js';
export { toId18 } from './record-id.js';
