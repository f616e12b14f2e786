/**
 * What Typeform and SurveyMonkey exports share: columns headed by QUESTION TEXT, which differs per survey, so
 * the "how did you hear about us" and NPS questions are found by a configured phrase, and the
 * `raw.survey_responses` row built from the mapped cells.
 */
import { basename, extname } from 'node:path';
import { FileSourceError } from '../file-source.js';
import { LANDING_TABLES } from '../landing-schema.js';
import { parseInteger } from '../parse-values.js';
import type { Problem } from '../quarantine.js';

/** Lower case, punctuation and runs of spaces collapsed to one space: "How did you hear about us?" -> "how did you hear about us". */
export function normalizeQuestion(text: string): string {
  return text
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Index of the one header column whose question text contains `phrase` (both normalized), or undefined when
 * none does. Several matches are refused naming them and the settings key, rather than guessing.
 *
 * @example findQuestion('f.csv', ['#', 'How did you hear about us?'], 'hear about us', 'sources.typeform.hdyhauQuestion') // 1
 */
export function findQuestion(
  file: string,
  header: readonly string[],
  phrase: string,
  key: string,
  candidates?: readonly number[],
): number | undefined {
  const wanted = normalizeQuestion(phrase);
  const pool = candidates ?? header.map((_, i) => i);
  const hits = pool.filter((i) => normalizeQuestion(header[i] ?? '').includes(wanted));
  if (hits.length > 1)
    throw new FileSourceError(
      file,
      `${key} "${phrase}" matches ${hits.length} questions (${hits.map((i) => JSON.stringify(header[i])).join(', ')}); set it to a longer part of the one you mean`,
    );
  return hits[0];
}

/** Index of the column named exactly `name` (case-insensitive, trimmed), or undefined. */
export function findField(header: readonly string[], name: string): number | undefined {
  const wanted = name.trim().toLowerCase();
  const at = header.findIndex(
    (h) =>
      h
        .replace(/^\uFEFF/, '')
        .trim()
        .toLowerCase() === wanted,
  );
  return at === -1 ? undefined : at;
}

/** A scale answer exported with its end label, "10 - Extremely likely": the number before the label. */
const LABELLED = /^(\d{1,2})\s*[-\u2013]\s*\p{L}/u;

/**
 * Parses an NPS answer cell (whole number 0-10, optionally followed by its scale label as in "0 - Not at all
 * likely"); '' is null. Pushes a problem naming the question otherwise.
 */
export function npsCell(text: string, question: string, problems: Problem[]): number | null {
  if (text === '') return null;
  const r = parseInteger(LABELLED.exec(text)?.[1] ?? text, { min: 0, max: 10 });
  if (r.ok) return r.value;
  problems.push({ reason: r.reason, text: `column ${JSON.stringify(question)}: ${JSON.stringify(text)} ${r.problem}` });
  return null;
}

/** The survey id of a file: the configured one, else the file name without its extension. */
export function surveyIdOf(file: string, configured: string | undefined): string {
  return configured ?? basename(file, extname(file));
}

export interface SurveyResponseValues {
  response_id: string;
  program_id: string;
  survey_id: string;
  customer_id: string | null;
  respondent_email: string | null;
  submitted_at: Date;
  hdyhau_answer: string | null;
  nps_score: number | null;
  comment: string | null;
}

/** The business values of one `raw.survey_responses` row, in landing order. */
export function surveyResponseRow(v: SurveyResponseValues): unknown[] {
  const byName = v as unknown as Record<string, unknown>;
  return LANDING_TABLES.survey_responses.map((col) => byName[col.name] ?? null);
}
