/** The HubSpot contacts export CSV source (`refstack ingest hubspot-export FILE...`). */
export { loadHubspotContacts, HUBSPOT_EXPORT_SOURCE } from './load.js';
export { hubspotExportSourceSchema, hubspotExportSettings, type HubspotExportSettings } from './config.js';
export { parseWallClock } from './wall-clock.js';
