import { Command } from 'commander';
import { defaultRegistry } from '../../../models/index.js';
import { jsonOption, printJson } from '../shared.js';

export function modelsCommand(): Command {
  return new Command('models')
    .description('list models in run order with their grain and dependencies')
    .addOption(jsonOption())
    .action((opts: { json?: boolean }) => {
      const models = defaultRegistry()
        .order()
        .map((m) => ({ name: m.name, grain: m.grain, dependsOn: m.dependsOn, columns: m.columns ?? {} }));
      if (opts.json) return printJson(models);
      for (const m of models) {
        process.stdout.write(
          `${m.name}\n  grain: ${m.grain}\n  depends on: ${m.dependsOn.join(', ') || '(landing tables)'}\n`,
        );
      }
    });
}
