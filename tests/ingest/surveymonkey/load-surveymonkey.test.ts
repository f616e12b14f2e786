import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSurveymonkeyResponses } from '../../../ingest/surveymonkey/index.js';
import { NOW, ONE_PROGRAM, scratch, type Scratch } from '../canonical-csv/helpers.js';

const FIXTURE = 'tests/fixtures/surveymonkey/Data_All_250115.csv';

describe('loadSurveymonkeyResponses', () => {
  let s: Scratch;
  beforeEach(async () => {
    s = await scratch();
  });
  afterEach(async () => {
    await s.close();
  });

  it('reads both header rows, maps the questions by phrase and quarantines bad rows', async () => {
    const report = await loadSurveymonkeyResponses(s.wh, {
      file: FIXTURE,
      config: ONE_PROGRAM,
      now: NOW,
      settings: { timeZone: 'America/New_York', commentQuestion: 'anything else' },
    });
    // 5 respondents: row 3's End Date has month 13, row 4's NPS is "ten".
    expect(report).toMatchObject({ table: 'survey_responses', status: 'loaded', read: 5, loaded: 3, quarantined: 2 });
    expect(report.reasons).toEqual({ invalid_timestamp: 1, invalid_number: 1 });
    const rows = await s.rows(`
      select response_id, survey_id, customer_id, respondent_email, submitted_at, hdyhau_answer, nps_score, comment,
        _source, _row_number
      from raw.survey_responses order by _row_number`);
    const common = { survey_id: 'Data_All_250115', _source: 'surveymonkey:Data_All_250115.csv' };
    expect(rows).toEqual([
      // New York is EST (UTC-5) in January: 10:00:03 AM -> 15:00:03Z.
      {
        ...common,
        response_id: '114253925880',
        customer_id: 'C-1002',
        respondent_email: 'ben.okafor@example.com',
        submitted_at: new Date('2025-01-07T15:00:03Z'),
        hdyhau_answer: 'A friend or colleague',
        nps_score: 9,
        comment: null,
        _row_number: 1,
      },
      // "Other (please specify)" chosen: the typed text is the answer.
      {
        ...common,
        response_id: '114253925881',
        customer_id: 'C-1004',
        respondent_email: 'maria.garcia@example.com',
        submitted_at: new Date('2025-01-11T14:15:00Z'),
        hdyhau_answer: "Ben's referral link",
        nps_score: 10,
        comment: 'Great support, thanks',
        _row_number: 2,
      },
      // 06:32:41 PM EST -> 23:32:41Z; an unanswered NPS is null, not zero.
      {
        ...common,
        response_id: '114253925884',
        customer_id: null,
        respondent_email: null,
        submitted_at: new Date('2025-01-15T23:32:41Z'),
        hdyhau_answer: 'Podcast',
        nps_score: null,
        comment: null,
        _row_number: 5,
      },
    ]);
    const q = await s.rows(`select _row_number, reason_code, message from raw.quarantine order by 1`);
    expect(q.map((r) => [r['_row_number'], r['reason_code']])).toEqual([
      [3, 'invalid_timestamp'],
      [4, 'invalid_number'],
    ]);
    expect(q[1]!['message']).toBe(
      'Data_All_250115.csv respondent row 4 (Respondent ID 114253925883): column "How likely is it that you would recommend Acme to a friend or colleague?": "ten" is not a whole number',
    );
  });

  it('reloading the same file adds nothing', async () => {
    await loadSurveymonkeyResponses(s.wh, { file: FIXTURE, config: ONE_PROGRAM, now: NOW });
    const again = await loadSurveymonkeyResponses(s.wh, { file: FIXTURE, config: ONE_PROGRAM, now: NOW });
    expect(again).toMatchObject({ status: 'already_loaded', read: 5, loaded: 3, quarantined: 2 });
    expect(await s.count('raw.survey_responses')).toBe(3);
  });

  it('reads a file with one header row, a custom variable as customer id and a labelled NPS answer', async () => {
    const file = s.write(
      'one-header.csv',
      'Respondent ID,Collector ID,Start Date,End Date,customer_id,Where did you hear about us?,Would you recommend us?\n' +
        '900,1,3/1/2025 9:00 AM,3/1/2025 9:05 AM,C-9,Friend,10 - Extremely likely\n',
    );
    const report = await loadSurveymonkeyResponses(s.wh, {
      file,
      config: ONE_PROGRAM,
      settings: { customerIdField: 'customer_id', surveyId: 'pulse' },
    });
    expect(report).toMatchObject({ read: 1, loaded: 1 });
    expect(
      await s.rows(
        `select response_id, survey_id, customer_id, submitted_at, hdyhau_answer, nps_score, _row_number from raw.survey_responses`,
      ),
    ).toEqual([
      {
        response_id: '900',
        survey_id: 'pulse',
        customer_id: 'C-9',
        submitted_at: new Date('2025-03-01T09:05:00Z'),
        hdyhau_answer: 'Friend',
        // A scale answer exported with its end label keeps its number.
        nps_score: 10,
        _row_number: 1,
      },
    ]);
  });

  it('counts and quarantines a first respondent row without an id in a one-header-row file', async () => {
    const file = s.write(
      'one-header-no-id.csv',
      'Respondent ID,Collector ID,Start Date,End Date,Email Address,Where did you hear about us?\n' +
        ',1,3/1/2025 9:00 AM,3/1/2025 9:05 AM,ana@example.com,Friend\n' +
        '901,1,3/2/2025 9:00 AM,3/2/2025 9:05 AM,bo@example.com,Podcast\n',
    );
    const report = await loadSurveymonkeyResponses(s.wh, { file, config: ONE_PROGRAM, now: NOW });
    // read = loaded + quarantined: the id-less row is a respondent, not a second header row.
    expect(report).toMatchObject({ read: 2, loaded: 1, quarantined: 1 });
    expect(report.reasons).toEqual({ missing_value: 1 });
    expect(await s.rows(`select message, _row_number from raw.quarantine`)).toEqual([
      { message: 'one-header-no-id.csv respondent row 1: column Respondent ID: missing value', _row_number: 1 },
    ]);
    expect(await s.rows(`select response_id, _row_number from raw.survey_responses`)).toEqual([
      { response_id: '901', _row_number: 2 },
    ]);
  });
});
