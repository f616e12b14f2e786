/**
 * The data behind the "Data quality" page, from `data_quality` (one row per source and target table, a few dozen
 * rows): rows read, loaded and quarantined with the top quarantine reason, freshness, duplicate rate, the share of
 * identifiers not stitched to a person, and the check's status with its detail.
 */
import type { Row, Warehouse } from '../warehouse/warehouse.js';
import { exactNumber, martStatus, numberOrNull, type MartStatus } from './mart.js';

export const DATA_QUALITY_COLUMNS = [
  'source',
  'target_table',
  'rows_read',
  'rows_loaded',
  'rows_quarantined',
  'top_reason',
  'newest_event_at',
  'freshness_hours',
  'duplicate_rate',
  'unstitched_share',
  'status',
  'detail',
] as const;

export interface DataQualityRow {
  source: string;
  target_table: string;
  rows_read: number;
  rows_loaded: number;
  rows_quarantined: number;
  top_reason: string | null;
  newest_event_at: string | null;
  freshness_hours: number | null;
  duplicate_rate: number | null;
  unstitched_share: number | null;
  status: string;
  detail: string | null;
}

export interface DataQualityData {
  generatedAt: string;
  status: MartStatus;
  rows: DataQualityRow[];
}

/** Reads `<schema>.data_quality`, worst status first. */
export async function loadDataQuality(
  wh: Warehouse,
  schema: string,
  options: { now?: Date } = {},
): Promise<DataQualityData> {
  const generatedAt = (options.now ?? new Date()).toISOString();
  const status = await martStatus(wh, schema, 'data_quality', DATA_QUALITY_COLUMNS);
  if (status.state !== 'ready') return { generatedAt, status, rows: [] };
  const d = wh.dialect;
  const int = (c: string) => `${d.cast(c, 'int64')} as ${c}`;
  const rows = await wh.query<Row>(
    `select source, target_table, ${int('rows_read')}, ${int('rows_loaded')}, ${int('rows_quarantined')}, top_reason,
  newest_event_at, freshness_hours, duplicate_rate, unstitched_share, status, detail
from ${d.tableRef(schema, 'data_quality')}
order by case status when 'fail' then 0 when 'warn' then 1 else 2 end, source, target_table`,
  );
  const where = 'data_quality: row count';
  const text = (v: unknown) => (v == null ? null : String(v));
  return {
    generatedAt,
    status,
    rows: rows.map((r) => ({
      source: String(r['source']),
      target_table: String(r['target_table']),
      rows_read: exactNumber(r['rows_read'], where),
      rows_loaded: exactNumber(r['rows_loaded'], where),
      rows_quarantined: exactNumber(r['rows_quarantined'], where),
      top_reason: text(r['top_reason']),
      newest_event_at:
        r['newest_event_at'] instanceof Date ? r['newest_event_at'].toISOString() : text(r['newest_event_at']),
      freshness_hours: numberOrNull(r['freshness_hours']),
      duplicate_rate: numberOrNull(r['duplicate_rate']),
      unstitched_share: numberOrNull(r['unstitched_share']),
      status: String(r['status']),
      detail: text(r['detail']),
    })),
  };
}
