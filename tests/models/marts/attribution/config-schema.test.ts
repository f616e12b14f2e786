import { describe, expect, it } from 'vitest';
import { attributionConfig, ruleSetSchema, ruleVersion } from '../../../../models/marts/attribution/config-schema.js';

describe('attribution rule set', () => {
  it('fills the documented defaults', () => {
    expect(attributionConfig({}).ruleSet).toEqual({
      id: 'default',
      lookbackDays: { click: 30, view: 1, visit: 30 },
      positionBased: { first: 0.4, middle: 0.2, last: 0.4 },
      timeDecayHalfLifeDays: 7,
      referralCode: 'override',
      conversion: 'first_order',
      orderStatuses: ['paid', 'partially_refunded', 'refunded', 'chargeback'],
      maxPathLength: 20,
    });
  });

  it('gives equal rule sets one version whatever the key order, and any changed rule a new one', () => {
    const a = ruleVersion(ruleSetSchema.parse({ lookbackDays: { click: 30, view: 1 }, timeDecayHalfLifeDays: 7 }));
    const b = ruleVersion(ruleSetSchema.parse({ timeDecayHalfLifeDays: 7, lookbackDays: { view: 1, click: 30 } }));
    expect(a).toBe(b);
    expect(a).toMatch(/^default-[0-9a-f]{10}$/);
    const changed = [
      { lookbackDays: { view: 2 } },
      { positionBased: { first: 0.3, middle: 0.4, last: 0.3 } },
      { timeDecayHalfLifeDays: 7.5 },
      { referralCode: 'off' },
      { conversion: 'every_order' },
      { maxPathLength: 10 },
      { id: 'q3-2026' },
    ].map((r) => ruleVersion(ruleSetSchema.parse(r)));
    expect(new Set([a, ...changed]).size).toBe(changed.length + 1);
  });

  it('rejects a bad rule naming the key and the problem', () => {
    expect(() => attributionConfig({ attribution: { ruleSet: { lookbackDays: { view: -1 } } } })).toThrow(
      'config attribution.ruleSet.lookbackDays.view: expected a whole number of days >= 0',
    );
    expect(() =>
      attributionConfig({ attribution: { ruleSet: { positionBased: { first: 0.5, middle: 0.5, last: 0.5 } } } }),
    ).toThrow('config attribution.ruleSet.positionBased: expected first + middle + last = 1');
    expect(() => attributionConfig({ attribution: { ruleSet: { referralCode: 'maybe' } } })).toThrow(
      'config attribution.ruleSet.referralCode',
    );
  });
});
