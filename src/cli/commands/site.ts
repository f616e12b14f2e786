import { Command } from 'commander';
import { resolve } from 'node:path';
import { log } from '../../log.js';
import { buildSite, previewSite } from '../../site/build.js';
import { configFrom, configOption, duckdbPath, positiveIntFlag, warehouseOption } from '../shared.js';

export function buildCommand(): Command {
  return new Command('build')
    .description('build the dashboard site from the marts in the warehouse')
    .addOption(warehouseOption())
    .option('--site <dir>', 'output folder (default: config site.outDir, dashboards/dist)')
    .addOption(configOption())
    .action(async (opts: { warehouse?: string; site?: string; config?: string }) => {
      const config = await configFrom(opts);
      const outDir = resolve(opts.site ?? config.site.outDir);
      const warehousePath = resolve(duckdbPath(config, opts.warehouse, 'build'));
      await buildSite({
        warehousePath,
        outDir,
        schema: config.schemas.analytics,
        title: config.site.title,
        allowPii: config.site.allowPii,
      });
      log.info(`site: ${outDir}`);
    });
}

export function previewCommand(): Command {
  return new Command('preview')
    .description('serve the built site on 127.0.0.1 (no network needed)')
    .option('--site <dir>', 'built site folder (default: config site.outDir, dashboards/dist)')
    .option('-p, --port <port>', 'port (default: 3000)', positiveIntFlag('--port'))
    .addOption(configOption())
    .action(async (opts: { site?: string; port?: number; config?: string }) => {
      const config = await configFrom(opts);
      await previewSite({ outDir: resolve(opts.site ?? config.site.outDir), port: opts.port ?? 3000 });
    });
}
