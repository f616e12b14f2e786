/**
 * Stage `generate` (untimed against any baseline): the synthetic demo generator writes a scale's landing data
 * into a scratch DuckDB file, which is then exported per landing table as a canonical CSV file (the layout of
 * ingest/canonical-csv, money in major units) and as a Parquet file (the landing columns as typed, lineage
 * included). Every later stage, refstack's and the baselines', reads these same files.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { demoConfig } from '../../src/pipeline.js';
import type { SqlDialect } from '../../src/warehouse/dialect.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb.js';
import { CSV_LAYOUTS, type CsvColumn } from '../../ingest/canonical-csv/index.js';
import { ensureLandingSchema, LANDING_TABLE_NAMES } from '../../ingest/landing-schema.js';
import { generateSynthetic } from '../../ingest/synthetic/index.js';

/** The CSV cell for a layout column: amounts as major-unit text, timestamps as ISO 8601 with Z, others as is. */
function csvCell(d: SqlDialect, column: CsvColumn): string {
  const col = d.quoteIdent(column.target);
  switch (column.kind.type) {
    case 'amount':
      // The synthetic currencies (USD, EUR) both have two decimals; amounts are never negative.
      return `case when ${col} is null then null else cast(${col} // 100 as varchar) || '.' || lpad(cast(${col} % 100 as varchar), 2, '0') end`;
    case 'timestamp':
      return `strftime(${col}, '%Y-%m-%dT%H:%M:%S.%gZ')`;
    default:
      return `cast(${col} as varchar)`;
  }
}

export interface GeneratedFiles {
  /** Rows per landing table (tables with no rows are not written). */
  rows: Record<string, number>;
  generateSeconds: number;
  exportSeconds: number;
}

export async function generateFiles(dataDir: string, customers: number): Promise<GeneratedFiles> {
  const config = demoConfig();
  const raw = config.schemas.raw;
  const path = join(dataDir, 'generated.duckdb');
  const wh = await DuckDBWarehouse.open({ path });
  try {
    const d = wh.dialect;
    await ensureLandingSchema(wh, raw);
    const report = await generateSynthetic(wh, {
      customers,
      seed: 1,
      start: config.demo.start,
      months: config.demo.months,
      programs: config.programs,
      rawSchema: raw,
      reportingCurrency: config.reportingCurrency,
    });
    const t0 = performance.now();
    const rows: Record<string, number> = {};
    for (const table of LANDING_TABLE_NAMES) {
      const n = report.rows[table] ?? 0;
      if (n === 0) continue;
      rows[table] = n;
      const ref = d.tableRef(raw, table);
      const cells = CSV_LAYOUTS[table].columns.map((c) => `${csvCell(d, c)} as ${d.quoteIdent(c.header)}`);
      const order = `order by ${d.quoteIdent('_row_number')}`;
      await wh.exec(
        `copy (select ${cells.join(', ')} from ${ref} ${order}) to ${d.stringLiteral(join(dataDir, `${table}.csv`))} (header, delimiter ',')`,
      );
      await wh.exec(
        `copy (select * from ${ref} ${order}) to ${d.stringLiteral(join(dataDir, `${table}.parquet`))} (format parquet)`,
      );
    }
    return { rows, generateSeconds: report.seconds, exportSeconds: (performance.now() - t0) / 1000 };
  } finally {
    await wh.close();
    for (const suffix of ['', '.wal']) rmSync(`${path}${suffix}`, { force: true });
  }
}
