/**
 * Logging: everything human goes to stderr so stdout stays clean for data (`--json`, loaders).
 * Progress lines are only drawn when stderr is a TTY.
 */
const quiet = () => process.env['REFSTACK_QUIET'] === '1';

export const log = {
  info(message: string): void {
    if (!quiet()) process.stderr.write(`${message}\n`);
  },
  warn(message: string): void {
    process.stderr.write(`warning: ${message}\n`);
  },
  error(message: string): void {
    process.stderr.write(`error: ${message}\n`);
  },
  /** A transient progress line, redrawn in place on a TTY and suppressed otherwise. */
  progress(message: string): void {
    if (quiet() || !process.stderr.isTTY) return;
    process.stderr.write(`\r\x1b[2K${message}`);
  },
  /** Ends a progress line. */
  done(): void {
    if (!quiet() && process.stderr.isTTY) process.stderr.write('\r\x1b[2K');
  },
};
