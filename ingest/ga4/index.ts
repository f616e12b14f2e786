/** The GA4 BigQuery export source (`refstack ingest ga4 FILE...`). */
export { loadGa4Events, GA4_SOURCE } from './load.js';
export { ga4SourceSchema, ga4Settings, type Ga4Settings } from './config.js';
