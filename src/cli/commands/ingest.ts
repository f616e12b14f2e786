import { Command, Option } from 'commander';
import type { RefstackConfig } from '../../config.js';
import { HttpError, MissingCredentialError } from '../../http/http-error.js';
import { log } from '../../log.js';
import { openWarehouse } from '../../warehouse/open.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { formatLoadReport, loadCanonicalCsv, type LoadReport } from '../../../ingest/canonical-csv/index.js';
import { formatApiLoadReport, type ApiLoadReport } from '../../../ingest/cursors.js';
import { loadEmailEvents } from '../../../ingest/email-events/index.js';
import { loadGa4Events } from '../../../ingest/ga4/index.js';
import { loadGa4FromBigQuery } from '../../../ingest/ga4/bigquery-export.js';
import { loadHubspotContacts } from '../../../ingest/hubspot-export/index.js';
import { ingestHubspotContacts } from '../../../ingest/hubspot/index.js';
import { ensureLandingSchema, LANDING_TABLE_NAMES, type LandingTable } from '../../../ingest/landing-schema.js';
import { formatNdjsonLoadReport } from '../../../ingest/segment/ndjson-sql.js';
import { loadSegmentEvents } from '../../../ingest/segment/index.js';
import { loadShopifyOrders } from '../../../ingest/shopify/index.js';
import { loadSalesforceReport } from '../../../ingest/salesforce/index.js';
import { loadStripePayments } from '../../../ingest/stripe-export/index.js';
import { ingestStripeCharges } from '../../../ingest/stripe/index.js';
import { loadSurveymonkeyResponses } from '../../../ingest/surveymonkey/index.js';
import { loadTypeformResponses } from '../../../ingest/typeform/index.js';
import { CliError } from '../errors.js';
import { configFrom, configOption, jsonOption, printJson, warehouseOption } from '../shared.js';

type FileLoader = (wh: Warehouse, file: string, config: RefstackConfig) => Promise<LoadReport>;
type ApiRun = (
  wh: Warehouse,
  config: RefstackConfig,
  onPage: (page: { read: number }) => void,
  full: boolean,
) => Promise<ApiLoadReport>;

interface CommonOptions {
  warehouse?: string;
  config?: string;
  json?: boolean;
}

/** " in 2.1 s (48,000 rows/s)" for a batch that was loaded now; nothing for one already loaded. */
function rateNote(report: LoadReport, seconds: number): string {
  if (report.status !== 'loaded' || seconds <= 0) return '';
  const rate = Math.round(report.read / seconds).toLocaleString('en-US');
  return ` in ${seconds.toFixed(1)} s (${rate} rows/s)`;
}

/** Loads each file in turn into one warehouse; every file is its own batch and transaction. */
async function loadFiles(files: string[], opts: CommonOptions, load: FileLoader): Promise<void> {
  const config = await configFrom(opts);
  const wh = await openWarehouse(config, opts.warehouse ? { pathOverride: opts.warehouse } : {});
  const reports: LoadReport[] = [];
  try {
    await ensureLandingSchema(wh, config.schemas.raw);
    for (const file of files) {
      log.progress(`${file}: loading...`);
      const started = performance.now();
      const report = await load(wh, file, config).finally(() => log.done());
      reports.push(report);
      if (!opts.json) log.info(formatNdjsonLoadReport(report) + rateNote(report, (performance.now() - started) / 1000));
    }
  } finally {
    await wh.close();
  }
  if (opts.json) printJson(reports);
  else if (reports.some((r) => r.quarantined > 0))
    log.info(`quarantined rows: select reason_code, message from ${config.schemas.raw}.quarantine`);
}

/** Pages through a vendor API from the stored cursor, one transaction per page. */
async function runApi(name: string, opts: CommonOptions & { full?: boolean }, run: ApiRun): Promise<void> {
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
}

function fileCommand(name: string, description: string, load: FileLoader): Command {
  return new Command(name)
    .description(`${description}; reloading the same file adds nothing`)
    .argument('<files...>', 'export files')
    .addOption(warehouseOption())
    .addOption(configOption())
    .addOption(jsonOption())
    .action((files: string[], opts: CommonOptions) => loadFiles(files, opts, load));
}

/** A source with both a file export and an API: files as arguments, or --api. */
function fileOrApiCommand(name: string, description: string, load: FileLoader, api: ApiRun, env: string): Command {
  return new Command(name)
    .description(`${description}: export files as arguments, or --api (credential: ${env})`)
    .argument('[files...]', 'export files')
    .option('--api', `read from the API, incrementally from the stored cursor (needs ${env})`)
    .addOption(warehouseOption())
    .addOption(configOption())
    .addOption(jsonOption())
    .action(async (files: string[], opts: CommonOptions & { api?: boolean; full?: boolean }) => {
      if (opts.api && files.length > 0) throw new CliError(`ingest ${name}: give export files or --api, not both`, 2);
      if (opts.api) return runApi(name, opts, api);
      if (files.length === 0) throw new CliError(`ingest ${name}: give export files, or --api`, 2);
      return loadFiles(files, opts, load);
    });
}

/**
 * GA4: export files (NDJSON from `bq extract`), or, on a BigQuery warehouse, the export's `events_*` tables read in
 * place (`--bigquery --from --to`, dataset from warehouse.ga4ExportDataset).
 */
function ga4Command(): Command {
  return new Command('ga4')
    .description(
      'GA4 BigQuery export -> raw.touches: NDJSON export files as arguments, or --bigquery to read events_* in place',
    )
    .argument('[files...]', 'NDJSON export files')
    .option('--bigquery', 'read the export tables in place (BigQuery warehouse; warehouse.ga4ExportDataset)')
    .option('--from <day>', 'first day YYYY-MM-DD (with --bigquery)')
    .option('--to <day>', 'last day YYYY-MM-DD (with --bigquery; default: --from)')
    .addOption(warehouseOption())
    .addOption(configOption())
    .addOption(jsonOption())
    .action(async (files: string[], opts: CommonOptions & { bigquery?: boolean; from?: string; to?: string }) => {
      if (!opts.bigquery) {
        if (files.length === 0) throw new CliError('ingest ga4: give export files, or --bigquery --from DAY', 2);
        return loadFiles(files, opts, (wh, file, config) => loadGa4Events(wh, { file, config }));
      }
      if (files.length > 0) throw new CliError('ingest ga4: give export files or --bigquery, not both', 2);
      const config = await configFrom(opts);
      if (config.warehouse.engine !== 'bigquery' || !config.warehouse.ga4ExportDataset)
        throw new CliError(
          'ingest ga4 --bigquery: needs warehouse.engine "bigquery" and warehouse.ga4ExportDataset in the config',
          2,
        );
      if (!opts.from) throw new CliError('ingest ga4 --bigquery: --from YYYY-MM-DD is required', 2);
      const exportDataset = config.warehouse.ga4ExportDataset;
      const wh = await openWarehouse(config);
      try {
        await ensureLandingSchema(wh, config.schemas.raw);
        const days = await loadGa4FromBigQuery(wh, {
          config,
          exportDataset,
          from: opts.from,
          to: opts.to ?? opts.from,
        });
        if (opts.json) return printJson(days);
        for (const d of days)
          log.info(`${d.day}: ${d.status}, read ${d.read}, loaded ${d.loaded}, quarantined ${d.quarantined}`);
      } finally {
        await wh.close();
      }
    });
}

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
    .action((files: string[], opts: CommonOptions & { table?: LandingTable }) =>
      loadFiles(files, opts, (wh, file, config) =>
        loadCanonicalCsv(wh, { file, config, ...(opts.table ? { table: opts.table } : {}) }),
      ),
    );
  ingest.addCommand(
    fileOrApiCommand(
      'hubspot',
      'HubSpot contacts -> raw.customers',
      (wh, file, config) => loadHubspotContacts(wh, { file, config }),
      (wh, config, onPage) => ingestHubspotContacts(wh, { config, onPage }),
      'HUBSPOT_ACCESS_TOKEN',
    ),
  );
  ingest.addCommand(
    fileOrApiCommand(
      'stripe',
      'Stripe payments/charges (refunds, disputes) -> raw.orders',
      (wh, file, config) => loadStripePayments(wh, { file, config }),
      (wh, config, onPage, full) => ingestStripeCharges(wh, { config, full, onPage }),
      'STRIPE_API_KEY',
    ).option('--full', 'with --api: re-list every charge (picks up refunds and disputes on old charges)'),
  );
  ingest.addCommand(
    fileCommand('shopify', 'Shopify orders export CSV (one row per line item) -> raw.orders', (wh, file, config) =>
      loadShopifyOrders(wh, { file, config }),
    ),
  );
  ingest.addCommand(
    fileCommand('segment', 'Segment page/track/identify events, NDJSON -> raw.touches', (wh, file, config) =>
      loadSegmentEvents(wh, { file, config }),
    ),
  );
  ingest.addCommand(ga4Command());
  ingest.addCommand(
    fileCommand(
      'salesforce',
      'Salesforce contacts or leads report export CSV (Details Only) -> raw.customers',
      (wh, file, config) => loadSalesforceReport(wh, { file, config }),
    ),
  );
  ingest.addCommand(
    fileCommand(
      'typeform',
      'Typeform responses export CSV -> raw.survey_responses (questions mapped by sources.typeform)',
      (wh, file, config) => loadTypeformResponses(wh, { file, config }),
    ),
  );
  ingest.addCommand(
    fileCommand(
      'surveymonkey',
      'SurveyMonkey responses export CSV, two header rows -> raw.survey_responses (questions mapped by sources.surveymonkey)',
      (wh, file, config) => loadSurveymonkeyResponses(wh, { file, config }),
    ),
  );
  ingest.addCommand(
    fileCommand(
      'email',
      'HubSpot email events or Mailchimp email activity export CSV (detected from the header) -> raw.email_events',
      (wh, file, config) => loadEmailEvents(wh, { file, config }),
    ),
  );
  // Nested commands need main's exit override themselves (a bad flag returns exit code 2, it does not exit).
  for (const c of ingest.commands) c.exitOverride().showHelpAfterError('(run with --help for usage)');
  return ingest;
}
