import demoConfigInput from '../../../../refstack.config.js';
import { describe, expect, it } from 'vitest';
import { experimentsConfigSchema } from '../../../../models/marts/experiments/config-schema.js';

describe('experimentsConfigSchema', () => {
  it('has a default for every key', () => {
    expect(experimentsConfigSchema.parse(undefined)).toEqual({
      alpha: 0.05,
      srmAlpha: 0.001,
      betaPrior: 1,
      experiments: [],
    });
  });

  it('accepts the demo experiments and fills metric defaults', () => {
    const cfg = experimentsConfigSchema.parse(demoConfigInput.experiments);
    expect(cfg.experiments.map((e) => e.id)).toEqual(['reward-amount-2025', 'double-sided-2025']);
    expect(cfg.experiments[0]!.metrics![0]).toEqual({
      kind: 'invites',
      primary: true,
      guardrail: false,
      higherIsBetter: true,
      cuped: true,
    });
  });

  it('rejects an unknown metric kind and unknown keys, naming them', () => {
    const bad = experimentsConfigSchema.safeParse({
      experiments: [{ id: 'x', control: 'a', metrics: [{ kind: 'revenue' }] }],
    });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues[0]?.path)).toBe('["experiments",0,"metrics",0,"kind"]');
    const extra = experimentsConfigSchema.safeParse({ experiments: [{ id: 'x', control: 'a', contrl: 'b' }] });
    expect(extra.success).toBe(false);
    expect(extra.error?.message).toMatch(/contrl/);
  });
});
