/** The SurveyMonkey responses export CSV source, two header rows (`refstack ingest surveymonkey FILE...`). */
export { loadSurveymonkeyResponses, SURVEYMONKEY_SOURCE } from './load.js';
export { surveymonkeySourceSchema, surveymonkeySettings, type SurveymonkeySettings } from './config.js';
