/** The Segment NDJSON source (`refstack ingest segment FILE...`), and the set-based NDJSON loader GA4 shares. */
export { loadSegmentEvents, SEGMENT_SOURCE } from './load.js';
export { segmentSourceSchema, segmentSettings, type SegmentSettings } from './config.js';
export {
  formatNdjsonLoadReport,
  loadNdjson,
  problemsSql,
  JSON_OBJECT_CHECK,
  type NdjsonLoadReport,
  type NdjsonSource,
  type SqlCheck,
} from './ndjson-sql.js';
