import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadTypeformResponses } from '../../../ingest/typeform/index.js';
import { NOW, ONE_PROGRAM, scratch, type Scratch } from '../canonical-csv/helpers.js';

const FIXTURE = 'tests/fixtures/typeform/responses-onboarding.csv';

describe('loadTypeformResponses', () => {
  let s: Scratch;
  beforeEach(async () => {
    s = await scratch();
  });
  afterEach(async () => {
    await s.close();
  });

  it('maps the questions by phrase and hidden fields by name, and quarantines bad rows', async () => {
    const report = await loadTypeformResponses(s.wh, {
      file: FIXTURE,
      config: ONE_PROGRAM,
      now: NOW,
      settings: { commentQuestion: 'could do better' },
    });
    // 6 responses: row 3 has NPS 11, row 4 is a partial response (no submit time), row 5 repeats row 1's token.
    expect(report).toMatchObject({ table: 'survey_responses', status: 'loaded', read: 6, loaded: 3, quarantined: 3 });
    expect(report.reasons).toEqual({ out_of_range: 1, missing_value: 1, duplicate_key: 1 });
    const rows = await s.rows(`
      select response_id, program_id, survey_id, customer_id, respondent_email, submitted_at, hdyhau_answer, nps_score,
        comment, _source, _row_number
      from raw.survey_responses order by _row_number`);
    const common = {
      program_id: 'default',
      survey_id: 'responses-onboarding',
      _source: 'typeform:responses-onboarding.csv',
    };
    expect(rows).toEqual([
      {
        ...common,
        response_id: 'k3n8v2b7q1xw9z0a4m5c',
        customer_id: 'C-1002',
        respondent_email: 'ben.okafor@example.com',
        submitted_at: new Date('2025-01-07T10:00:03Z'),
        hdyhau_answer: 'A friend told me',
        nps_score: 9,
        comment: null,
        _row_number: 1,
      },
      {
        ...common,
        response_id: 'p0q9r8s7t6u5v4w3x2y1',
        customer_id: 'C-1004',
        respondent_email: 'maria.garcia@example.com',
        submitted_at: new Date('2025-01-11T09:15:00Z'),
        hdyhau_answer: 'Referral from Ben, via WhatsApp',
        nps_score: 10,
        comment: 'Faster delivery, please',
        _row_number: 2,
      },
      // An anonymous response (no hidden fields) with a multi-line answer.
      {
        ...common,
        response_id: 'm4m4m4m4m4m4m4m4m4m4',
        customer_id: null,
        respondent_email: null,
        submitted_at: new Date('2025-01-15T18:32:41Z'),
        hdyhau_answer: 'Instagram',
        nps_score: 7,
        comment: 'The app\ncrashed twice',
        _row_number: 6,
      },
    ]);
    const q = await s.rows(`select _row_number, reason_code, message from raw.quarantine order by 1`);
    expect(q.map((r) => [r['_row_number'], r['reason_code']])).toEqual([
      [3, 'out_of_range'],
      [4, 'missing_value'],
      [5, 'duplicate_key'],
    ]);
    expect(q[0]!['message']).toBe(
      'responses-onboarding.csv row 3 (# z9y8x7w6v5u4t3s2r1q0): column "How likely are you to recommend Acme to a friend or colleague?": "11" is out of range (expected 0 to 10)',
    );
  });

  it('reloading the same file adds nothing', async () => {
    await loadTypeformResponses(s.wh, { file: FIXTURE, config: ONE_PROGRAM, now: NOW });
    const again = await loadTypeformResponses(s.wh, { file: FIXTURE, config: ONE_PROGRAM, now: NOW });
    expect(again).toMatchObject({ status: 'already_loaded', read: 6, loaded: 3, quarantined: 3 });
    expect(await s.count('raw.survey_responses')).toBe(3);
  });

  it('reads the older "Submitted At" export with configured fields and survey id', async () => {
    const file = s.write(
      'old.csv',
      '#,Where did you first hear about Acme?,Your email,Submitted At,Network ID\nt1,Friend,x@example.com,2024-06-01 10:00:00,n1\n',
    );
    const report = await loadTypeformResponses(s.wh, {
      file,
      config: ONE_PROGRAM,
      settings: { surveyId: 'acme-onboarding', hdyhauQuestion: 'hear about', emailField: 'Your email' },
    });
    expect(report).toMatchObject({ read: 1, loaded: 1 });
    expect(
      await s.rows(
        `select response_id, survey_id, respondent_email, submitted_at, hdyhau_answer, nps_score from raw.survey_responses`,
      ),
    ).toEqual([
      {
        response_id: 't1',
        survey_id: 'acme-onboarding',
        respondent_email: 'x@example.com',
        submitted_at: new Date('2024-06-01T10:00:00Z'),
        hdyhau_answer: 'Friend',
        nps_score: null,
      },
    ]);
  });

  it('refuses a phrase that matches two questions, naming them', async () => {
    const file = s.write(
      'two.csv',
      '#,Would you recommend us?,What would you recommend we change?,Submit Date (UTC)\nt1,9,x,2024-06-01 10:00:00\n',
    );
    await expect(loadTypeformResponses(s.wh, { file, config: ONE_PROGRAM })).rejects.toThrow(
      'two.csv: sources.typeform.npsQuestion "recommend" matches 2 questions ("Would you recommend us?", "What would you recommend we change?"); set it to a longer part of the one you mean',
    );
  });
});
