import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DISPOSABLE_DOMAINS,
  fraudConfig,
  fraudConfigSchema,
  fraudRuleVersion,
} from '../../../../models/marts/fraud/config-schema.js';

describe('fraud config', () => {
  it('fills every rule with its defaults', () => {
    const cfg = fraudConfig({});
    expect(cfg.flagThreshold).toBe(0.5);
    expect(cfg.highValueThresholdMinor).toBe(50_000);
    expect(cfg.rules.selfReferral).toEqual({ enabled: true, weight: 0.9 });
    expect(cfg.rules.velocity).toEqual({ enabled: true, weight: 0.5, k: 5, minCount: 5, advocateMinDays: 7 });
    expect(cfg.rules.signupBurst).toEqual({
      enabled: true,
      weight: 0.4,
      windowHours: 24,
      k: 5,
      minSignups: 10,
      rangeMinWindows: 7,
    });
    expect(cfg.rules.disposableEmail.domains).toEqual([...DEFAULT_DISPOSABLE_DOMAINS]);
    // A partial override keeps the other keys' defaults.
    expect(fraudConfig({ fraud: { rules: { velocity: { k: 3 } } } }).rules.velocity.minCount).toBe(5);
  });

  it('names the bad key', () => {
    expect(() => fraudConfig({ fraud: { rules: { sharedIp: { weight: 1.5 } } } })).toThrow(
      /^config fraud\.rules\.sharedIp\.weight: /,
    );
    expect(() => fraudConfig({ fraud: { rules: { disposableEmail: { domains: ['Mailinator.com'] } } } })).toThrow(
      'config fraud.rules.disposableEmail.domains.0: expected a lower-case domain like "mailinator.com"',
    );
    expect(() => fraudConfig({ fraud: { rules: { velocty: {} } } })).toThrow(/^config fraud\.rules: /);
  });

  it('versions the canonical rules: key order does not matter, any rule change does', () => {
    const a = fraudRuleVersion(fraudConfigSchema.parse({ rules: { sharedIp: { weight: 0.4, enabled: true } } }));
    const b = fraudRuleVersion(fraudConfigSchema.parse({ rules: { sharedIp: { enabled: true, weight: 0.4 } } }));
    const defaults = fraudRuleVersion(fraudConfigSchema.parse({}));
    expect(a).toBe(b);
    expect(a).toBe(defaults);
    expect(a).toMatch(/^default-[0-9a-f]{10}$/);
    expect(fraudRuleVersion(fraudConfigSchema.parse({ flagThreshold: 0.6 }))).not.toBe(defaults);
    expect(fraudRuleVersion(fraudConfigSchema.parse({ rules: { velocity: { k: 4 } } }))).not.toBe(defaults);
    // The high-value threshold routes reviews and is not part of the version.
    expect(fraudRuleVersion(fraudConfigSchema.parse({ highValueThresholdMinor: 1 }))).toBe(defaults);
    expect(fraudRuleVersion(fraudConfigSchema.parse({ rules: { id: 'strict' } }))).toMatch(/^strict-/);
  });
});
