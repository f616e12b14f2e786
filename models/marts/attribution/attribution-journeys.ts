import { defineModel } from '../../../src/models/define-model.js';
import { attributionConfig, ruleVersion } from './config-schema.js';
import { codeOwnersSql, lookbackSql } from './eligibility.js';

/**
 * The journey of every conversion: the person's touches (stg_touches, by person_id) strictly before the order
 * time and inside the lookback window of their touch type (`ruleSet.lookbackDays`). Touches at or after the
 * conversion are never part of it. `touch_seq` orders the journey by time, then touch id.
 */
export const attributionJourneys = defineModel({
  name: 'attribution_journeys',
  grain: 'one row per conversion and eligible touch under the current attribution rule set',
  dependsOn: ['attribution_conversions', 'stg_touches', 'stg_customers'],
  columns: {
    order_id: 'the conversion',
    person_id: 'the converting person',
    touch_id: 'an eligible touch',
    occurred_at: 'touch time (UTC)',
    touch_type: 'click | view | visit',
    channel: 'stg_touches.channel_group',
    campaign: 'utm_campaign',
    advocate_id: "owner of the touch's referral code (?ref=), if any",
    is_direct: "channel = 'Direct'",
    seconds_before: 'seconds from the touch to the conversion (> 0)',
    touch_seq: '1 for the first touch of the journey (by time, then touch id)',
    journey_touches: 'eligible touches in the journey',
    rule_version: 'attribution rule version',
  },
  build: ({ d, ref, config }) => {
    const { ruleSet } = attributionConfig(config);
    return `
with codes as (${codeOwnersSql(ref('stg_customers'))})
select
  c.order_id, c.person_id, t.touch_id, t.occurred_at, t.touch_type,
  coalesce(t.channel_group, 'Unassigned') as channel, t.utm_campaign as campaign, codes.owner_id as advocate_id, t.is_direct,
  ${d.epochSeconds('c.converted_at')} - ${d.epochSeconds('t.occurred_at')} as seconds_before,
  row_number() over (partition by c.order_id order by t.occurred_at, t.touch_id) as touch_seq,
  count(*) over (partition by c.order_id) as journey_touches,
  ${d.stringLiteral(ruleVersion(ruleSet))} as rule_version
from ${ref('attribution_conversions')} c
join ${ref('stg_touches')} t
  on t.person_id = c.person_id and t.occurred_at < c.converted_at and ${lookbackSql(d, ruleSet, 't', 'c.converted_at')}
left join codes on codes.code = t.referral_code
`;
  },
});
