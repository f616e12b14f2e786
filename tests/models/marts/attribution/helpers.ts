import { runModels } from '../../../../src/models/runner.js';
import type { RefstackConfig } from '../../../../src/config.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { defaultRegistry } from '../../../../models/index.js';
import { attributionConfigSchema } from '../../../../models/marts/attribution/config-schema.js';
import { testConfig } from '../../../helpers/landing.js';

export const registry = defaultRegistry();

/** The test config with an `attribution` section, validated like a user's config. */
export function withAttribution(attribution: Record<string, unknown>, base = testConfig()): RefstackConfig {
  return { ...base, attribution: attributionConfigSchema.parse(attribution) };
}

export async function runAttribution(wh: Warehouse, config: RefstackConfig, select?: string[]): Promise<void> {
  await runModels({
    wh,
    config,
    registry,
    select: select ?? registry.names.filter((n) => n.startsWith('attribution')),
  });
}
