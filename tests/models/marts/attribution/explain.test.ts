import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { explainConversion, formatExplanation } from '../../../../src/cli/commands/explain.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { ruleSetSchema, ruleVersion } from '../../../../models/marts/attribution/config-schema.js';
import { land, memoryWarehouse } from '../../../helpers/landing.js';
import { runAttribution, withAttribution } from './helpers.js';

const config = withAttribution({ decidedAt: '2026-02-01T00:00:00Z' });
const VERSION = ruleVersion(ruleSetSchema.parse({}));

describe('refstack explain conversion', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await memoryWarehouse();
    await land(wh, 'customers', [
      { customer_id: 'C1', created_at: '2025-01-01T00:00:00Z', referral_code: 'RC1' },
      { customer_id: 'C9', created_at: '2025-01-01T00:00:00Z', referral_code: 'RC9' },
    ]);
    await land(wh, 'orders', [
      {
        order_id: 'O1',
        customer_id: 'C1',
        ordered_at: '2025-03-31T00:00:00Z',
        currency: 'USD',
        gross_minor: 1001,
        discount_minor: 0,
        tax_minor: 0,
        refunded_minor: 0,
        status: 'paid',
      },
    ]);
    const touch = { customer_id: 'C1', anonymous_id: 'A1', touch_type: 'click', page_url: 'https://shop.example.com/' };
    await land(wh, 'touches', [
      {
        ...touch,
        touch_id: 'T1',
        occurred_at: '2025-03-20T00:00:00Z',
        utm_source: 'google',
        utm_medium: 'cpc',
        utm_campaign: 'search-brand',
      },
      { ...touch, touch_id: 'T2', occurred_at: '2025-03-30T00:00:00Z', touch_type: 'visit' },
    ]);
    await runAttribution(wh, config);
  });
  afterEach(async () => {
    await wh.close();
  });

  it('returns the journey and per model the credits, revenue credits, reasons and rule version', async () => {
    const e = await explainConversion(wh, config, 'O1');
    expect(e.ruleVersion).toBe(VERSION);
    expect(e.revenueMinor).toBe(1001);
    expect(e.journey).toEqual([
      { touchId: 'T1', occurredAt: '2025-03-20T00:00:00.000Z', channel: 'Paid Search', campaign: 'search-brand' },
      { touchId: 'T2', occurredAt: '2025-03-30T00:00:00.000Z', channel: 'Direct', campaign: null },
    ]);
    expect(e.models.map((m) => m.model)).toEqual([
      'first_touch',
      'last_touch',
      'last_non_direct',
      'linear',
      'position_based',
      'time_decay',
      'markov',
      'shapley',
    ]);
    // Linear over two touches: 1001 / 2 = 500.5 each; the odd unit goes to the earlier touch (tie on remainder).
    const linear = e.models.find((m) => m.model === 'linear')!.credits;
    expect(linear.map((c) => [c.touchId, c.credit, c.revenueCreditMinor, c.reasonCode])).toEqual([
      ['T1', 0.5, 501, 'linear_share'],
      ['T2', 0.5, 500, 'linear_share'],
    ]);
    const text = formatExplanation(e);
    expect(text).toContain('revenue 10.01 USD');
    expect(text).toContain(`linear (rule ${VERSION}):`);
    expect(text).toMatch(/T1 +Paid Search +credit 0\.5000 +5\.01 USD +linear_share/);
    // last_non_direct skips the Direct visit T2.
    expect(text).toMatch(/last_non_direct[^\n]*:\n +T1 +Paid Search +credit 1\.0000 +10\.01 USD +last_non_direct/);
  });

  it('filters by model and fails with one line for an unknown order or rule version', async () => {
    const e = await explainConversion(wh, config, 'O1', { model: 'first_touch' });
    expect(e.models.map((m) => m.model)).toEqual(['first_touch']);
    await expect(explainConversion(wh, config, 'O404')).rejects.toThrow(
      'unknown conversion "O404": no rows in attribution_credit',
    );
    await expect(explainConversion(wh, config, 'O1', { ruleVersion: 'nope' })).rejects.toThrow(
      `conversion "O1" has no rows under rule version "nope"; it has: ${VERSION}`,
    );
  });
});
