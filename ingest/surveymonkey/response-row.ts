/**
 * The SurveyMonkey responses export mapped onto `raw.survey_responses`, one row per respondent.
 * `response_id` is the Respondent ID; `submitted_at` the End Date ("03/14/2024 09:12:45 AM", month first, in
 * the account's time zone).
 *
 * The second header row is consumed as sub-answer labels, so data rows are numbered from the third line: the
 * landed `_row_number` is the respondent's position (1 = first respondent). A file whose second row has any
 * metadata cell filled (Respondent ID, dates, IP, email, ...) has one header row and is read the same way.
 *
 * A question spans its own column and the following columns with an empty first-row cell. The "how did you
 * hear about us" answer is the "Other (please specify)" text when given, else the chosen answer.
 */
import { requiredTimeCell, SeenKeys, startRow } from '../export-rows.js';
import { FileSourceError, cell, type CsvRecordMapper, type MappedRecord } from '../file-source.js';
import type { Problem } from '../quarantine.js';
import { parseLocaleTimestamp } from '../salesforce/locale-date.js';
import { findField, findQuestion, npsCell, surveyIdOf, surveyResponseRow } from '../survey-export/survey-fields.js';
import type { SurveymonkeySettings } from './config.js';

const METADATA = [
  'Respondent ID',
  'Collector ID',
  'Start Date',
  'End Date',
  'IP Address',
  'Email Address',
  'First Name',
  'Last Name',
];

/** The columns of the question starting at `start`: it and the following ones with an empty first-row cell. */
function span(header: readonly string[], start: number): number[] {
  const cols = [start];
  for (let i = start + 1; i < header.length && (header[i] ?? '').trim() === ''; i++) cols.push(i);
  return cols;
}

/** Builds the mapper for one export file; throws `FileSourceError` without Respondent ID or End Date. */
export function surveymonkeyResponsesMapper(
  fileName: string,
  header: string[],
  settings: SurveymonkeySettings,
): CsvRecordMapper {
  const key = (k: string) => `sources.surveymonkey.${k}`;
  const idAt = findField(header, 'Respondent ID');
  const endAt = findField(header, 'End Date');
  if (idAt === undefined || endAt === undefined)
    throw new FileSourceError(
      fileName,
      `not a SurveyMonkey responses export: the header lacks ${idAt === undefined ? '"Respondent ID"' : '"End Date"'} (found: ${header.slice(0, 8).join(', ')}${header.length > 8 ? ', ...' : ''})`,
    );
  const meta = new Set(METADATA.map((m) => findField(header, m)).filter((i) => i !== undefined));
  const questions = header.map((_, i) => i).filter((i) => !meta.has(i) && (header[i] ?? '').trim() !== '');
  const question = (phrase: string | undefined, k: string) =>
    phrase === undefined ? undefined : findQuestion(fileName, header, phrase, key(k), questions);
  const hdyhau = question(settings.hdyhauQuestion, 'hdyhauQuestion');
  const nps = question(settings.npsQuestion, 'npsQuestion');
  const comment = question(settings.commentQuestion, 'commentQuestion');
  const emailAt = findField(header, settings.emailField);
  const customerAt = findField(header, settings.customerIdField);
  const surveyId = surveyIdOf(fileName, settings.surveyId);
  let sub: readonly string[] | null = null;
  let offset = 0;
  const seen = new SeenKeys();

  /** The HDYHAU answer: the "Other" text of its span when filled, else its first non-empty cell. */
  const hdyhauAnswer = (f: readonly string[]): string | null => {
    if (hdyhau === undefined) return null;
    const cols = span(header, hdyhau);
    const other = cols.find((i) => i !== hdyhau && /^other/i.test((sub?.[i] ?? '').trim()) && cell(f, i) !== '');
    if (other !== undefined) return cell(f, other);
    return cols.map((i) => cell(f, i)).find((v) => v !== '') ?? null;
  };

  const map = (line: number, f: readonly string[]): MappedRecord => {
    const rowNumber = line - offset;
    const id = cell(f, idAt);
    const row = startRow(
      header,
      rowNumber,
      f,
      `${fileName} respondent row ${rowNumber}${id ? ` (Respondent ID ${id})` : ''}`,
    );
    if (row.malformed) return row.malformed;
    const problems: Problem[] = [];
    if (id === '') problems.push({ reason: 'missing_value', text: 'column Respondent ID: missing value' });
    else if (!/^\d+$/.test(id))
      problems.push({
        reason: 'invalid_number',
        text: `column Respondent ID: "${id}" is not a SurveyMonkey respondent id (digits)`,
      });
    const end = requiredTimeCell(
      cell(f, endAt),
      'End Date',
      (t) => parseLocaleTimestamp(t, 'MDY', settings.timeZone),
      problems,
    );
    const score = nps === undefined ? null : npsCell(cell(f, nps), header[nps]!, problems);
    const first = id === '' ? undefined : seen.repeatOf(id, rowNumber);
    if (first !== undefined)
      problems.push({
        reason: 'duplicate_key',
        text: `column Respondent ID: "${id}" repeats the respondent of row ${first}`,
      });
    if (problems.length > 0 || end === null) return row.reject(problems);
    return {
      ok: true,
      rowNumber,
      values: surveyResponseRow({
        response_id: id,
        program_id: settings.programId,
        survey_id: surveyId,
        customer_id: cell(f, customerAt) || null,
        respondent_email: cell(f, emailAt) || null,
        submitted_at: end,
        hdyhau_answer: hdyhauAnswer(f),
        nps_score: score,
        comment:
          comment === undefined
            ? null
            : (span(header, comment)
                .map((i) => cell(f, i))
                .find((v) => v !== '') ?? null),
      }),
    };
  };

  return {
    push(line, fields) {
      // The second header row leaves every metadata cell empty; a first respondent row missing only its id is a
      // data row (quarantined and counted), never swallowed as labels.
      if (line === 1 && [...meta].every((i) => cell(fields, i) === '')) {
        sub = fields;
        offset = 1;
        return [];
      }
      return [map(line, fields)];
    },
    end: () => [],
  };
}
