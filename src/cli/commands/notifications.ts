/**
 * `refstack notifications build`: adds the activation_audiences rows not yet in the notifications outbox (nobody
 * gets the same message twice). `refstack export notifications --since DATE --format csv|ndjson --out FILE`
 * (`exportNotificationsCommand`, registered under the `export` command) writes the outbox for an email platform.
 */
import { Command, Option } from 'commander';
import { appendAudit, defaultActor } from '../../operational-tables.js';
import { openWarehouse } from '../../warehouse/open.js';
import { buildNotifications } from '../../../activate/notifications/build.js';
import { exportNotifications, type ExportFormat } from '../../../activate/notifications/export.js';
import { REFERRAL_CODES_TABLE } from '../../../models/marts/activation/operational-tables.js';
import { CliError } from '../errors.js';
import { configFrom, configOption, jsonOption, printJson, warehouseOption } from '../shared.js';

/** `--since`: a date (UTC midnight) or an ISO timestamp. */
function sinceFlag(value: string): Date {
  const at = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(value);
  if (Number.isNaN(at.getTime())) throw new CliError(`--since: expected a date YYYY-MM-DD, got "${value}"`, 2);
  return at;
}

export function notificationsCommand(): Command {
  const build = new Command('build')
    .description('add the activation_audiences rows whose dedupe key is new to the notifications outbox')
    .addOption(warehouseOption())
    .addOption(configOption())
    .addOption(jsonOption())
    .action(async (opts: { warehouse?: string; config?: string; json?: boolean }) => {
      const config = await configFrom(opts);
      const wh = await openWarehouse(config, opts.warehouse ? { pathOverride: opts.warehouse } : {});
      try {
        const result = await buildNotifications(wh, config);
        await appendAudit(wh, config.schemas.analytics, {
          actor: defaultActor(),
          action: 'notifications.build',
          subjectType: 'notifications',
          subjectId: 'outbox',
          details: result,
        });
        if (opts.json) printJson(result);
        else {
          const parts = Object.entries(result.byTemplate).map(([k, n]) => `${k} ${n}`);
          process.stdout.write(
            `${result.added} new notifications from ${result.candidates} audience rows` +
              (parts.length ? ` (${parts.join(', ')})` : '') +
              '\n',
          );
          // activation_audiences invites only advocates with a code: say why there are no invitations.
          const [codes] = await wh.query<{ n: number }>(
            `select count(*) as n from ${wh.dialect.tableRef(config.schemas.analytics, REFERRAL_CODES_TABLE)}`,
          );
          if (Number(codes?.n ?? 0) === 0)
            process.stdout.write(
              'note: no referral codes assigned yet, so nobody is invited: run refstack codes assign, then ' +
                'refstack run --select activation_audiences and build again\n',
            );
        }
      } finally {
        await wh.close();
      }
    });
  // Nested, so it needs main's exit override itself (a bad flag returns exit code 2, it does not exit).
  build.exitOverride().showHelpAfterError('(run with --help for usage)');
  return new Command('notifications').description('the notifications outbox').addCommand(build);
}

export function exportNotificationsCommand(): Command {
  return new Command('notifications')
    .description('write outbox rows created since a date as CSV or NDJSON (stamps exported_at)')
    .requiredOption(
      '--since <date>',
      'rows created at or after this date (YYYY-MM-DD, UTC) or ISO timestamp',
      sinceFlag,
    )
    .addOption(new Option('--format <format>', 'file format').choices(['csv', 'ndjson']).default('csv'))
    .requiredOption('--out <file>', 'file to write')
    .addOption(warehouseOption())
    .addOption(configOption())
    .addOption(jsonOption())
    .action(
      async (opts: {
        since: Date;
        format: ExportFormat;
        out: string;
        warehouse?: string;
        config?: string;
        json?: boolean;
      }) => {
        const config = await configFrom(opts);
        const wh = await openWarehouse(config, opts.warehouse ? { pathOverride: opts.warehouse } : {});
        try {
          const result = await exportNotifications(wh, config, {
            since: opts.since,
            format: opts.format,
            out: opts.out,
          });
          await appendAudit(wh, config.schemas.analytics, {
            actor: defaultActor(),
            action: 'notifications.export',
            subjectType: 'notifications',
            subjectId: opts.out,
            details: { ...result, since: opts.since.toISOString(), format: opts.format },
          });
          if (opts.json) printJson(result);
          else
            process.stdout.write(
              `wrote ${result.rows} notifications to ${result.file} (${result.firstTimeExported} first-time)\n`,
            );
        } finally {
          await wh.close();
        }
      },
    )
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
}
