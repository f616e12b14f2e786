/**
 * `refstack codes assign [--program ID] [--json]`: gives every eligible advocate (a customer with a paid order, or who already referred someone) a
 * referral code and share links, stored in `referral_codes`. Codes are drawn with HMAC-SHA256 under
 * $REFSTACK_CODE_SECRET (from the CSPRNG when it is unset); assigned codes never change, so a rerun is a no-op.
 */
import { Command } from 'commander';
import { appendAudit, defaultActor } from '../../operational-tables.js';
import { openWarehouse } from '../../warehouse/open.js';
import { assignCodes } from '../../../activate/codes/assign.js';
import { CliError } from '../errors.js';
import { configFrom, configOption, jsonOption, printJson, warehouseOption } from '../shared.js';

export function codesCommand(): Command {
  const assign = new Command('assign')
    .description('give every eligible advocate a unique referral code and UTM-tagged share links (reruns are no-ops)')
    .option('--program <id>', "only this program's advocates")
    .addOption(warehouseOption())
    .addOption(configOption())
    .addOption(jsonOption())
    .action(async (opts: { program?: string; warehouse?: string; config?: string; json?: boolean }) => {
      const config = await configFrom(opts);
      // A usage error (exit 2), checked before the warehouse is opened.
      if (opts.program !== undefined && !config.programs.some((p) => p.id === opts.program))
        throw new CliError(
          `codes assign --program: unknown program "${opts.program}" (config programs: ${config.programs.map((p) => p.id).join(', ')})`,
          2,
        );
      const wh = await openWarehouse(config, opts.warehouse ? { pathOverride: opts.warehouse } : {});
      try {
        const secret = process.env['REFSTACK_CODE_SECRET']?.trim() || undefined;
        const result = await assignCodes(wh, config, {
          ...(opts.program ? { programId: opts.program } : {}),
          ...(secret ? { secret } : {}),
        });
        await appendAudit(wh, config.schemas.analytics, {
          actor: defaultActor(),
          action: 'codes.assign',
          subjectType: 'program',
          subjectId: opts.program ?? '*',
          details: { ...result, keyed: secret !== undefined },
        });
        if (opts.json) printJson(result);
        else {
          process.stdout.write(
            `${result.eligible} eligible advocates: ${result.generated} new codes, ${result.adopted} adopted from the ` +
              `source, ${result.alreadyAssigned} already assigned (${result.collisions} candidates redrawn)\n`,
          );
          // activation_audiences only invites advocates who have a code, so new codes need a model run to count.
          if (result.generated + result.adopted > 0)
            process.stdout.write(
              'next: refstack run --select activation_audiences, then refstack notifications build (invitations need a code)\n',
            );
        }
      } finally {
        await wh.close();
      }
    });
  // Nested, so it needs main's exit override itself (a bad flag returns exit code 2, it does not exit).
  assign.exitOverride().showHelpAfterError('(run with --help for usage)');
  return new Command('codes').description('referral codes and share links').addCommand(assign);
}
