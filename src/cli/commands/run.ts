import { Command } from 'commander';
import { log } from '../../log.js';
import { canDryRun, dryRunModels } from '../../models/dry-run.js';
import { runModels } from '../../models/runner.js';
import { CliError } from '../errors.js';
import { openWarehouse } from '../../warehouse/open.js';
import { defaultRegistry } from '../../../models/index.js';
import { configFrom, configOption, jsonOption, printJson, warehouseOption } from '../shared.js';

export function runCommand(): Command {
  return new Command('run')
    .description('run models in dependency order and record each run in refstack_runs')
    .option(
      '-s, --select <model...>',
      'run only these models and what they depend on; name+ adds everything downstream of name',
    )
    .option('--dry-run', 'BigQuery: validate every model and report the bytes each would scan; runs nothing')
    .addOption(warehouseOption())
    .addOption(configOption())
    .addOption(jsonOption())
    .action(
      async (opts: { select?: string[]; warehouse?: string; config?: string; json?: boolean; dryRun?: boolean }) => {
        const config = await configFrom(opts);
        const registry = defaultRegistry();
        // Validate the selection before opening anything, so a typo fails fast with the list of models.
        if (opts.select) registry.expand(opts.select);
        const wh = await openWarehouse(config, {
          ...(opts.warehouse ? { pathOverride: opts.warehouse } : {}),
          ...(opts.dryRun ? { dryRun: true } : {}),
        });
        try {
          if (opts.dryRun) {
            if (!canDryRun(wh))
              throw new CliError(`--dry-run needs a BigQuery warehouse; ${wh.location} runs for free`, 2);
            const prices = await dryRunModels({
              wh,
              config,
              registry,
              ...(opts.select ? { select: opts.select } : {}),
            });
            if (opts.json) return printJson({ warehouse: wh.location, dryRun: true, models: prices });
            for (const p of prices)
              log.info(
                `${p.model.padEnd(28)} ${p.error ? `not priced: ${p.error}` : `${(p.bytes / 1e9).toFixed(3)} GB`}`,
              );
            const total = prices.reduce((s, p) => s + p.bytes, 0);
            log.info(
              `total ${(total / 1e9).toFixed(3)} GB scanned (on-demand at $6.25/TiB: $${((total / 2 ** 40) * 6.25).toFixed(2)})`,
            );
            return;
          }
          const { runId, results } = await runModels({
            wh,
            config,
            registry,
            ...(opts.select ? { select: opts.select } : {}),
          });
          if (opts.json) return printJson({ runId, warehouse: wh.location, models: results });
          for (const r of results)
            log.info(`${r.model.padEnd(28)} ${String(r.rows).padStart(10)} rows  ${r.seconds.toFixed(2)}s`);
          log.info(`run ${runId}: ${results.length} models in ${wh.location}`);
        } finally {
          await wh.close();
        }
      },
    );
}
