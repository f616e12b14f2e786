/**
 * `loadShopifyOrders`: one Shopify orders export CSV into `raw.orders`; see `order-rows.ts` for the mapping.
 */
import type { z } from 'zod';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { loadCsvExport, type FileLoadOptions, type LoadReport } from '../file-source.js';
import { shopifySettings, type shopifySourceSchema } from './config.js';
import { shopifyOrdersMapper } from './order-rows.js';

export const SHOPIFY_SOURCE = 'shopify';

/**
 * Loads a Shopify orders export (one row per line item) into `raw.orders`, one landed row per order.
 * `read` counts orders; bad orders go to `raw.quarantine` whole. Reloading the same file writes nothing
 * (`already_loaded`). Throws `FileSourceError` for an unreadable or empty file, a header that is not a
 * Shopify orders export, or CSV syntax the parser cannot recover from.
 *
 * @example await loadShopifyOrders(wh, { file: 'orders_export_1.csv', config });
 */
export async function loadShopifyOrders(
  wh: Warehouse,
  options: FileLoadOptions & { settings?: z.input<typeof shopifySourceSchema> },
): Promise<LoadReport> {
  const settings = shopifySettings(options.config, options.settings);
  return loadCsvExport(wh, {
    ...options,
    source: SHOPIFY_SOURCE,
    table: 'orders',
    makeMapper: (fileName, header) => shopifyOrdersMapper(fileName, header, settings),
  });
}
