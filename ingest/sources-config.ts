/**
 * The `sources` key of the config: one optional fragment per source, each owned by its adapter folder.
 * src/config.ts composes this single schema so that a typo in a source's settings fails at config load with
 * its key path, like every other key, while the vendor knowledge stays in ingest/.
 */
import { z } from 'zod';
import { emailEventsSourceSchema } from './email-events/config.js';
import { ga4SourceSchema } from './ga4/config.js';
import { hubspotExportSourceSchema } from './hubspot-export/config.js';
import { hubspotSourceSchema } from './hubspot/config.js';
import { salesforceSourceSchema } from './salesforce/config.js';
import { segmentSourceSchema } from './segment/config.js';
import { shopifySourceSchema } from './shopify/config.js';
import { stripeExportSourceSchema } from './stripe-export/config.js';
import { stripeSourceSchema } from './stripe/config.js';
import { surveymonkeySourceSchema } from './surveymonkey/config.js';
import { typeformSourceSchema } from './typeform/config.js';

export const sourcesConfigSchema = z
  .object({
    hubspot: hubspotSourceSchema.optional(),
    hubspotExport: hubspotExportSourceSchema.optional(),
    stripe: stripeSourceSchema.optional(),
    stripeExport: stripeExportSourceSchema.optional(),
    shopify: shopifySourceSchema.optional(),
    segment: segmentSourceSchema.optional(),
    ga4: ga4SourceSchema.optional(),
    salesforce: salesforceSourceSchema.optional(),
    typeform: typeformSourceSchema.optional(),
    surveymonkey: surveymonkeySourceSchema.optional(),
    emailEvents: emailEventsSourceSchema.optional(),
  })
  .strict();
