/**
 * `refstack export advocates --format hubspot|salesforce|csv|json --out FILE [--ready-only]`: advocate_scores as a
 * CRM import file (activate/crm-export/). A subcommand factory: main.ts mounts it under `export`.
 */
import { Command, Option } from 'commander';
import { EXPORT_FORMATS, type ExportFormat } from '../../../activate/crm-export/formats.js';
import { exportAdvocates } from '../../../activate/crm-export/advocates.js';
import { openWarehouse } from '../../warehouse/open.js';
import { CliError } from '../errors.js';
import { configFrom, configOption, jsonOption, printJson, warehouseOption } from '../shared.js';

export function exportAdvocatesCommand(): Command {
  return new Command('advocates')
    .description('write advocate scores, tiers and referral codes/links as a CRM or email-campaign import file')
    .addOption(new Option('--format <format>', 'file layout').choices([...EXPORT_FORMATS]).makeOptionMandatory())
    .requiredOption('--out <file>', 'where to write it (replaced when complete)')
    .option('--ready-only', 'only the ready-to-invite segment')
    .addOption(warehouseOption())
    .addOption(configOption())
    .addOption(jsonOption())
    .action(
      async (opts: {
        format: ExportFormat;
        out: string;
        readyOnly?: boolean;
        warehouse?: string;
        config?: string;
        json?: boolean;
      }) => {
        const config = await configFrom(opts);
        const wh = await openWarehouse(config, {
          ...(opts.warehouse ? { pathOverride: opts.warehouse } : {}),
          readOnly: true,
        });
        try {
          const result = await exportAdvocates(wh, config, {
            format: opts.format,
            out: opts.out,
            readyOnly: opts.readyOnly ?? false,
          }).catch((err: unknown) => {
            throw new CliError(`export advocates: ${err instanceof Error ? err.message : String(err)}`);
          });
          if (opts.json) return printJson(result);
          process.stdout.write(
            `wrote ${result.rows} advocate(s) to ${result.out} (${result.format})` +
              (result.skippedNoEmail > 0 ? `; ${result.skippedNoEmail} without an email left out` : '') +
              '\n',
          );
        } finally {
          await wh.close();
        }
      },
    )
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
}
