/**
 * The `sources` key of the config: one optional fragment per API source, each owned by its adapter folder.
 * src/config.ts composes this single schema so that a typo in a source's settings fails at config load with
 * its key path, like every other key, while the vendor knowledge stays in ingest/.
 */
import { z } from 'zod';
import { hubspotSourceSchema } from './hubspot/config.js';
import { stripeSourceSchema } from './stripe/config.js';

export const sourcesConfigSchema = z
  .object({
    hubspot: hubspotSourceSchema.optional(),
    stripe: stripeSourceSchema.optional(),
  })
  .strict();
