/**
 * How a vendor export source reads its settings: its zod fragment under `sources.<source>` (all defaults when
 * the section is absent, or an explicit override), with the program every row lands in resolved.
 */
import { z } from 'zod';
import type { RefstackConfig } from '../src/config.js';
import { resolveProgram } from './file-source.js';
import { isTimeZone } from './hubspot-export/wall-clock.js';

/** Settings as parsed, with `programId` always resolved to a program of the config. */
export type ResolvedSettings<S extends z.ZodType> = z.output<S> & { programId: string };

/**
 * The settings of source `source` (the key under `sources`, e.g. `hubspotExport`): `override` when given,
 * else the config's section, else `{}`, parsed by `schema`; `programId` defaults to the config's first
 * program and must name a program of the config (errors name `sources.<source>`).
 *
 * @example exportSettings(config, 'typeform', typeformSourceSchema) // { ...defaults, programId: 'default' }
 */
export function exportSettings<S extends z.ZodType<{ programId?: string | undefined }>>(
  config: RefstackConfig,
  source: string,
  schema: S,
  override?: z.input<S>,
): ResolvedSettings<S> {
  const raw = override ?? (config as { sources?: Record<string, unknown> }).sources?.[source] ?? {};
  const settings = schema.parse(raw);
  return { ...settings, programId: resolveProgram(config, `sources.${source}`, settings.programId) };
}

/**
 * The `timeZone` setting of an export that writes zone-less wall-clock times: an IANA zone name, 'UTC' by
 * default; a bad name fails with `expected an IANA time zone name like "<example>"`.
 */
export function timeZoneSetting(example: string) {
  return z
    .string()
    .refine(isTimeZone, { error: `expected an IANA time zone name like "${example}"` })
    .default('UTC');
}
