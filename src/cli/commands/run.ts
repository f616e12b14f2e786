import { Command } from 'commander';
import { log } from '../../log.js';
import { runModels } from '../../models/runner.js';
import { openWarehouse } from '../../warehouse/open.js';
import { defaultRegistry } from '../../../models/index.js';
import { configFrom, configOption, jsonOption, printJson, warehouseOption } from '../shared.js';

export function runCommand(): Command {
  return new Command('run')
    .description('run models in dependency order and record each run in refstack_runs')
    .option('-s, --select <model...>', 'run only these models and what they depend on')
    .addOption(warehouseOption())
    .addOption(configOption())
    .addOption(jsonOption())
    .action(async (opts: { select?: string[]; warehouse?: string; config?: string; json?: boolean }) => {
      const config = await configFrom(opts);
      const registry = defaultRegistry();
      // Validate the selection before opening anything, so a typo fails fast with the list of models.
      for (const name of opts.select ?? []) registry.get(name);
      const wh = await openWarehouse(config, opts.warehouse ? { pathOverride: opts.warehouse } : {});
      try {
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
    });
}
