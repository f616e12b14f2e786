import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (where package.json lives). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

let cached: string | undefined;

/**
 * The code version recorded with every run: the package version plus the git commit when run from a
 * checkout (`0.1.0+3f2a9c1`, with `-dirty` when the tree has uncommitted changes).
 */
export function codeVersion(): string {
  if (cached) return cached;
  const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { version: string };
  let suffix = '';
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
    suffix = `+${commit}${dirty ? '-dirty' : ''}`;
  } catch {
    // Not a git checkout (an installed package): the package version alone.
  }
  cached = `${pkg.version}${suffix}`;
  return cached;
}
