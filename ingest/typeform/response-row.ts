/**
 * The Typeform responses export (Results -> Responses -> Download, CSV) mapped onto `raw.survey_responses`,
 * one row per response. `response_id` is the "#" token. Submit times are UTC ("2024-03-14 09:12:45"); the
 * older export heads them "Submitted At". A partial response (no submit time) is quarantined as missing_value.
 */
import { cell, FileSourceError, timestampCell, type CsvRecordMapper, type MappedRecord } from '../file-source.js';
import { SeenKeys, startRow } from '../export-rows.js';
import type { Problem } from '../quarantine.js';
import type { TypeformSettings } from './config.js';
import { findField, findQuestion, npsCell, surveyIdOf, surveyResponseRow } from '../survey-export/survey-fields.js';

const SUBMITTED_HEADERS = ['Submit Date (UTC)', 'Submitted At'];
/** Columns Typeform adds around the questions; never taken for a question. */
const METADATA = [
  '#',
  'Response Type',
  'Start Date (UTC)',
  'Stage Date (UTC)',
  'Network ID',
  'Tags',
  ...SUBMITTED_HEADERS,
];

/** Builds the mapper for one export file; throws `FileSourceError` without a "#" or submit-time column. */
export function typeformResponsesMapper(
  fileName: string,
  header: string[],
  settings: TypeformSettings,
): CsvRecordMapper {
  const key = (k: string) => `sources.typeform.${k}`;
  const idAt = findField(header, '#');
  const submittedHeader = SUBMITTED_HEADERS.find((h) => findField(header, h) !== undefined);
  if (idAt === undefined || submittedHeader === undefined)
    throw new FileSourceError(
      fileName,
      `not a Typeform responses export: the header lacks ${idAt === undefined ? '"#"' : `"${SUBMITTED_HEADERS.join('" or "')}"`} (found: ${header.slice(0, 8).join(', ')}${header.length > 8 ? ', ...' : ''})`,
    );
  const submittedAt = findField(header, submittedHeader)!;
  const notQuestions = new Set(
    [...METADATA, settings.emailField, settings.customerIdField].map((n) => findField(header, n)),
  );
  const questions = header.map((_, i) => i).filter((i) => !notQuestions.has(i));
  const question = (phrase: string, k: string) => findQuestion(fileName, header, phrase, key(k), questions);
  const at = {
    hdyhau: question(settings.hdyhauQuestion, 'hdyhauQuestion'),
    nps: question(settings.npsQuestion, 'npsQuestion'),
    comment: settings.commentQuestion === undefined ? undefined : question(settings.commentQuestion, 'commentQuestion'),
    email: findField(header, settings.emailField),
    customerId: findField(header, settings.customerIdField),
  };
  const surveyId = surveyIdOf(fileName, settings.surveyId);
  const seen = new SeenKeys();

  const map = (rowNumber: number, f: readonly string[]): MappedRecord => {
    const id = cell(f, idAt);
    const row = startRow(header, rowNumber, f, `${fileName} row ${rowNumber}${id ? ` (# ${id})` : ''}`);
    if (row.malformed) return row.malformed;
    const problems: Problem[] = [];
    if (id === '') problems.push({ reason: 'missing_value', text: 'column #: missing value' });
    const submittedText = cell(f, submittedAt);
    let submitted: Date | null = null;
    if (submittedText === '')
      problems.push({
        reason: 'missing_value',
        text: `column ${submittedHeader}: missing value (a partial response, never submitted)`,
      });
    else submitted = timestampCell(submittedText, submittedHeader, true, problems);
    const nps = at.nps === undefined ? null : npsCell(cell(f, at.nps), header[at.nps]!, problems);
    const first = id === '' ? undefined : seen.repeatOf(id, rowNumber);
    if (first !== undefined)
      problems.push({ reason: 'duplicate_key', text: `column #: "${id}" repeats the response of row ${first}` });
    if (problems.length > 0 || submitted === null) return row.reject(problems);
    return {
      ok: true,
      rowNumber,
      values: surveyResponseRow({
        response_id: id,
        program_id: settings.programId,
        survey_id: surveyId,
        customer_id: cell(f, at.customerId) || null,
        respondent_email: cell(f, at.email) || null,
        submitted_at: submitted,
        hdyhau_answer: cell(f, at.hdyhau) || null,
        nps_score: nps,
        comment: cell(f, at.comment) || null,
      }),
    };
  };
  return { push: (rowNumber, fields) => [map(rowNumber, fields)], end: () => [] };
}
