/**
 * Settings of the Shopify orders export source (`sources.shopify` once the lead plugs `shopifySourceSchema`
 * into `ingest/sources-config.ts`). Every key has a default, so a config without the section works.
 */
import { z } from 'zod';
import type { RefstackConfig } from '../../src/config.js';
import { exportSettings, type ResolvedSettings } from '../export-settings.js';

export const shopifySourceSchema = z
  .object({
    /** Program every order lands in; defaults to the first program of the config. */
    programId: z.string().min(1).optional(),
    /**
     * A discount code is the order's `referral_code` only when it matches this regular expression
     * (case-insensitive); other codes (WELCOME10, BLACKFRIDAY) are ordinary discounts.
     */
    referralCodePattern: z
      .string()
      .refine(
        (s) => {
          try {
            new RegExp(s, 'i');
            return true;
          } catch {
            return false;
          }
        },
        { error: 'expected a valid regular expression' },
      )
      .default('^(?:REF|FRIEND)[-_]?[A-Z0-9]+$'),
    /** `raw.orders.order_id`: Shopify's numeric `Id` (stable) or the order `Name` (#1001, shop-local). */
    orderId: z.enum(['id', 'name']).default('id'),
    /** Optional `raw.orders.region` / `product_line` taken from these export columns (e.g. "Shipping Country", "Vendor"). */
    regionColumn: z.string().min(1).optional(),
    productLineColumn: z.string().min(1).optional(),
  })
  .strict();

export type ShopifySettings = ResolvedSettings<typeof shopifySourceSchema>;

/** The Shopify settings of a config (`sources.shopify`, all defaults when absent), with the program resolved. */
export function shopifySettings(
  config: RefstackConfig,
  override?: z.input<typeof shopifySourceSchema>,
): ShopifySettings {
  return exportSettings(config, 'shopify', shopifySourceSchema, override);
}
