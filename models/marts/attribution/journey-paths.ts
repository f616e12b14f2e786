import type { ModelContext } from '../../../src/models/define-model.js';
import type { AttributionPath } from '../../stats/markov.js';
import { attributionConfig } from './config-schema.js';
import { lookbackSql } from './eligibility.js';

/**
 * Journey aggregates for the data-driven models, computed in SQL: one row per distinct channel path with its
 * conversions, nulls and value. Only the path's last `maxPathLength` touches are kept (the documented cap), so
 * the path is at most that many columns `c1` (the last touch) .. cN, grouped portably without string
 * aggregation; JS receives distinct paths only, never per-person rows.
 *
 * - Converting journeys: every conversion's eligible touches (attribution_journeys); value = its revenue.
 *   A conversion with no eligible touch has no path and is left out (it is credited 'Unattributed').
 * - Null journeys: persons with touches and no conversion. Their journey ends at their last touch and holds the
 *   touches within the lookback window of their type before (or at) it, the same rule as for conversions.
 */
export async function fetchJourneyPaths(ctx: ModelContext): Promise<AttributionPath[]> {
  const { d, wh, ref, config } = ctx;
  const { ruleSet } = attributionConfig(config);
  const cap = ruleSet.maxPathLength;
  const positions = Array.from({ length: cap }, (_, i) => i + 1);
  const cols = positions.map((k) => `max(case when rseq = ${k} then channel end) as c${k}`).join(', ');
  const colNames = positions.map((k) => `c${k}`).join(', ');
  const sql = `
with conv_touches as (
  select j.order_id as journey_id, j.channel, j.journey_touches - j.touch_seq + 1 as rseq, c.revenue_minor
  from ${ref('attribution_journeys')} j
  join ${ref('attribution_conversions')} c on c.order_id = j.order_id
),
conv_paths as (
  select journey_id, max(revenue_minor) as revenue_minor, ${cols}
  from conv_touches where rseq <= ${cap} group by journey_id
),
non_converters as (
  select t.person_id, t.touch_id, t.occurred_at, t.touch_type, coalesce(t.channel_group, 'Unassigned') as channel,
    max(t.occurred_at) over (partition by t.person_id) as journey_end
  from ${ref('stg_touches')} t
  left join (select distinct person_id from ${ref('attribution_conversions')}) c on c.person_id = t.person_id
  where c.person_id is null
),
null_touches as (
  select person_id as journey_id, channel,
    row_number() over (partition by person_id order by occurred_at desc, touch_id desc) as rseq
  from non_converters t
  where ${lookbackSql(d, ruleSet, 't', 't.journey_end')}
),
null_paths as (
  select journey_id, ${cols} from null_touches where rseq <= ${cap} group by journey_id
)
select ${colNames}, count(*) as conversions, 0 as nulls, sum(revenue_minor) as value
from conv_paths group by ${colNames}
union all
select ${colNames}, 0 as conversions, count(*) as nulls, 0 as value
from null_paths group by ${colNames}
`;
  const rows = await wh.query<Record<string, unknown>>(sql);
  return rows.map((r) => {
    const channels: string[] = [];
    for (let k = cap; k >= 1; k--) {
      const c = r[`c${k}`];
      if (typeof c === 'string') channels.push(c);
    }
    return { channels, conversions: Number(r['conversions']), nulls: Number(r['nulls']), value: Number(r['value']) };
  });
}
