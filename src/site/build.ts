/**
 * Builds the Observable Framework site in `dashboards/` from a warehouse, and previews a built site.
 *
 * The build runs Framework's own CLI in a child process (cwd `dashboards/`), because its loaders and config
 * read their inputs from the environment: REFSTACK_WAREHOUSE, REFSTACK_SCHEMA, REFSTACK_SITE_TITLE,
 * REFSTACK_SITE_OUTPUT and REFSTACK_SITE_ALLOW_PII. It needs no network: see offline-npm-cache.ts.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { log } from '../log.js';
import { assertIdentifier } from '../warehouse/identifiers.js';
import { acquireBuildLock } from './build-lock.js';
import { seedNpmVersionCache } from './offline-npm-cache.js';
import { startStaticServer, type StaticServer } from './static-server.js';

/** The Framework project folder. */
export const DASHBOARDS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../dashboards');

export interface BuildSiteOptions {
  /** The DuckDB warehouse the loaders read (read-only). */
  warehousePath: string;
  /** Where the built site goes. Replaced whole; refused if it holds anything that is not a built site. */
  outDir: string;
  /** Schema of the marts; default `main`. */
  schema?: string;
  /** Site title; default `refstack`. */
  title?: string;
  /** Keep Framework's progress output off stderr (it is still used to name a failure). Default false. */
  quiet?: boolean;
  /**
   * Show raw advocate/customer ids on the site (config `site.allowPii`). Default false: loaders pseudonymise them
   * (src/site/pseudonym.ts). Emails and IPs never reach the site's data in either case.
   */
  allowPii?: boolean;
}

/**
 * Framework's output folder inside DASHBOARDS_DIR (`dashboards/dist`, the default outDir). A build to another
 * outDir is staged here and then moved, so Framework always clears its own output (it only clears folders
 * under its working directory) and never writes outside the project.
 */
const STAGING = 'dist';

function frameworkBin(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@observablehq/framework/package.json')), 'dist/bin/observable.js');
}

/** Replaces `to` with `from`: a rename when both are on one filesystem, else a copy and delete. */
function moveDir(from: string, to: string): void {
  rmSync(to, { recursive: true, force: true });
  mkdirSync(dirname(to), { recursive: true });
  try {
    renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    cpSync(from, to, { recursive: true });
    rmSync(from, { recursive: true, force: true });
  }
}

/** Throws unless `dir` is absent, empty, or a previous Framework build (has `_observablehq/`). */
function assertReplaceable(dir: string): void {
  if (!existsSync(dir)) return;
  const entries = readdirSync(dir);
  if (entries.length === 0 || entries.includes('_observablehq')) return;
  throw new Error(
    `site outDir ${dir} is not empty and is not a built site (no _observablehq/); refusing to replace it`,
  );
}

/** The loader's one-line error if the output has one, else the last non-empty line. */
function failureLine(output: string): string {
  const loader = /(\S+ loader: [^\n]*)/.exec(output);
  if (loader?.[1]) return loader[1].trim();
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.at(-1) ?? 'no output';
}

function runFramework(args: string[], env: NodeJS.ProcessEnv, quiet: boolean): Promise<void> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [frameworkBin(), ...args], {
      cwd: DASHBOARDS_DIR,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The child's output goes to our stderr, so a CLI's stdout stays clean for --json; the tail is kept
    // to name the failure.
    let tail = '';
    const forward = (chunk: Buffer) => {
      const text = chunk.toString();
      if (!quiet) process.stderr.write(text);
      tail = (tail + text).slice(-16_384);
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.on('error', (err) => reject(new Error(`cannot start Observable Framework: ${err.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) resolveRun();
      else reject(new Error(`site build failed (${signal ?? `exit ${code}`}): ${failureLine(tail)}`));
    });
  });
}

/**
 * Builds the site from the warehouse into `outDir`. Clears Framework's cache first, so a rebuild always
 * re-runs the loaders against the warehouse as it is now. Builds are serialized by a lock on the project.
 * @throws a one-line Error naming the cause (missing warehouse, loader failure, Framework error)
 * @example await buildSite({ warehousePath: '.refstack/warehouse.duckdb', outDir: 'dashboards/dist' });
 */
export async function buildSite(options: BuildSiteOptions): Promise<void> {
  const warehousePath = resolve(options.warehousePath);
  const outDir = resolve(options.outDir);
  const schema = assertIdentifier(options.schema ?? 'main', 'site schema');
  if (!existsSync(warehousePath))
    throw new Error(`warehouse ${warehousePath} does not exist: run \`refstack demo\` or \`refstack run\` first`);
  const staging = join(DASHBOARDS_DIR, STAGING);
  if (outDir === DASHBOARDS_DIR || outDir === join(DASHBOARDS_DIR, 'src'))
    throw new Error(`site outDir ${outDir} would overwrite the dashboards project`);
  assertReplaceable(outDir);

  const observableDir = join(DASHBOARDS_DIR, 'src', '.observablehq');
  mkdirSync(observableDir, { recursive: true });
  const release = await acquireBuildLock(join(observableDir, 'build.lock'));
  try {
    const cacheDir = join(observableDir, 'cache');
    rmSync(cacheDir, { recursive: true, force: true });
    seedNpmVersionCache(cacheDir, DASHBOARDS_DIR);
    const started = performance.now();
    await runFramework(
      ['build'],
      {
        ...process.env,
        REFSTACK_WAREHOUSE: warehousePath,
        REFSTACK_SCHEMA: schema,
        REFSTACK_SITE_TITLE: options.title ?? 'refstack',
        REFSTACK_SITE_OUTPUT: STAGING,
        // Set explicitly either way, so an inherited environment variable cannot override the config.
        REFSTACK_SITE_ALLOW_PII: options.allowPii === true ? '1' : '0',
        OBSERVABLE_TELEMETRY_DISABLE: 'true',
      },
      options.quiet === true || process.env['REFSTACK_QUIET'] === '1',
    );
    if (outDir !== staging) moveDir(staging, outDir);
    log.info(`site built in ${((performance.now() - started) / 1000).toFixed(1)} s: ${outDir}`);
  } finally {
    release();
  }
}

/**
 * Serves a built site on 127.0.0.1 and prints its URL to stderr. Resolves once listening; call `close()`
 * on the result to stop.
 */
export async function previewSite(options: { outDir: string; port?: number }): Promise<StaticServer> {
  const root = resolve(options.outDir);
  if (!existsSync(join(root, 'index.html')))
    throw new Error(`${root} has no index.html: build the site first (refstack build, or refstack demo)`);
  const server = await startStaticServer({ root, ...(options.port !== undefined ? { port: options.port } : {}) });
  log.info(`serving ${root} at ${server.url}`);
  return server;
}
