import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatNdjsonLoadReport, loadSegmentEvents } from '../../../ingest/segment/index.js';
import { NOW, ONE_PROGRAM, scratch, type Scratch } from '../canonical-csv/helpers.js';

// 13 lines: 12 records and one blank line (between records 7 and 8). Records: 1 page with campaign, 2 track
// with campaign, 3 track without campaign (skipped), 4 identify, 5 screen (skipped), 6 truncated line, 7 page
// without messageId, 8 page with timestamp "yesterday", 9 a repeat of record 1, 10 a JSON array, 11 a
// server-side page call with userId only, 12 a line with invalid UTF-8 bytes.
const FIXTURE = 'tests/fixtures/segment/segment-events.ndjson';

describe('loadSegmentEvents', () => {
  let s: Scratch;
  beforeEach(async () => {
    s = await scratch();
  });
  afterEach(async () => {
    await s.close();
  });

  it('lands page, identify and campaign track calls as touches; quarantines bad records; skips the rest', async () => {
    const report = await loadSegmentEvents(s.wh, { file: FIXTURE, config: ONE_PROGRAM, now: NOW });
    // 12 records - 2 skipped = 10 read = 4 loaded (1, 2, 4, 11) + 6 quarantined (6, 7, 8, 9, 10, 12).
    expect(report).toMatchObject({ table: 'touches', status: 'loaded', read: 10, loaded: 4, quarantined: 6 });
    expect(report.reasons).toEqual({ invalid_json: 3, missing_value: 1, invalid_timestamp: 1, duplicate_key: 1 });
    expect(report.skipped).toEqual({ 'screen call': 1, 'track call without context.campaign': 1 });

    const touches = await s.rows(`
      select touch_id, program_id, anonymous_id, customer_id, occurred_at, touch_type, utm_source, utm_medium,
        utm_campaign, utm_content, utm_term, referrer_url, page_url, device_id, ip, _source, _row_number, _loaded_at
      from raw.touches order by _row_number`);
    const none = { utm_source: null, utm_medium: null, utm_campaign: null, utm_content: null, utm_term: null };
    const common = { program_id: 'default', _source: 'segment:segment-events.ndjson', _loaded_at: NOW };
    expect(touches).toEqual([
      {
        ...common,
        touch_id: 'ajs-next-5f1c2a',
        anonymous_id: 'a-111',
        customer_id: null,
        occurred_at: new Date('2025-03-01T10:00:00.900Z'),
        touch_type: 'visit',
        utm_source: 'newsletter',
        utm_medium: 'email',
        utm_campaign: 'spring_sale',
        utm_content: 'hero',
        utm_term: null,
        referrer_url: 'https://mail.example.com/',
        page_url: 'https://shop.example.com/pricing?utm_source=newsletter&utm_medium=email&utm_campaign=spring_sale',
        device_id: 'dev-1',
        ip: '203.0.113.7',
        _row_number: 1,
      },
      {
        ...common,
        ...none,
        touch_id: 'ajs-next-7d8e9f',
        anonymous_id: 'a-222',
        customer_id: null,
        occurred_at: new Date('2025-03-01T11:00:00Z'),
        touch_type: 'click',
        utm_source: 'twitter',
        utm_medium: 'social',
        utm_campaign: 'launch',
        referrer_url: null,
        page_url: null,
        device_id: null,
        ip: '198.51.100.4',
        _row_number: 2,
      },
      // identify: both ids on one touch, the link stg_identity_map stitches.
      {
        ...common,
        ...none,
        touch_id: 'ajs-next-1d1d1d',
        anonymous_id: 'a-111',
        customer_id: 'cus_42',
        occurred_at: new Date('2025-03-01T10:05:00Z'),
        touch_type: 'visit',
        referrer_url: null,
        page_url: 'https://shop.example.com/account',
        device_id: null,
        ip: '203.0.113.7',
        _row_number: 4,
      },
      // Server-side: no anonymousId, so the userId stands in; 12:30 +02:00 = 10:30Z.
      {
        ...common,
        ...none,
        touch_id: 'srv-abc123',
        anonymous_id: 'cus_77',
        customer_id: 'cus_77',
        occurred_at: new Date('2025-03-01T10:30:00Z'),
        touch_type: 'visit',
        referrer_url: 'https://partner.example.org/',
        page_url: 'https://shop.example.com/welcome?ref=RCAMILLE1',
        device_id: null,
        ip: null,
        _row_number: 11,
      },
    ]);

    const q = await s.rows(
      `select _row_number, reason_code, message, json_type(record) as t from raw.quarantine order by _row_number`,
    );
    const unreadable = 'not JSON (the line is truncated, unparseable or not UTF-8; its text is not kept)';
    expect(q).toEqual([
      {
        _row_number: 6,
        reason_code: 'invalid_json',
        message: `segment-events.ndjson record 6: ${unreadable}`,
        t: 'NULL',
      },
      {
        _row_number: 7,
        reason_code: 'missing_value',
        message: 'segment-events.ndjson record 7: field messageId: missing value',
        t: 'OBJECT',
      },
      {
        _row_number: 8,
        reason_code: 'invalid_timestamp',
        message: 'segment-events.ndjson record 8: field timestamp: "yesterday" is not an ISO 8601 timestamp',
        t: 'OBJECT',
      },
      {
        _row_number: 9,
        reason_code: 'duplicate_key',
        message: 'segment-events.ndjson record 9: field messageId: "ajs-next-5f1c2a" repeats the message of record 1',
        t: 'OBJECT',
      },
      {
        _row_number: 10,
        reason_code: 'invalid_json',
        message: 'segment-events.ndjson record 10: is a JSON array, expected an object',
        t: 'ARRAY',
      },
      {
        _row_number: 12,
        reason_code: 'invalid_json',
        message: `segment-events.ndjson record 12: ${unreadable}`,
        t: 'NULL',
      },
    ]);
    const batch = await s.rows(`select read, loaded, quarantined from raw.batches`);
    expect(batch).toEqual([{ read: 10, loaded: 4, quarantined: 6 }]);
  });

  it('reloading the same file adds nothing', async () => {
    await loadSegmentEvents(s.wh, { file: FIXTURE, config: ONE_PROGRAM, now: NOW });
    const again = await loadSegmentEvents(s.wh, { file: FIXTURE, config: ONE_PROGRAM, now: NOW });
    expect(again).toMatchObject({ status: 'already_loaded', read: 10, loaded: 4, quarantined: 6 });
    expect(await s.count('raw.touches')).toBe(4);
    expect(await s.count('raw.quarantine')).toBe(6);
  });

  it('refuses a missing file with a clear error and leaves no temp tables behind', async () => {
    await expect(loadSegmentEvents(s.wh, { file: `${s.dir}/nope.ndjson`, config: ONE_PROGRAM })).rejects.toThrow(
      /^nope\.ndjson: cannot read .*nope\.ndjson/,
    );
    const empty = s.write('empty.ndjson', '');
    expect(await loadSegmentEvents(s.wh, { file: empty, config: ONE_PROGRAM })).toMatchObject({ read: 0, loaded: 0 });
    const temps = await s.rows(`select table_name from information_schema.tables where table_name like '__ndjson%'`);
    expect(temps).toEqual([]);
  });
});

describe('loadSegmentEvents on a large file', () => {
  let s: Scratch;
  beforeEach(async () => {
    s = await scratch();
  });
  afterEach(async () => {
    await s.close();
  });

  it('loads 60,000 calls set-based, numbering records in file order, and formats the report', async () => {
    const n = 60_000;
    const lines: string[] = [];
    for (let i = 1; i <= n; i++) {
      // Every 1,000th call is a screen call (skipped); every 1,000th + 1 has a bad timestamp (quarantined).
      const type = i % 1000 === 0 ? 'screen' : 'page';
      const ts = i % 1000 === 1 ? 'soon' : new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString();
      lines.push(JSON.stringify({ type, messageId: `m-${i}`, anonymousId: `a-${i % 97}`, timestamp: ts }));
    }
    const file = s.write('big.ndjson', `${lines.join('\n')}\n`);
    const report = await loadSegmentEvents(s.wh, { file, config: ONE_PROGRAM, now: NOW });
    // 60 screen calls skipped; 60 bad timestamps (i = 1, 1001, ..., 59001) quarantined; 60,000 - 120 loaded.
    expect(report).toMatchObject({ read: 59_940, loaded: 59_880, quarantined: 60, skipped: { 'screen call': 60 } });
    const [check] = await s.rows(
      `select count(*) as n, sum(case when touch_id = 'm-' || _row_number then 1 else 0 end) as in_order from raw.touches`,
    );
    expect(check).toEqual({ n: 59_880, in_order: 59_880 });
    expect(formatNdjsonLoadReport(report)).toBe(
      `${file} -> touches: 59940 read, 59880 loaded, 60 quarantined (invalid_timestamp 60), batch ${report.batchId.slice(0, 12)}; skipped 60 out of scope (screen call 60)`,
    );
  });
});
