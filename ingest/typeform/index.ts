/** The Typeform responses export CSV source (`refstack ingest typeform FILE...`). */
export { loadTypeformResponses, TYPEFORM_SOURCE } from './load.js';
export { typeformSourceSchema, typeformSettings, type TypeformSettings } from './config.js';
export { findQuestion, normalizeQuestion } from '../survey-export/survey-fields.js';
