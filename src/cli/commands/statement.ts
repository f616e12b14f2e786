/**
 * `refstack statement <advocate_id> [--format html|csv] [--out FILE] [--json]`: the advocate's referrals, statuses,
 * rewards and payouts from reward_ledger in plain words ("where is my reward?"), with no other advocate's data.
 * Without --out the document goes to stdout; --json prints the statement itself (lines and totals, minor units).
 */
import { writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { openWarehouse } from '../../warehouse/open.js';
import { statementCsv, statementHtml } from '../../../activate/statement/render.js';
import { advocateStatement } from '../../../activate/statement/statement.js';
import { CliError } from '../errors.js';
import { configFrom, configOption, jsonOption, printJson, warehouseOption } from '../shared.js';

export function statementCommand(): Command {
  return new Command('statement')
    .description("write an advocate's statement of referrals, rewards and payouts")
    .argument('<advocate_id>', 'the advocate (customer id)')
    .addOption(new Option('--format <format>', 'file format').choices(['html', 'csv']).default('html'))
    .option('--out <file>', 'file to write (default: stdout)')
    .addOption(warehouseOption())
    .addOption(configOption())
    .addOption(jsonOption())
    .action(
      async (
        advocateId: string,
        opts: { format: 'html' | 'csv'; out?: string; warehouse?: string; config?: string; json?: boolean },
      ) => {
        const config = await configFrom(opts);
        const wh = await openWarehouse(config, {
          ...(opts.warehouse ? { pathOverride: opts.warehouse } : {}),
          readOnly: true,
        });
        try {
          const s = await advocateStatement(wh, config, advocateId).catch((err: unknown) => {
            throw new CliError(err instanceof Error ? err.message : String(err), 1);
          });
          if (opts.json) return printJson(s);
          const doc = opts.format === 'html' ? statementHtml(s, config.project.name) : statementCsv(s);
          if (!opts.out) return void process.stdout.write(doc);
          writeFileSync(opts.out, doc);
          process.stdout.write(`wrote the statement of ${advocateId} (${s.lines.length} lines) to ${opts.out}\n`);
        } finally {
          await wh.close();
        }
      },
    );
}
