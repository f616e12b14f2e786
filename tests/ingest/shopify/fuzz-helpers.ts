/**
 * A seeded PRNG and mangling helpers for the file-source fuzz tests (Shopify, Stripe and HubSpot exports,
 * Segment and GA4 JSON lines). Deterministic: a failure reproduces from its seed.
 */
import type { Warehouse } from '../../../src/warehouse/warehouse.js';
import type { LoadReport } from '../../../ingest/file-source.js';

/** mulberry32 (Tommy Ettinger's public-domain generator): uniform floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

export const BAD_DATES = ['2025-13-45 10:00', '03/04/2025', 'yesterday', '2025-02-30', '', '2025-03-01T10:00', '0'];
export const BAD_NUMBERS = ['12,5O', '-3.00', '1e3', '', 'NaN', '99999999999999999999999', '1.234567', ' ', '$5'];
/** Invalid UTF-8: a lone continuation byte, an overlong encoding, a truncated 3-byte sequence. */
export const BAD_BYTES = [Buffer.from([0x80]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xe2, 0x82])];

/** Checks read = loaded + quarantined for a batch, against the report, the tables and `raw.batches`. */
export async function expectBatchAddsUp(
  wh: Warehouse,
  report: LoadReport,
  expect: (v: unknown) => { toEqual(x: unknown): void },
): Promise<void> {
  const [counts] = await wh.query<{ landed: number; quarantined: number; read: number; ql: number; loaded: number }>(
    `select
       (select count(*) from raw.${report.table} where _batch_id = $b) as landed,
       (select count(*) from raw.quarantine where _batch_id = $b) as quarantined,
       (select read from raw.batches where batch_id = $b) as read,
       (select quarantined from raw.batches where batch_id = $b) as ql,
       (select loaded from raw.batches where batch_id = $b) as loaded`,
    { b: report.batchId },
  );
  const c = { landed: Number(counts!.landed), quarantined: Number(counts!.quarantined), read: Number(counts!.read) };
  expect({ ...c, loaded: Number(counts!.loaded), ql: Number(counts!.ql) }).toEqual({
    landed: report.loaded,
    quarantined: report.quarantined,
    read: report.loaded + report.quarantined,
    loaded: report.loaded,
    ql: report.quarantined,
  });
  expect(report.read).toEqual(report.loaded + report.quarantined);
}

/** A naive CSV split, good enough for the fixtures' rows (quoted fields hold no newlines). */
export function splitRow(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}
