/**
 * An exclusive lock on the dashboards project for the length of a site build. Framework keeps one loader
 * cache per project root, so two builds at once (say, two test files, or a CLI build during a test run)
 * would clear and fill each other's cache. The lock is a folder (mkdir is atomic) holding the owner's pid;
 * a lock whose owner has died is taken over.
 */
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A lock folder with no pid file this long after it was made belongs to a process that died creating it. */
const PID_GRACE_MS = 10_000;

function isStale(lockDir: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
  } catch {
    try {
      return Date.now() - statSync(lockDir).mtimeMs > PID_GRACE_MS;
    } catch {
      return false; // released meanwhile
    }
  }
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'EPERM';
  }
}

/**
 * Waits for and takes the lock at `lockDir`; resolves to a release function (call it in `finally`).
 * @throws when the lock is still held by a live process after `timeoutMs`
 */
export async function acquireBuildLock(lockDir: string, timeoutMs = 15 * 60_000): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      return () => rmSync(lockDir, { recursive: true, force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (isStale(lockDir)) {
      rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw new Error(
        `site build lock ${lockDir} is still held by another build after ${Math.round(timeoutMs / 1000)} s`,
      );
    await sleep(200);
  }
}
