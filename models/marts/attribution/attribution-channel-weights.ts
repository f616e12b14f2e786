import type { ColumnDef } from '../../../src/warehouse/dialect.js';
import { defineModel } from '../../../src/models/define-model.js';
import { freshTable } from '../../../src/models/fresh-table.js';
import { markovAttribution, markovRemovalEffects } from '../../stats/markov.js';
import { shapleyAttribution } from '../../stats/shapley.js';
import { attributionConfig, ruleVersion } from './config-schema.js';
import { fetchJourneyPaths } from './journey-paths.js';

const COLUMNS: ColumnDef[] = [
  { name: 'rule_version', type: 'string' },
  { name: 'model', type: 'string' },
  { name: 'channel', type: 'string' },
  { name: 'weight', type: 'float64' },
  { name: 'conversions', type: 'float64' },
  { name: 'value_minor', type: 'float64' },
  { name: 'paths', type: 'int64' },
];

/**
 * The data-driven channel weights, from journey aggregates (see `journey-paths.ts`): for 'markov' the first-order
 * removal effect of each channel (Anderl et al. 2016, `markovRemovalEffects`), and the channel's share of all
 * conversions and value (`markovAttribution`); for 'shapley' the simplified Shapley value (`shapleyAttribution`),
 * with weight = its share of conversions. attribution_credit spreads each conversion over its journey's channels
 * in proportion to these weights.
 */
export const attributionChannelWeights = defineModel({
  name: 'attribution_channel_weights',
  grain: 'one row per data-driven model (markov, shapley) and channel under the current attribution rule set',
  dependsOn: ['attribution_journeys', 'attribution_conversions', 'stg_touches'],
  columns: {
    rule_version: 'attribution rule version',
    model: 'markov | shapley',
    channel: 'channel group',
    weight: 'markov: removal effect in [0, 1]; shapley: share of conversions',
    conversions: 'conversions credited to the channel over all journeys (model totals)',
    value_minor: 'conversion value credited over all journeys (reporting-currency minor units, unrounded)',
    paths: 'distinct journey paths (converting and null) the model saw',
  },
  build: async (ctx) => {
    const { d, wh, config } = ctx;
    const { ruleSet } = attributionConfig(config);
    const version = ruleVersion(ruleSet);
    const paths = await fetchJourneyPaths(ctx);
    const rows: unknown[][] = [];
    if (paths.length > 0) {
      const effects = new Map(markovRemovalEffects(paths).removalEffects.map((r) => [r.channel, r.removalEffect]));
      for (const c of markovAttribution(paths))
        rows.push([version, 'markov', c.channel, effects.get(c.channel) ?? 0, c.conversions, c.value, paths.length]);
      const shapley = shapleyAttribution(paths);
      const total = shapley.reduce((s, c) => s + c.conversions, 0);
      for (const c of shapley)
        rows.push([
          version,
          'shapley',
          c.channel,
          total > 0 ? c.conversions / total : 0,
          c.conversions,
          c.value,
          paths.length,
        ]);
    }
    await freshTable(ctx, COLUMNS);
    await wh.appendRows(config.schemas.analytics, 'attribution_channel_weights', COLUMNS, rows);
  },
});
