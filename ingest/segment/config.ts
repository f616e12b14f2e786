/**
 * Settings of the Segment NDJSON source (`sources.segment` once the lead plugs `segmentSourceSchema` into
 * `ingest/sources-config.ts`). Every key has a default.
 */
import { z } from 'zod';
import type { RefstackConfig } from '../../src/config.js';
import { resolveProgram } from '../file-source.js';

export const segmentSourceSchema = z
  .object({
    /** Program every touch lands in; defaults to the first program of the config. */
    programId: z.string().min(1).optional(),
  })
  .strict();

export type SegmentSettings = z.output<typeof segmentSourceSchema> & { programId: string };

/** The settings of a config (`sources.segment`, all defaults when absent), with the program resolved. */
export function segmentSettings(
  config: RefstackConfig,
  override?: z.input<typeof segmentSourceSchema>,
): SegmentSettings {
  const raw = override ?? (config as { sources?: { segment?: unknown } }).sources?.segment ?? {};
  const settings = segmentSourceSchema.parse(raw);
  return { ...settings, programId: resolveProgram(config, 'sources.segment', settings.programId) };
}
