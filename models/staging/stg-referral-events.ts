import { defineModel } from '../../src/models/define-model.js';
import { latestPerKey } from './latest.js';
import { codeOwnersSql } from './referral-code-owners.js';

/** Referral events, cleaned: deduplicated, codes normalized, the advocate resolved from the code when absent. */
export const stgReferralEvents = defineModel({
  name: 'stg_referral_events',
  grain: 'one row per referral event_id (the most recently landed version)',
  dependsOn: ['stg_customers'],
  columns: {
    event_id: 'source event id',
    program_id: 'referral program',
    event_type:
      'invited | clicked | signed_up | converted | activated (referee account activation) | trial_converted (referee trial became paid)',
    occurred_at: 'event time (UTC)',
    referral_code: 'upper-cased advocate code',
    advocate_id: "the event's advocate, else the owner of the code",
    referee_id: 'referred customer (signed_up, converted)',
    order_id: 'converted: the qualifying order',
    share_channel: 'how the invitation was shared',
    ip: 'PII',
    device_id: 'device fingerprint',
  },
  build: ({ d, source, ref }) => `
with latest as (
  select * from ${source('referral_events')}
  ${latestPerKey(d, 'event_id')}
),
codes as (${codeOwnersSql(ref('stg_customers'))})
select
  e.event_id,
  e.program_id,
  lower(trim(e.event_type)) as event_type,
  e.occurred_at,
  upper(${d.normalizeText('e.referral_code')}) as referral_code,
  coalesce(nullif(trim(e.advocate_id), ''), codes.owner_id) as advocate_id,
  nullif(trim(e.referee_id), '') as referee_id,
  nullif(trim(e.order_id), '') as order_id,
  ${d.normalizeText('e.share_channel')} as share_channel,
  e.ip,
  e.device_id
from latest e
left join codes on codes.code = upper(${d.normalizeText('e.referral_code')})
`,
});
