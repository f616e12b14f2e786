/**
 * Settings of the GA4 BigQuery export source (`sources.ga4` once the lead plugs `ga4SourceSchema` into
 * `ingest/sources-config.ts`). Every key has a default.
 */
import { z } from 'zod';
import type { RefstackConfig } from '../../src/config.js';
import { resolveProgram } from '../file-source.js';

export const ga4SourceSchema = z
  .object({
    /** Program every touch lands in; defaults to the first program of the config. */
    programId: z.string().min(1).optional(),
    /**
     * Event names landed as touches. The default, `session_start`, is one arrival touch per session, with
     * the session's landing page, referrer and campaign. GA4 fires `first_visit`, `session_start` and the first
     * `page_view` together, so adding either lands the same arrival two or three times; add `page_view` only
     * to see every page (attribution then counts one touch per page).
     */
    touchEvents: z
      .array(z.enum(['session_start', 'first_visit', 'page_view']))
      .min(1)
      .default(['session_start']),
  })
  .strict();

export type Ga4Settings = z.output<typeof ga4SourceSchema> & { programId: string };

/** The settings of a config (`sources.ga4`, all defaults when absent), with the program resolved. */
export function ga4Settings(config: RefstackConfig, override?: z.input<typeof ga4SourceSchema>): Ga4Settings {
  const raw = override ?? (config as { sources?: { ga4?: unknown } }).sources?.ga4 ?? {};
  const settings = ga4SourceSchema.parse(raw);
  return { ...settings, programId: resolveProgram(config, 'sources.ga4', settings.programId) };
}
