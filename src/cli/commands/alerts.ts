/**
 * `refstack alerts send [--json]`: posts every alert of the `alerts` mart not yet delivered to the Slack-compatible
 * webhook in $REFSTACK_ALERT_WEBHOOK_URL (never twice for the same alert); without the variable it prints what it
 * would post. The webhook URL is a credential and is never printed.
 */
import { Command } from 'commander';
import { appendAudit, defaultActor } from '../../operational-tables.js';
import { openWarehouse } from '../../warehouse/open.js';
import { sendAlerts } from '../../../activate/alerts/send.js';
import { CliError } from '../errors.js';
import { configFrom, configOption, jsonOption, printJson, warehouseOption } from '../shared.js';

export function alertsCommand(): Command {
  const send = new Command('send')
    .description('post new alerts to $REFSTACK_ALERT_WEBHOOK_URL (Slack-compatible); without it, print them')
    .addOption(warehouseOption())
    .addOption(configOption())
    .addOption(jsonOption())
    .action(async (opts: { warehouse?: string; config?: string; json?: boolean }) => {
      const config = await configFrom(opts);
      const wh = await openWarehouse(config, opts.warehouse ? { pathOverride: opts.warehouse } : {});
      try {
        const webhookUrl = process.env['REFSTACK_ALERT_WEBHOOK_URL']?.trim() || undefined;
        const result = await sendAlerts(wh, config, webhookUrl ? { webhookUrl } : {}).catch((err: unknown) => {
          throw new CliError(err instanceof Error ? err.message : String(err), 2);
        });
        if (!result.dryRun)
          await appendAudit(wh, config.schemas.analytics, {
            actor: defaultActor(),
            action: 'alerts.send',
            subjectType: 'alerts',
            subjectId: 'webhook',
            details: { alerts: result.alerts, sent: result.sent, failed: result.failed },
          });
        if (opts.json) printJson(result);
        else
          process.stdout.write(
            [
              result.dryRun
                ? `${result.messages.length} new alerts (REFSTACK_ALERT_WEBHOOK_URL is not set; nothing posted)`
                : `${result.sent} alerts posted, ${result.failed} failed, ${result.alreadySent} sent before`,
              ...(result.dryRun ? result.messages.map((m) => `  ${m}`) : []),
            ].join('\n') + '\n',
          );
        // Thrown, not process.exitCode: main() returns the exit code and would overwrite it with 0.
        if (result.failed > 0)
          throw new CliError(
            `${result.failed} alert(s) not posted (${result.lastError ?? 'see sent_alerts'}); the next send retries them`,
          );
      } finally {
        await wh.close();
      }
    });
  // Nested, so it needs main's exit override itself (a bad flag returns exit code 2, it does not exit).
  send.exitOverride().showHelpAfterError('(run with --help for usage)');
  return new Command('alerts').description('alerts from the alerts mart').addCommand(send);
}
