import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadGa4Events } from '../../../ingest/ga4/index.js';
import { loadSegmentEvents, type NdjsonLoadReport } from '../../../ingest/segment/index.js';
import type { Warehouse } from '../../../src/warehouse/warehouse.js';
import { ONE_PROGRAM, scratch, type Scratch } from '../canonical-csv/helpers.js';
import { BAD_BYTES, BAD_DATES, BAD_NUMBERS, expectBatchAddsUp, pick, prng } from '../shopify/fuzz-helpers.js';

type Loader = (wh: Warehouse, o: { file: string; config: typeof ONE_PROGRAM }) => Promise<NdjsonLoadReport>;

const VENDORS: { name: string; fixture: string; load: Loader; ts: string; id: string }[] = [
  {
    name: 'segment',
    fixture: 'tests/fixtures/segment/segment-events.ndjson',
    load: loadSegmentEvents,
    ts: 'timestamp',
    id: 'messageId',
  },
  {
    name: 'ga4',
    fixture: 'tests/fixtures/ga4/events_20250301.json',
    load: loadGa4Events,
    ts: 'event_timestamp',
    id: 'user_pseudo_id',
  },
];

/** Mangled JSON lines from the fixture's parseable lines; returns the bytes and the number of non-blank lines. */
function mangledNdjson(fixture: string, seed: number, lines: number, v: (typeof VENDORS)[number]) {
  const r = prng(seed);
  const good = readFileSync(fixture, 'utf8')
    .split('\n')
    .filter((l) => {
      try {
        return typeof JSON.parse(l) === 'object';
      } catch {
        return false;
      }
    });
  const parts: Buffer[] = [];
  let records = 0;
  for (let i = 0; i < lines; i++) {
    const o = JSON.parse(pick(r, good)) as Record<string, unknown>;
    o[v.id] = `${String(o[v.id])}-${seed}-${i}`; // mostly unique keys, so duplicates come only from the damage
    const damage = r();
    let text: string;
    if (damage < 0.1) o[v.ts] = pick(r, BAD_DATES);
    else if (damage < 0.2) o[v.ts] = pick(r, BAD_NUMBERS);
    else if (damage < 0.3) delete o[v.id];
    else if (damage < 0.35) o[v.id] = { nested: true };
    else if (damage < 0.4) o['type'] = pick(r, [null, 42, 'teleport', 'page']);
    if (damage >= 0.4 && damage < 0.5) text = JSON.stringify(o).slice(0, Math.floor(r() * 200));
    else if (damage >= 0.5 && damage < 0.55) text = pick(r, ['[]', '"page"', '42', 'null', '{"a":1}{"b":2}', '{,}']);
    else if (damage >= 0.55 && damage < 0.58) text = '';
    else text = JSON.stringify(o);
    let buf = Buffer.from(text);
    if (damage >= 0.58 && damage < 0.65) buf = Buffer.concat([buf.subarray(0, 9), pick(r, BAD_BYTES), buf.subarray(9)]);
    if (damage >= 0.65 && damage < 0.68) buf = Buffer.concat([buf, Buffer.from('\r')]);
    if (buf.toString('latin1').trim() !== '') records++;
    parts.push(buf, Buffer.from('\n'));
  }
  return { bytes: Buffer.concat(parts), records };
}

describe('JSON-lines sources under fuzzing', () => {
  let s: Scratch;
  beforeEach(async () => {
    s = await scratch();
  });
  afterEach(async () => {
    await s.close();
  });

  for (const v of VENDORS) {
    it(`${v.name}: 3,000 mangled lines never crash, every batch adds up, and read + skipped = records`, async () => {
      for (let seed = 1; seed <= 6; seed++) {
        const { bytes, records } = mangledNdjson(v.fixture, seed, 500, v);
        const file = s.write(`${v.name}-${seed}.ndjson`, bytes);
        const report = await v.load(s.wh, { file, config: ONE_PROGRAM });
        await expectBatchAddsUp(s.wh, report, expect);
        const skipped = Object.values(report.skipped ?? {}).reduce((a, b) => a + b, 0);
        expect({ seed, records: report.read + skipped }).toEqual({ seed, records });
        expect(report.reasons['invalid_json']).toBeGreaterThan(0);
      }
    });
  }

  it('a file of random bytes is read line by line, every line quarantined', async () => {
    const r = prng(99);
    const bytes = Buffer.from(Array.from({ length: 20_000 }, () => Math.floor(r() * 256)));
    const file = s.write('noise.ndjson', bytes);
    const report = await loadSegmentEvents(s.wh, { file, config: ONE_PROGRAM });
    await expectBatchAddsUp(s.wh, report, expect);
    expect(report.loaded).toBe(0);
    expect(Object.keys(report.reasons)).toEqual(['invalid_json']);
  });
});
