/**
 * The canonical CSV source: one documented CSV layout per landing table (see LAYOUTS.md), loaded with
 * validation, quarantine and content-hash idempotency. The CLI's `refstack ingest csv` calls these.
 */
export { loadCanonicalCsv, type LoadCanonicalCsvOptions } from './load.js';
export { formatLoadReport, type LoadReport } from './report.js';
export { CanonicalCsvError, inferTable } from './header.js';
export { CSV_LAYOUTS, type CsvLayout, type CsvColumn } from './layouts.js';
