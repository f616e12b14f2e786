/**
 * Fuzzing across every file format at once: canonical CSV, the Shopify, Stripe and HubSpot CSV exports, and
 * Segment and GA4 JSON lines. Each format gets 3,000 seeded mangled records (bad dates, bad numbers, missing
 * ids, wrong column counts, broken quoting, invalid UTF-8 bytes, blank lines) in six files, and each file
 * also carries a file-level twist by seed: plain, a UTF-8 byte-order mark, CRLF line ends, or the whole file
 * transcoded to Latin-1 (so every accented name is an invalid UTF-8 byte). Nothing may throw except a clean
 * file-level error naming the file (only for files with a quote that never closes), and every batch that
 * loads satisfies read = loaded + quarantined in its report, in the tables and in `raw.batches`.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CanonicalCsvError, loadCanonicalCsv } from '../../ingest/canonical-csv/index.js';
import { FileSourceError, type LoadReport } from '../../ingest/file-source.js';
import { loadGa4Events } from '../../ingest/ga4/index.js';
import { loadHubspotContacts } from '../../ingest/hubspot-export/index.js';
import { loadSegmentEvents } from '../../ingest/segment/index.js';
import { loadShopifyOrders } from '../../ingest/shopify/index.js';
import { loadStripePayments } from '../../ingest/stripe-export/index.js';
import type { RefstackConfig } from '../../src/config.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { ONE_PROGRAM, scratch, TWO_PROGRAMS, type Scratch } from './canonical-csv/helpers.js';
import { BAD_BYTES, BAD_DATES, BAD_NUMBERS, expectBatchAddsUp, pick, prng, splitRow } from './shopify/fuzz-helpers.js';

type Loader = (wh: Warehouse, o: { file: string; config: RefstackConfig }) => Promise<LoadReport>;

interface Format {
  name: string;
  kind: 'csv' | 'ndjson';
  fixture: string;
  /** The file name to write (the canonical loader infers the table from it). */
  fileName: (seed: number) => string;
  config: RefstackConfig;
  load: Loader;
  /** NDJSON: the timestamp and id fields to damage. */
  ts?: string;
  id?: string;
}

const FORMATS: Format[] = [
  {
    name: 'canonical-csv',
    kind: 'csv',
    fixture: 'tests/fixtures/canonical-csv/orders.csv',
    fileName: (seed) => `orders-${seed}.csv`,
    config: TWO_PROGRAMS,
    load: loadCanonicalCsv,
  },
  {
    name: 'shopify',
    kind: 'csv',
    fixture: 'tests/fixtures/shopify/orders_export_1.csv',
    fileName: (seed) => `shopify-${seed}.csv`,
    config: ONE_PROGRAM,
    load: loadShopifyOrders,
  },
  {
    name: 'stripe-export',
    kind: 'csv',
    fixture: 'tests/fixtures/stripe-export/unified_payments.csv',
    fileName: (seed) => `stripe-${seed}.csv`,
    config: ONE_PROGRAM,
    load: loadStripePayments,
  },
  {
    name: 'hubspot-export',
    kind: 'csv',
    fixture: 'tests/fixtures/hubspot-export/hubspot-crm-exports-all-contacts.csv',
    fileName: (seed) => `hubspot-${seed}.csv`,
    config: ONE_PROGRAM,
    load: loadHubspotContacts,
  },
  {
    name: 'segment',
    kind: 'ndjson',
    fixture: 'tests/fixtures/segment/segment-events.ndjson',
    fileName: (seed) => `segment-${seed}.ndjson`,
    config: ONE_PROGRAM,
    load: loadSegmentEvents,
    ts: 'timestamp',
    id: 'messageId',
  },
  {
    name: 'ga4',
    kind: 'ndjson',
    fixture: 'tests/fixtures/ga4/events_20250301.json',
    fileName: (seed) => `ga4-${seed}.ndjson`,
    config: ONE_PROGRAM,
    load: loadGa4Events,
    ts: 'event_timestamp',
    id: 'user_pseudo_id',
  },
];

const SEEDS = [1, 2, 3, 4, 5, 6];
const RECORDS_PER_FILE = 500;
const ACCENTED = ['Zoë Müller', 'José Ñúñez', 'Søren Ærø', 'Ωmega ✓'];
type Twist = 'plain' | 'bom' | 'crlf' | 'latin1';
const twistOf = (seed: number): Twist => (['plain', 'bom', 'crlf', 'latin1'] as const)[seed % 4]!;

const csvField = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/** Mangled CSV lines (no line ends yet) from the fixture's data rows. */
function mangledCsvLines(fixture: string, r: () => number, openQuotes: boolean): (string | Buffer)[] {
  const [header, ...data] = readFileSync(fixture, 'utf8').trimEnd().split(/\r?\n/);
  const out: (string | Buffer)[] = [header!];
  for (let i = 0; i < RECORDS_PER_FILE; i++) {
    const fields = splitRow(pick(r, data));
    const damage = r();
    const at = Math.floor(r() * fields.length);
    if (r() < 0.2) fields[Math.min(1, fields.length - 1)] = pick(r, ACCENTED);
    if (damage < 0.12) fields[at] = pick(r, BAD_DATES);
    else if (damage < 0.24) fields[at] = pick(r, BAD_NUMBERS);
    else if (damage < 0.32) fields[0] = '';
    else if (damage < 0.4) fields.splice(at, 1 + Math.floor(r() * 3));
    else if (damage < 0.45) fields.push('extra', 'fields');
    else if (damage < 0.5) fields[at] = `${fields[at]}"stray"quote`;
    else if (damage < 0.52 && openQuotes) fields[at] = `"unclosed ${fields[at]}`;
    else if (damage < 0.55) {
      out.push('');
      continue;
    }
    const line = fields.map((f) => (f.startsWith('"unclosed') ? f : csvField(f))).join(',');
    if (damage >= 0.55 && damage < 0.62) {
      const b = Buffer.from(line);
      out.push(Buffer.concat([b.subarray(0, 5), pick(r, BAD_BYTES), b.subarray(5)]));
    } else out.push(line);
  }
  return out;
}

/** Mangled JSON lines from the fixture's parseable lines. */
function mangledNdjsonLines(f: Format, r: () => number, seed: number): (string | Buffer)[] {
  const good = readFileSync(f.fixture, 'utf8')
    .split('\n')
    .filter((l) => {
      try {
        return typeof JSON.parse(l) === 'object';
      } catch {
        return false;
      }
    });
  const out: (string | Buffer)[] = [];
  for (let i = 0; i < RECORDS_PER_FILE; i++) {
    const o = JSON.parse(pick(r, good)) as Record<string, unknown>;
    o[f.id!] = `${String(o[f.id!])}-${seed}-${i}`;
    if (r() < 0.2) o['userId'] = pick(r, ACCENTED);
    const damage = r();
    if (damage < 0.1) o[f.ts!] = pick(r, BAD_DATES);
    else if (damage < 0.2) o[f.ts!] = pick(r, BAD_NUMBERS);
    else if (damage < 0.3) delete o[f.id!];
    else if (damage < 0.35) o[f.id!] = { nested: true };
    let text = JSON.stringify(o);
    if (damage >= 0.35 && damage < 0.45) text = text.slice(0, Math.floor(r() * 200));
    else if (damage >= 0.45 && damage < 0.5) text = pick(r, ['[]', '"page"', '42', 'null', '{"a":1}{"b":2}', '{,}']);
    else if (damage >= 0.5 && damage < 0.53) text = '';
    if (damage >= 0.53 && damage < 0.6) {
      const b = Buffer.from(text);
      out.push(Buffer.concat([b.subarray(0, 9), pick(r, BAD_BYTES), b.subarray(9)]));
    } else out.push(text);
  }
  return out;
}

/** Joins the lines with the twist's line end, encoding and byte-order mark. */
function encode(lines: (string | Buffer)[], twist: Twist): Buffer {
  const eol = twist === 'crlf' ? '\r\n' : '\n';
  const parts = lines.flatMap((l) => [
    typeof l === 'string' ? Buffer.from(l, twist === 'latin1' ? 'latin1' : 'utf8') : l,
    Buffer.from(eol),
  ]);
  if (twist === 'bom') parts.unshift(Buffer.from([0xef, 0xbb, 0xbf]));
  return Buffer.concat(parts);
}

describe('every file format under fuzzing, with BOMs, CRLF and Latin-1 files', () => {
  let s: Scratch;
  beforeEach(async () => {
    s = await scratch();
  });
  afterEach(async () => {
    await s.close();
  });

  for (const f of FORMATS) {
    it(`${f.name}: 3,000 mangled records in 6 files never crash, and every batch adds up`, async () => {
      let loaded = 0;
      let read = 0;
      const twists = new Set<Twist>();
      for (const seed of SEEDS) {
        const r = prng(1_000 * seed + f.name.length);
        const openQuotes = f.kind === 'csv' && seed === 5; // a quote that never closes may end the file
        const lines = f.kind === 'csv' ? mangledCsvLines(f.fixture, r, openQuotes) : mangledNdjsonLines(f, r, seed);
        const name = f.fileName(seed);
        const file = s.write(name, encode(lines, twistOf(seed)));
        let report: LoadReport;
        try {
          report = await f.load(s.wh, { file, config: f.config });
        } catch (err) {
          const clean = err instanceof FileSourceError || err instanceof CanonicalCsvError;
          if (!openQuotes || !clean) throw err;
          expect((err as Error).message).toMatch(new RegExp(`^${name.replace('.', '\\.')}: CSV syntax error`));
          continue;
        }
        await expectBatchAddsUp(s.wh, report, expect);
        expect(report.quarantined).toBeGreaterThan(0);
        loaded++;
        read += report.read;
        twists.add(twistOf(seed));
      }
      // Every file without an unclosed quote loads, whatever its BOM, line ends or encoding.
      expect(loaded).toBeGreaterThanOrEqual(SEEDS.length - 1);
      expect(twists).toEqual(new Set(['plain', 'bom', 'crlf', 'latin1']));
      expect(read).toBeGreaterThan(2_000);
    });
  }
});
