import { Command, Option } from 'commander';
import type { RefstackConfig } from '../../config.js';
import { HttpError, MissingCredentialError } from '../../http/http-error.js';
import { log } from '../../log.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { formatApiLoadReport, type ApiLoadReport } from '../../../ingest/cursors.js';
import { ingestHubspotContacts } from '../../../ingest/hubspot/index.js';
import { ingestStripeCharges } from '../../../ingest/stripe/index.js';
import { CliError } from '../errors.js';
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
  ingest.addCommand(
    apiCommand(
      'hubspot',
      'HubSpot CRM v3 contacts -> raw.customers (token: HUBSPOT_ACCESS_TOKEN)',
      (wh, config, onPage) => ingestHubspotContacts(wh, { config, onPage }),
    ),
  );
  ingest.addCommand(
    apiCommand('stripe', 'Stripe charges -> raw.orders (key: STRIPE_API_KEY)', (wh, config, onPage, full) =>
      ingestStripeCharges(wh, { config, full, onPage }),
    ).option(
      '--full',
      're-list every charge (picks up refunds and disputes on old charges; unchanged pages are skipped)',
    ),
  );
  return ingest;
}

type ApiRun = (
  wh: Warehouse,
  config: RefstackConfig,
  onPage: (page: { read: number }) => void,
  full: boolean,
) => Promise<ApiLoadReport>;

/** `refstack ingest <source> --api`: pages through the vendor API from the stored cursor. */
function apiCommand(name: string, description: string, run: ApiRun): Command {
  return new Command(name)
    .description(`${description}; incremental from the stored cursor, one transaction per page`)
    .option('--api', 'read from the API (the only mode for this source so far)')
    .addOption(warehouseOption())
    .addOption(configOption())
    .addOption(jsonOption())
    .action(async (opts: { api?: boolean; full?: boolean; warehouse?: string; config?: string; json?: boolean }) => {
      if (!opts.api)
        throw new CliError(`ingest ${name}: pass --api (file exports of ${name} are not supported yet)`, 2);
      const config = await configFrom(opts);
      const wh = await openWarehouse(config, opts.warehouse ? { pathOverride: opts.warehouse } : {});
      let read = 0;
      try {
        await ensureLandingSchema(wh, config.schemas.raw);
        const report = await run(
          wh,
          config,
          (page) => {
            read += page.read;
            log.progress(`${name}: ${read.toLocaleString('en-US')} records read`);
          },
          opts.full === true,
        );
        log.done();
        if (opts.json) printJson(report);
        else log.info(formatApiLoadReport(report));
      } catch (err) {
        log.done();
        if (err instanceof MissingCredentialError) throw new CliError(err.message, 2);
        if (err instanceof HttpError)
          throw new CliError(`${err.message} (pages already committed are kept; rerun to resume)`, 1);
        throw err;
      } finally {
        await wh.close();
      }
    });
}
