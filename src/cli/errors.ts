import { ConfigError } from '../config.js';
import { ModelRunError } from '../models/runner.js';
import { RegistryError } from '../models/registry.js';

/** A user-facing failure: printed as one line (no stack) with a non-zero exit. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * Prints an error the way users expect: a config error as one line per problem naming the key path and the
 * value; everything else as a single line. Stacks only with REFSTACK_DEBUG=1. Returns the exit code.
 */
export function reportError(err: unknown): number {
  const debug = process.env['REFSTACK_DEBUG'] === '1';
  if (err instanceof ConfigError) {
    for (const problem of err.problems) process.stderr.write(`error: ${err.source}: ${problem}\n`);
    return 2;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`error: ${message.split('\n')[0]}\n`);
  if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  if (err instanceof CliError) return err.exitCode;
  if (err instanceof ModelRunError || err instanceof RegistryError) return 1;
  return 1;
}
