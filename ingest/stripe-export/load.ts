/** `loadStripePayments`: one Stripe Dashboard payments export CSV into `raw.orders`; mapping in `payment-row.ts`. */
import type { z } from 'zod';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { loadCsvExport, type FileLoadOptions, type LoadReport } from '../file-source.js';
import { stripeExportSettings, type stripeExportSourceSchema } from './config.js';
import { stripePaymentsMapper } from './payment-row.js';

export const STRIPE_EXPORT_SOURCE = 'stripe-export';

/**
 * Loads a Stripe payments export into `raw.orders`, one row per payment (`read` counts CSV data rows).
 * Reloading the same file writes nothing. Throws `FileSourceError` for an unreadable or empty file, a
 * header that is not a payments export, or CSV syntax the parser cannot recover from.
 *
 * @example await loadStripePayments(wh, { file: 'unified_payments.csv', config });
 */
export async function loadStripePayments(
  wh: Warehouse,
  options: FileLoadOptions & { settings?: z.input<typeof stripeExportSourceSchema> },
): Promise<LoadReport> {
  const settings = stripeExportSettings(options.config, options.settings);
  const programIds = new Set(options.config.programs.map((p) => p.id));
  return loadCsvExport(wh, {
    ...options,
    source: STRIPE_EXPORT_SOURCE,
    table: 'orders',
    makeMapper: (fileName, header) => stripePaymentsMapper(fileName, header, settings, programIds),
  });
}
