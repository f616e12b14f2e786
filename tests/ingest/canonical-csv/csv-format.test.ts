import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCanonicalCsv } from '../../../ingest/canonical-csv/index.js';
import { NOW, ONE_PROGRAM, scratch, type Scratch } from './helpers.js';

describe('canonical CSV syntax', () => {
  let s: Scratch;
  beforeEach(async () => {
    s = await scratch();
  });
  afterEach(async () => {
    await s.close();
  });

  it('reads a UTF-8 BOM and CRLF line ends', async () => {
    const text = [
      'customer_id,created_at,full_name',
      'C-1,2025-01-01,Ana Silva',
      'C-2,2025-01-02 10:00,Zoë Brontë',
      '',
    ].join('\r\n');
    const file = s.write('customers.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]));
    const report = await loadCanonicalCsv(s.wh, { file, config: ONE_PROGRAM, now: NOW });
    expect(report).toMatchObject({ read: 2, loaded: 2, quarantined: 0 });
    // No BOM in the first header name (else customer_id would be "unknown"), no \r left on the last field.
    expect(await s.rows('select customer_id, full_name, created_at from raw.customers order by customer_id')).toEqual([
      { customer_id: 'C-1', full_name: 'Ana Silva', created_at: new Date('2025-01-01T00:00:00Z') },
      { customer_id: 'C-2', full_name: 'Zoë Brontë', created_at: new Date('2025-01-02T10:00:00Z') },
    ]);
  });

  it('keeps commas, doubled quotes and newlines inside quoted fields', async () => {
    const file = s.write(
      'survey_responses.csv',
      'response_id,survey_id,submitted_at,comment\n' +
        'S-1,q1,2025-01-01,"Great, fast ""express"" delivery\nwould refer again"\n' +
        'S-2,q1,2025-01-02,plain\n',
    );
    const report = await loadCanonicalCsv(s.wh, { file, config: ONE_PROGRAM, now: NOW });
    expect(report).toMatchObject({ read: 2, loaded: 2 });
    // The quoted record spans two lines but is one data row, so S-2 is row 2.
    expect(
      await s.rows('select response_id, comment, _row_number from raw.survey_responses order by response_id'),
    ).toEqual([
      { response_id: 'S-1', comment: 'Great, fast "express" delivery\nwould refer again', _row_number: 1 },
      { response_id: 'S-2', comment: 'plain', _row_number: 2 },
    ]);
  });

  it('skips blank lines without counting them, trims cells, and reads headers in any order and case', async () => {
    const file = s.write(
      'touches.csv',
      ' Touch_Type , OCCURRED_AT ,touch_id,anonymous_id,utm_source\n' +
        'click,2025-01-01T00:00:00Z,T-1,a-1,\n' +
        '\n' +
        ' VISIT ,  2025-01-02T00:00:00Z ,  T-2  ,a-2,  newsletter  \n',
    );
    const report = await loadCanonicalCsv(s.wh, { file, config: ONE_PROGRAM, now: NOW });
    expect(report).toMatchObject({ read: 2, loaded: 2 });
    // The empty utm_source cell is null; " VISIT " lands as "visit".
    expect(
      await s.rows('select touch_id, touch_type, utm_source, _row_number from raw.touches order by touch_id'),
    ).toEqual([
      { touch_id: 'T-1', touch_type: 'click', utm_source: null, _row_number: 1 },
      { touch_id: 'T-2', touch_type: 'visit', utm_source: 'newsletter', _row_number: 2 },
    ]);
  });

  it('keeps a stray quote inside an unquoted field as text', async () => {
    const file = s.write(
      'support_interactions.csv',
      'interaction_id,customer_id,occurred_at,topic\nI-1,C-1,2025-01-01,5" screen cracked\n',
    );
    await loadCanonicalCsv(s.wh, { file, config: ONE_PROGRAM, now: NOW });
    expect(await s.rows('select topic from raw.support_interactions')).toEqual([{ topic: '5" screen cracked' }]);
  });
});
