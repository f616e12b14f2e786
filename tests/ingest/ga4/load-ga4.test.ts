import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadGa4Events } from '../../../ingest/ga4/index.js';
import { NOW, ONE_PROGRAM, scratch, type Scratch } from '../canonical-csv/helpers.js';

// 10 events in BigQuery's JSON export shape: 1 first_visit, 2 session_start (newsletter campaign in
// collected_traffic_source), 3 page_view, 4 session_start (google/cpc in event_params), 5 session_start
// with user_id and no campaign, 6 no user_pseudo_id, 7 event_timestamp "2025-03-01 10:00", 8 a truncated line,
// 9 a repeat of 2, 10 scroll.
const FIXTURE = 'tests/fixtures/ga4/events_20250301.json';
const T = 1740823200000000; // event_timestamp of record 2: 1,740,823,200 s = 2025-03-01T10:00:00Z (date -ud @1740823200)

describe('loadGa4Events', () => {
  let s: Scratch;
  beforeEach(async () => {
    s = await scratch();
  });
  afterEach(async () => {
    await s.close();
  });

  it('lands session_start events as touches with UTM and page params, quarantines bad ones, skips others', async () => {
    const report = await loadGa4Events(s.wh, { file: FIXTURE, config: ONE_PROGRAM, now: NOW });
    // 10 records - 3 skipped (first_visit, page_view, scroll) = 7 read = 3 loaded + 4 quarantined.
    expect(report).toMatchObject({ table: 'touches', status: 'loaded', read: 7, loaded: 3, quarantined: 4 });
    expect(report.reasons).toEqual({ missing_value: 1, invalid_timestamp: 1, invalid_json: 1, duplicate_key: 1 });
    expect(report.skipped).toEqual({ first_visit: 1, page_view: 1, scroll: 1 });

    const rows = await s.rows(`
      select touch_id, anonymous_id, customer_id, occurred_at, touch_type, utm_source, utm_medium, utm_campaign,
        utm_content, utm_term, referrer_url, page_url, device_id, ip, program_id, _source, _row_number
      from raw.touches order by _row_number`);
    const common = { device_id: null, ip: null, program_id: 'default', _source: 'ga4:events_20250301.json' };
    const pricing = 'https://shop.example.com/pricing?utm_source=newsletter&utm_medium=email&utm_campaign=spring_sale';
    expect(rows).toEqual([
      // UTM from collected_traffic_source (manual_*), page params from event_params.
      {
        ...common,
        touch_id: `1111.1740823200:${T}:session_start`,
        anonymous_id: '1111.1740823200',
        customer_id: null,
        occurred_at: new Date('2025-03-01T10:00:00Z'),
        touch_type: 'click',
        utm_source: 'newsletter',
        utm_medium: 'email',
        utm_campaign: 'spring_sale',
        utm_content: 'hero',
        utm_term: null,
        referrer_url: 'https://mail.example.com/',
        page_url: pricing,
        _row_number: 2,
      },
      // No collected_traffic_source: UTM from the source/medium/campaign/term event params; T + 3600 s.
      {
        ...common,
        touch_id: `2222.1740826800:${T + 3600_000000}:session_start`,
        anonymous_id: '2222.1740826800',
        customer_id: null,
        occurred_at: new Date('2025-03-01T11:00:00Z'),
        touch_type: 'click',
        utm_source: 'google',
        utm_medium: 'cpc',
        utm_campaign: 'brand',
        utm_content: null,
        utm_term: 'refstack shop',
        referrer_url: 'https://www.google.com/',
        page_url: 'https://shop.example.com/?gclid=abc',
        _row_number: 4,
      },
      // A logged-in direct session: user_id -> customer_id, no source -> visit; T + 7200 s.
      {
        ...common,
        touch_id: `3333.1740830400:${T + 7200_000000}:session_start`,
        anonymous_id: '3333.1740830400',
        customer_id: 'cus_42',
        occurred_at: new Date('2025-03-01T12:00:00Z'),
        touch_type: 'visit',
        utm_source: null,
        utm_medium: null,
        utm_campaign: null,
        utm_content: null,
        utm_term: null,
        referrer_url: null,
        page_url: 'https://shop.example.com/account',
        _row_number: 5,
      },
    ]);
    const q = await s.rows(`select _row_number, reason_code, message from raw.quarantine order by 1`);
    expect(q).toEqual([
      {
        _row_number: 6,
        reason_code: 'missing_value',
        message: 'events_20250301.json record 6: field user_pseudo_id: missing value',
      },
      {
        _row_number: 7,
        reason_code: 'invalid_timestamp',
        message:
          'events_20250301.json record 7: field event_timestamp: "2025-03-01 10:00" is not microseconds since 1970 between 2000 and 2100',
      },
      {
        _row_number: 8,
        reason_code: 'invalid_json',
        message:
          'events_20250301.json record 8: not JSON (the line is truncated, unparseable or not UTF-8; its text is not kept)',
      },
      {
        _row_number: 9,
        reason_code: 'duplicate_key',
        message: `events_20250301.json record 9: event "1111.1740823200:${T}:session_start" (user_pseudo_id:event_timestamp:event_name) repeats record 2`,
      },
    ]);
  });

  it('lands page views too when configured', async () => {
    const report = await loadGa4Events(s.wh, {
      file: FIXTURE,
      config: ONE_PROGRAM,
      settings: { touchEvents: ['session_start', 'page_view'] },
    });
    // Record 3 (page_view) now lands as well: 4 loaded, 2 skipped (first_visit, scroll).
    expect(report).toMatchObject({ read: 8, loaded: 4, quarantined: 4, skipped: { first_visit: 1, scroll: 1 } });
    expect(await s.rows(`select touch_type, utm_source from raw.touches where _row_number = 3`)).toEqual([
      { touch_type: 'click', utm_source: 'newsletter' },
    ]);
  });

  it('reloading the same file adds nothing', async () => {
    await loadGa4Events(s.wh, { file: FIXTURE, config: ONE_PROGRAM, now: NOW });
    const again = await loadGa4Events(s.wh, { file: FIXTURE, config: ONE_PROGRAM, now: NOW });
    expect(again).toMatchObject({ status: 'already_loaded', read: 7, loaded: 3, quarantined: 4 });
    expect(await s.count('raw.touches')).toBe(3);
    expect(await s.count('raw.quarantine')).toBe(4);
  });
});
