import { Command } from 'commander';
import { relative, resolve } from 'node:path';
import { log } from '../../log.js';
import { buildDemoWarehouse } from '../../pipeline.js';
import { buildSite } from '../../site/build.js';
import {
  configFrom,
  duckdbPath,
  configOption,
  jsonOption,
  nonNegativeIntFlag,
  positiveIntFlag,
  printJson,
  warehouseOption,
} from '../shared.js';

export function demoCommand(): Command {
  return new Command('demo')
    .description('generate synthetic referral-program data, run every model, and build the dashboard site')
    .option(
      '--customers <n>',
      'customers to generate (default: config demo.customers, 20000)',
      positiveIntFlag('--customers'),
    )
    .option('--seed <s>', 'random seed (default: config demo.seed, 42)', nonNegativeIntFlag('--seed'))
    .addOption(warehouseOption())
    .option('--site <dir>', 'where to write the built site (default: config site.outDir, dashboards/dist)')
    .option('--no-site', 'skip building the site')
    .addOption(configOption())
    .addOption(jsonOption())
    .action(
      async (opts: {
        customers?: number;
        seed?: number;
        warehouse?: string;
        site?: string | false;
        config?: string;
        json?: boolean;
      }) => {
        const config = await configFrom(opts);
        const t0 = performance.now();
        const warehousePath = resolve(duckdbPath(config, opts.warehouse, 'demo'));
        const report = await buildDemoWarehouse({
          warehousePath,
          customers: opts.customers ?? config.demo.customers,
          seed: opts.seed ?? config.demo.seed,
          config,
        });
        let sitePath: string | undefined;
        let siteSeconds = 0;
        if (opts.site !== false) {
          sitePath = resolve(opts.site ?? config.site.outDir);
          const t1 = performance.now();
          log.info('building the site...');
          await buildSite({
            warehousePath,
            outDir: sitePath,
            schema: config.schemas.analytics,
            title: config.site.title,
            allowPii: config.site.allowPii,
          });
          siteSeconds = (performance.now() - t1) / 1000;
        }
        const totalSeconds = (performance.now() - t0) / 1000;
        if (opts.json) {
          printJson({ ...report, sitePath, siteSeconds, totalSeconds });
          return;
        }
        const rows = Object.entries(report.generated)
          .map(([table, n]) => `${table} ${n.toLocaleString('en-US')}`)
          .join(', ');
        log.info(`generated ${rows} in ${report.generateSeconds.toFixed(1)}s`);
        log.info(`ran ${report.models.length} models in ${report.modelSeconds.toFixed(1)}s`);
        log.info(`warehouse: ${warehousePath}`);
        if (sitePath) {
          log.info(`site:      ${sitePath} (built in ${siteSeconds.toFixed(1)}s)`);
          const rel = relative(process.cwd(), sitePath);
          const siteArg = rel && !rel.startsWith('..') ? rel : sitePath;
          log.info(`preview:   npx refstack preview --site ${siteArg}`);
        }
        log.info(`done in ${totalSeconds.toFixed(1)}s`);
      },
    );
}
