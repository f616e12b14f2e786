/** Runs one bench stage in a fresh process and returns its result (see protocol.ts). */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { RESULT_PREFIX, type StageArgs, type StageResult } from './protocol.js';

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));

/** Progress of the child goes to our stderr when `verbose`; its last stderr lines name a failure either way. */
export function runStage(stage: string, args: StageArgs, verbose: boolean): Promise<StageResult> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, stage, JSON.stringify(args)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, REFSTACK_QUIET: '1' },
    });
    let out = '';
    let tail = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      if (verbose) process.stderr.write(c);
      tail = (tail + c.toString()).slice(-4000);
    });
    child.on('error', fail);
    child.on('close', (code, signal) => {
      const line = out.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code === 0 && line) ok(JSON.parse(line.slice(RESULT_PREFIX.length)) as StageResult);
      else fail(new Error(`bench stage ${stage} failed (${signal ?? `exit ${code}`}): ${tail.trim()}`));
    });
  });
}

/** Runs `python3 bench/baselines/pandas_marts.py <dataDir>` and returns its parsed JSON report. */
export function runPython(python: string, script: string, dataDir: string): Promise<PandasReport> {
  return new Promise((ok, fail) => {
    const child = spawn(python, [script, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-4000)));
    child.on('error', (e) => fail(new Error(`cannot start ${python}: ${e.message}`)));
    child.on('close', (code) => {
      if (code !== 0) return fail(new Error(`pandas baseline exited ${code}: ${err.trim()}`));
      try {
        ok(JSON.parse(out) as PandasReport);
      } catch {
        fail(new Error(`pandas baseline printed no JSON: ${out.slice(0, 200)}`));
      }
    });
  });
}

export interface PandasReport {
  pandas: string;
  python: string;
  /** Per stage: wall seconds and the process's peak RSS after the stage (MiB; it only grows). */
  stages: Record<string, { seconds: number; peakRssMb: number; rows?: number }>;
}
