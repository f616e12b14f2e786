import { Command, Option } from 'commander';
import { log } from '../../log.js';
import { openWarehouse } from '../../warehouse/open.js';
import { formatLoadReport, loadCanonicalCsv } from '../../../ingest/canonical-csv/index.js';
import { ensureLandingSchema, LANDING_TABLE_NAMES, type LandingTable } from '../../../ingest/landing-schema.js';
import { configFrom, configOption, jsonOption, printJson, warehouseOption } from '../shared.js';

export function ingestCommand(): Command {
  const ingest = new Command('ingest').description('land source data in the raw.* tables');
  ingest
    .command('csv')
    .description('load canonical CSV files (layouts: ingest/canonical-csv/LAYOUTS.md); reloading a file adds nothing')
    .argument('<files...>', 'CSV files; the table is taken from the file name (orders.csv, orders-2025-01.csv)')
    .addOption(new Option('-t, --table <table>', 'landing table for every file').choices(LANDING_TABLE_NAMES))
    .addOption(warehouseOption())
    .addOption(configOption())
    .addOption(jsonOption())
    .action(
      async (files: string[], opts: { table?: LandingTable; warehouse?: string; config?: string; json?: boolean }) => {
        const config = await configFrom(opts);
        const wh = await openWarehouse(config, opts.warehouse ? { pathOverride: opts.warehouse } : {});
        const reports = [];
        try {
          await ensureLandingSchema(wh, config.schemas.raw);
          for (const file of files) {
            const report = await loadCanonicalCsv(wh, { file, config, ...(opts.table ? { table: opts.table } : {}) });
            reports.push(report);
            if (!opts.json) log.info(formatLoadReport(report));
          }
        } finally {
          await wh.close();
        }
        if (opts.json) printJson(reports);
        if (reports.some((r) => r.quarantined > 0) && !opts.json)
          log.info(`quarantined rows: select reason_code, message from ${config.schemas.raw}.quarantine`);
      },
    );
  return ingest;
}
