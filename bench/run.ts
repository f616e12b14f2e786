/**
 * `npm run bench [-- --scales 100000,1000000]`: per-stage time and peak memory at several scales, each
 * reported as a ratio against a baseline run in the same process (never as an absolute pass/fail).
 * Results print as a table on stderr and as JSON on stdout; they are also written to bench/results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROOT } from '../src/version.js';
import { benchModels } from './models.js';
import { benchSynthetic } from './synthetic.js';

if (process.argv.includes('--codes')) await (await import('./codes.js')).codesCli(process.argv);
if (process.argv.includes('--ltv')) await (await import('./ltv.js')).ltvCli(process.argv);
if (process.argv.includes('--attribution')) await (await import('./attribution.js')).attributionCli(process.argv);
if (process.argv.includes('--ingest')) await (await import('./ingest.js')).ingestCli(process.argv);
if (process.argv.includes('--scale')) await (await import('./scale.js')).scaleCli(process.argv);
const arg = process.argv.indexOf('--scales');
const scales = (arg > 0 ? (process.argv[arg + 1] ?? '') : '20000,200000,1000000')
  .split(',')
  .map((s) => Number(s.replaceAll('_', '')))
  .filter((n) => Number.isInteger(n) && n > 0);
if (scales.length === 0) {
  process.stderr.write('error: --scales expects a comma-separated list of positive integers, e.g. 20000,1000000\n');
  process.exit(2);
}

const synthetic = await benchSynthetic(scales);
const models = await benchModels(scales.filter((s) => s <= 1_000_000));
const results = { node: process.version, cpus: (await import('node:os')).cpus().length, synthetic, models };

for (const r of synthetic)
  process.stderr.write(
    `${r.name.padEnd(22)} ${String(r.scale).padStart(9)}  ${r.seconds.toFixed(2).padStart(7)}s  ${Math.round(r.rowsPerSecond).toLocaleString('en-US').padStart(12)} rows/s  x${r.ratio.toFixed(2)} baseline  peak ${r.peakRssMb} MB\n`,
  );
for (const r of models)
  process.stderr.write(
    `${r.name.padEnd(22)} ${String(r.scale).padStart(9)}  ${r.seconds.toFixed(2).padStart(7)}s  x${r.ratio.toFixed(2)} baseline  peak ${r.peakRssMb} MB\n`,
  );
mkdirSync(resolve(ROOT, 'bench/results'), { recursive: true });
const file = resolve(ROOT, `bench/results/bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify(results, null, 2));
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
process.stderr.write(`wrote ${file}\n`);
