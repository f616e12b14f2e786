/** The Shopify orders export CSV source (`refstack ingest shopify FILE...`). */
export { loadShopifyOrders, SHOPIFY_SOURCE } from './load.js';
export { shopifySourceSchema, shopifySettings, type ShopifySettings } from './config.js';
export { SHOPIFY_FINANCIAL_STATUS } from './order-rows.js';
