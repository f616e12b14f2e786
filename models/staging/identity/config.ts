/**
 * Identity and touches options. The schemas live in src/config.ts (`identity`, `touches` keys); this module
 * keeps the names the staging models use.
 */
import { identityConfigSchema, touchesConfigSchema, type RefstackConfig } from '../../../src/config.js';
import type { z } from 'zod';

export { identityConfigSchema, touchesConfigSchema };
export type IdentityConfig = z.output<typeof identityConfigSchema>;
export type TouchesConfig = z.output<typeof touchesConfigSchema>;

export const IDENTITY_DEFAULTS: IdentityConfig = identityConfigSchema.parse({});
export const TOUCHES_DEFAULTS: TouchesConfig = touchesConfigSchema.parse({});

/** The identity and touches options of a validated config. */
export function stagingOptions(config: RefstackConfig): { identity: IdentityConfig; touches: TouchesConfig } {
  return { identity: config.identity, touches: config.touches };
}
