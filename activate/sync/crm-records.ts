/**
 * The CRM view of each person refstack knows about in a referral role: every customer with a referral code, with
 * referrals, or referred by someone, with their advocate score and tier (advocate_scores, when built), code,
 * converted referrals and the code that referred them (their referrer of record). Read in pages; one row per
 * customer.
 */
import type { RefstackConfig } from '../../src/config.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { REFERRAL_CODES_TABLE, ensureReferralCodes } from '../../models/marts/activation/operational-tables.js';

export interface CrmPerson {
  customer_id: string;
  program_id: string;
  email: string | null;
  full_name: string | null;
  score: number | null;
  tier: string | null;
  referral_code: string | null;
  referrals: number;
  referred_by: string | null;
}

export async function readCrmPeople(wh: Warehouse, config: RefstackConfig): Promise<CrmPerson[]> {
  const d = wh.dialect;
  const schema = config.schemas.analytics;
  for (const t of ['stg_customers', 'stg_referrals'])
    if (!(await wh.tableExists(schema, t))) throw new Error(`sync needs ${schema}.${t}: run \`refstack run\` first`);
  await ensureReferralCodes(wh, schema);
  const hasScores = await wh.tableExists(schema, 'advocate_scores');
  const scores = hasScores
    ? `left join ${d.tableRef(schema, 'advocate_scores')} s on s.customer_id = c.customer_id and s.program_id = c.program_id`
    : `left join (select ${d.cast('null', 'string')} as customer_id, ${d.cast('null', 'float64')} as score,
        ${d.cast('null', 'string')} as tier) s on s.customer_id = c.customer_id`;
  const names = `select customer_id, full_name from ${d.tableRef(config.schemas.raw, 'customers')}
    where full_name is not null
    ${d.qualify('row_number() over (partition by customer_id order by _loaded_at desc, _batch_id desc, _row_number desc) = 1', true)}`;
  const out: CrmPerson[] = [];
  for await (const chunk of wh.stream<CrmPerson>(`
with counts as (
  select advocate_id, sum(case when is_converted then 1 else 0 end) as referrals
  from ${d.tableRef(schema, 'stg_referrals')}
  where advocate_id is not null and not is_self_referral
  group by advocate_id
)
select c.customer_id, c.program_id, c.email_normalized as email, nm.full_name,
  ${d.cast('round(s.score)', 'int64')} as score, s.tier, rc.code as referral_code,
  ${d.cast('coalesce(k.referrals, 0)', 'int64')} as referrals, c.referred_by_code as referred_by
from ${d.tableRef(schema, 'stg_customers')} c
left join ${d.tableRef(schema, REFERRAL_CODES_TABLE)} rc on rc.customer_id = c.customer_id and rc.program_id = c.program_id
left join counts k on k.advocate_id = c.customer_id
left join (${names}) nm on nm.customer_id = c.customer_id
${scores}
where rc.code is not null or k.advocate_id is not null or c.referred_by_code is not null
order by c.customer_id`))
    out.push(...chunk);
  return out;
}
