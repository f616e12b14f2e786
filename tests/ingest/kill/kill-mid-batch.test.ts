/**
 * Killing the loader mid-batch and rerunning leaves exactly one copy of every row: a child process loads a
 * large file into a DuckDB file warehouse, is SIGKILLed once its progress marker shows it inside the batch's
 * transaction, and the rerun completes the batch. Covers the canonical CSV loader and the Shopify adapter
 * (the shared CSV file-source path of the vendor exports).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCanonicalCsv } from '../../../ingest/canonical-csv/index.js';
import { loadShopifyOrders } from '../../../ingest/shopify/index.js';
import { parseConfig } from '../../../src/config.js';
import { DuckDBWarehouse } from '../../../src/warehouse/duckdb.js';

const CHILD = resolve('tests/ingest/kill/load-child.ts');
/** The hard cap on waiting for the child to reach the batch (it usually takes a second or two). */
const MAX_WAIT_MS = 60_000;

interface ChildRun {
  signal: NodeJS.Signals | null;
  code: number | null;
  stdout: string;
  stderr: string;
  /** The last progress count seen before the kill (0 if none). */
  progress: number;
}

/** Runs the child; with `killAt`, SIGKILLs it as soon as it reports that many rows read inside the batch. */
function runChild(kind: string, warehouse: string, file: string, killAt?: number): Promise<ChildRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, kind, warehouse, file], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let progress = 0;
    const cap = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`child ${kind} never reported ${killAt} rows within ${MAX_WAIT_MS} ms; stderr: ${stderr}`));
    }, MAX_WAIT_MS);
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
      for (const m of stderr.matchAll(/^progress (\d+)$/gm)) progress = Math.max(progress, Number(m[1]));
      if (killAt !== undefined && progress >= killAt && child.exitCode === null) child.kill('SIGKILL');
    });
    child.on('error', fail);
    child.on('exit', (code, signal) => {
      clearTimeout(cap);
      done({ signal, code, stdout, stderr, progress });
    });
  });
}

async function tableCounts(path: string) {
  const wh = await DuckDBWarehouse.open({ path, threads: 1 });
  try {
    const [c] = await wh.query<Record<string, number>>(
      `select (select count(*) from raw.orders) as orders,
              (select count(distinct order_id) from raw.orders) as distinct_orders,
              (select count(*) from raw.quarantine) as quarantined_rows,
              (select count(*) from raw.batches) as batches,
              (select sum(read) from raw.batches) as read,
              (select sum(loaded) from raw.batches) as loaded,
              (select sum(quarantined) from raw.batches) as quarantined`,
    );
    return Object.fromEntries(Object.entries(c!).map(([k, v]) => [k, v === null ? null : Number(v)]));
  } finally {
    await wh.close();
  }
}

/** The load the child runs, in this process, against the same file warehouse. */
async function loadInProcess(kind: string, path: string, file: string) {
  const wh = await DuckDBWarehouse.open({ path, threads: 1 });
  const config = parseConfig({});
  try {
    return kind === 'shopify'
      ? await loadShopifyOrders(wh, { file, config })
      : await loadCanonicalCsv(wh, { file, config });
  } finally {
    await wh.close();
  }
}

const N = 30_000;
const BAD_EVERY = 500; // every 500th row is invalid: N / 500 = 60 quarantined

/** Canonical orders: O-i, gross i.07 USD, every 500th row with a negative gross (quarantined). */
function canonicalOrders(): string {
  const lines = ['order_id,customer_id,ordered_at,currency,gross_amount,status'];
  for (let i = 1; i <= N; i++)
    lines.push(`O-${i},C-${i % 997},2025-01-01T00:00:00Z,USD,${i % BAD_EVERY === 0 ? '-1.00' : `${i}.07`},paid`);
  return `${lines.join('\n')}\n`;
}

/** Shopify orders: the fixture's first single-row order repeated with new Name and Id; every 500th has no Name. */
function shopifyOrders(): string {
  const [header, first] = readFileSync('tests/fixtures/shopify/orders_export_1.csv', 'utf8').split('\n');
  const cols = header!.split(',');
  const name = cols.indexOf('Name');
  const id = cols.indexOf('Id');
  const fields = first!.split(','); // the first data row has no quoted commas
  const lines = [header!];
  for (let i = 1; i <= N; i++) {
    fields[name] = i % BAD_EVERY === 0 ? '' : `#${100_000 + i}`;
    fields[id] = String(7_000_000_000 + i);
    lines.push(fields.join(','));
  }
  return `${lines.join('\n')}\n`;
}

describe.each([
  { kind: 'canonical', fileName: 'orders.csv', make: canonicalOrders },
  { kind: 'shopify', fileName: 'orders_export_big.csv', make: shopifyOrders },
])('SIGKILL in the middle of a $kind batch', ({ kind, fileName, make }) => {
  let dir: string;
  let file: string;
  let warehouse: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), `refstack-kill-${kind}-`));
    file = join(dir, fileName);
    warehouse = join(dir, 'wh.duckdb');
    writeFileSync(file, make());
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(
    'leaves nothing half-loaded, and the rerun lands exactly one copy of every row',
    { timeout: 180_000 },
    async () => {
      const killed = await runChild(kind, warehouse, file, 10_000);
      expect(killed.signal).toBe('SIGKILL');
      expect(killed.progress).toBeGreaterThanOrEqual(10_000);
      expect(killed.progress).toBeLessThan(N);
      // The batch's transaction never committed: no rows, no quarantine, no batch record.
      expect(await tableCounts(warehouse)).toMatchObject({ orders: 0, quarantined_rows: 0, batches: 0 });

      // The rerun (in this process: the code path is the same) completes the batch.
      const rerun = await loadInProcess(kind, warehouse, file);
      // N rows, 60 of them invalid (every 500th): 29,940 loaded + 60 quarantined = 30,000 read.
      expect(rerun).toMatchObject({ status: 'loaded', read: N, loaded: 29_940, quarantined: 60 });
      const after = {
        orders: 29_940,
        distinct_orders: 29_940,
        quarantined_rows: 60,
        batches: 1,
        read: N,
        loaded: 29_940,
        quarantined: 60,
      };
      expect(await tableCounts(warehouse)).toEqual(after);

      // A third run finds the batch already loaded and adds nothing.
      expect(await loadInProcess(kind, warehouse, file)).toMatchObject({ status: 'already_loaded', read: N });
      expect(await tableCounts(warehouse)).toEqual(after);
    },
  );
});
