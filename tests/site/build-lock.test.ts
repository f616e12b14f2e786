/** acquireBuildLock: one holder at a time; a lock left by a dead process is taken over. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireBuildLock } from '../../src/site/build-lock.js';

describe('acquireBuildLock', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'refstack-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('holds the lock with this pid until released', async () => {
    const lock = join(dir, 'build.lock');
    const release = await acquireBuildLock(lock);
    expect(readFileSync(join(lock, 'pid'), 'utf8')).toBe(String(process.pid));
    release();
    expect(existsSync(lock)).toBe(false);
  });

  it('makes a second taker wait for the first to release', async () => {
    const lock = join(dir, 'build.lock');
    const order: string[] = [];
    const releaseFirst = await acquireBuildLock(lock);
    const second = acquireBuildLock(lock).then((release) => {
      order.push('second acquired');
      release();
    });
    await new Promise((r) => setTimeout(r, 500)); // several 200 ms polls while the first holds it
    order.push('first released');
    releaseFirst();
    await second;
    expect(order).toEqual(['first released', 'second acquired']);
  });

  it('takes over a lock whose owner has exited', async () => {
    const lock = join(dir, 'build.lock');
    // A pid that existed and has exited: a finished child process.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    mkdirSync(lock);
    writeFileSync(join(lock, 'pid'), String(dead));
    const release = await acquireBuildLock(lock, 5_000);
    expect(readFileSync(join(lock, 'pid'), 'utf8')).toBe(String(process.pid));
    release();
  });

  it('gives up after the timeout while a live process holds it', async () => {
    const lock = join(dir, 'build.lock');
    mkdirSync(lock);
    writeFileSync(join(lock, 'pid'), String(process.pid));
    await expect(acquireBuildLock(lock, 300)).rejects.toThrow(`site build lock ${lock} is still held by another build`);
  });
});
