/**
 * `refstack sync hubspot|salesforce|stripe [--apply] [--json]`: reverse ETL. Without --apply it prints what would
 * be sent (records whose payload changed since their last successful push) and sends nothing; with --apply it
 * sends them, records every push in `sync_pushes` and the run in the audit log. Credentials come from the
 * environment and are never printed.
 */
import { Command, Argument } from 'commander';
import { appendAudit, defaultActor } from '../../operational-tables.js';
import { MissingCredentialError } from '../../http/index.js';
import { openWarehouse } from '../../warehouse/open.js';
import { SYNC_TARGETS, syncTo, type SyncTargetName } from '../../../activate/sync/index.js';
import { CliError } from '../errors.js';
import { configFrom, configOption, jsonOption, printJson, warehouseOption } from '../shared.js';

export function syncCommand(): Command {
  return new Command('sync')
    .description(
      'push advocate properties to HubSpot or Salesforce, or rewards to Stripe as balance credits (dry run unless --apply)',
    )
    .addArgument(new Argument('<target>', 'where to push').choices([...SYNC_TARGETS]))
    .option('--apply', 'send for real (default: print what would be sent)')
    .addOption(warehouseOption())
    .addOption(configOption())
    .addOption(jsonOption())
    .action(
      async (
        target: SyncTargetName,
        opts: { apply?: boolean; warehouse?: string; config?: string; json?: boolean },
      ) => {
        const config = await configFrom(opts);
        const wh = await openWarehouse(config, opts.warehouse ? { pathOverride: opts.warehouse } : {});
        try {
          const apply = opts.apply === true;
          const summary = await syncTo(wh, config, target, { apply }).catch((err: unknown) => {
            if (err instanceof MissingCredentialError) throw new CliError(err.message, 2);
            throw err;
          });
          if (apply)
            await appendAudit(wh, config.schemas.analytics, {
              actor: defaultActor(),
              action: `sync.${target}`,
              subjectType: 'sync_target',
              subjectId: summary.target,
              details: { ...summary, preview: undefined },
            });
          if (opts.json) printJson(summary);
          else {
            const lines = [
              `${summary.target}: ${summary.records} records, ${summary.unchanged} unchanged since their last push, ` +
                (apply
                  ? `${summary.sent} sent, ${summary.failed} failed in ${summary.batches} batches`
                  : `${summary.toSend} would be sent (dry run; add --apply to send)`) +
                (summary.skipped ? `, ${summary.skipped} skipped (no email / not a ${target} customer)` : ''),
              ...summary.preview.map((r) => `  ${r.objectId}  ${JSON.stringify(r.payload)}`),
              ...(summary.toSend > summary.preview.length && !apply
                ? [`  ... and ${summary.toSend - summary.preview.length} more`]
                : []),
              ...summary.errors.map((e) => `  error: ${e}`),
            ];
            process.stdout.write(`${lines.join('\n')}\n`);
          }
          // Thrown, not process.exitCode: main() returns the exit code and would overwrite it with 0.
          if (summary.failed > 0)
            throw new CliError(
              `${summary.target}: ${summary.failed} record(s) failed${summary.errors[0] ? ` (${summary.errors[0]})` : ''}; ` +
                'a rerun sends only those',
            );
        } finally {
          await wh.close();
        }
      },
    );
}
