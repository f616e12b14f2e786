/**
 * The `refstack` command line. Data goes to stdout (with --json), logs and progress to stderr.
 */
import { Command, CommanderError } from 'commander';
import { codeVersion } from '../version.js';
import { demoCommand } from './commands/demo.js';
import { explainCommand } from './commands/explain.js';
import { ingestCommand } from './commands/ingest.js';
import { modelsCommand } from './commands/models.js';
import { runCommand } from './commands/run.js';
import { buildCommand, previewCommand } from './commands/site.js';
import { reviewCommand } from './commands/review.js';
import { experimentCommand } from './commands/experiment.js';
import { codesCommand } from './commands/codes.js';
import { payoutsCommand } from './commands/payouts.js';
import { exportAdvocatesCommand } from './commands/export-advocates.js';
import { exportNotificationsCommand, notificationsCommand } from './commands/notifications.js';
import { syncCommand } from './commands/sync.js';
import { alertsCommand } from './commands/alerts.js';
import { statementCommand } from './commands/statement.js';
import { reportError } from './errors.js';

export function program(): Command {
  const cli = new Command('refstack')
    .description('warehouse-native referral analytics: ingest, typed models, dashboards')
    .version(codeVersion())
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const command of [
    demoCommand(),
    ingestCommand(),
    runCommand(),
    modelsCommand(),
    explainCommand(),
    buildCommand(),
    previewCommand(),
    reviewCommand(),
    experimentCommand(),
    codesCommand(),
    payoutsCommand(),
    notificationsCommand(),
    syncCommand(),
    alertsCommand(),
    statementCommand(),
    new Command('export')
      .description('write refstack data as files for other tools (CRM imports, email platforms)')
      .addCommand(exportAdvocatesCommand())
      .addCommand(exportNotificationsCommand()),
  ]) {
    cli.addCommand(command.exitOverride().showHelpAfterError('(run with --help for usage)'));
  }
  return cli;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander already printed help, the version or its own one-line message.
      return err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 2;
    }
    return reportError(err);
  }
}
