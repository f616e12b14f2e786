#!/usr/bin/env node
/**
 * Completes package-lock.json with entries for platform-specific optional packages (other OSes' DuckDB
 * bindings, rollup and esbuild binaries) that `npm install` could not record because the registry mirror
 * this project is developed against only serves the current platform's builds. Without them `npm ci`
 * refuses the lock ("Missing: ... from lock file"). Each stub carries version, os, cpu (and libc), so npm
 * skips it on a non-matching platform; on a matching platform npm fetches it as usual.
 *
 * Run after any `npm install` that changes the lock: `node scripts/complete-lockfile.cjs`.
 */
const fs = require('node:fs');
const path = require('node:path');

const lockPath = path.resolve(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
const pkgs = lock.packages;

const OSES = ['darwin', 'linux', 'win32', 'freebsd', 'android', 'openbsd', 'netbsd', 'sunos', 'aix', 'openharmony'];
const CPUS = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 'riscv64', 's390x', 'loong64', 'mips64el', 'wasm32'];

function platformOf(name) {
  const n = name.toLowerCase();
  const os = OSES.find((o) => n.includes(o));
  let cpu = CPUS.find((c) => new RegExp(`[-_]${c}([-_]|$)`).test(n));
  if (!cpu && /arm-(gnueabihf|musleabihf|eabi)/.test(n)) cpu = 'arm';
  const libc = os === 'linux' ? (n.includes('musl') ? 'musl' : 'glibc') : undefined;
  return { os, cpu, libc };
}

let added = 0;
for (const [key, entry] of Object.entries(pkgs)) {
  for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    const parentDir = key === '' ? '' : `${key}/`;
    if (pkgs[`${parentDir}node_modules/${name}`] || pkgs[`node_modules/${name}`]) continue;
    const { os, cpu, libc } = platformOf(name);
    if (!os) continue; // not a platform binary: leave it to npm
    const stub = { version: String(spec).replace(/^[\^~=]/, ''), optional: true };
    if (cpu) stub.cpu = [cpu];
    stub.os = [os];
    if (libc) stub.libc = [libc];
    pkgs[`node_modules/${name}`] = stub;
    added++;
  }
}
const sorted = {};
for (const k of Object.keys(pkgs).sort((a, b) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)))
  sorted[k] = pkgs[k];
lock.packages = sorted;
fs.writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
process.stderr.write(`complete-lockfile: added ${added} platform stubs\n`);
