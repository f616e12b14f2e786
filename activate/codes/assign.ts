/**
 * `assignCodes`: gives every eligible advocate without a code one, and leaves every assigned code as it is.
 * Eligible = a stg_customers row with at least `minPaidOrders` stg_orders in `eligibleOrderStatuses`, or one who
 * already referred someone (a non-self stg_referrals row as advocate): their code is live in the wild, so leaving
 * them out would blank it in CRM sync and keep them from every invitation and milestone nudge. A new code
 * is checked against every code in `referral_codes` (all programs, all time) and every referral code ever landed
 * in raw.customers; on a collision the next attempt's candidate is drawn, up to MAX_ATTEMPTS.
 */
import type { RefstackConfig } from '../../src/config.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { activationConfig } from '../../models/marts/activation/config-schema.js';
import { candidateCode, referralLink, shareLinks } from './generate.js';
import {
  ensureReferralCodes,
  REFERRAL_CODES_COLUMNS,
  REFERRAL_CODES_TABLE,
} from '../../models/marts/activation/operational-tables.js';

/** Candidates drawn per advocate before giving up: at 8 symbols and 1M codes a draw collides with p < 1e-6. */
export const MAX_ATTEMPTS = 20;

export interface AssignOptions {
  /** Only this program's advocates. */
  programId?: string;
  /** HMAC secret (REFSTACK_CODE_SECRET); without it candidates come from the CSPRNG. */
  secret?: string;
  /** The assignment time written to `assigned_at`. @default new Date() */
  now?: Date;
  /** Draws a candidate; tests inject one that collides. @default candidateCode */
  draw?: typeof candidateCode;
}

export interface AssignResult {
  eligible: number;
  alreadyAssigned: number;
  generated: number;
  adopted: number;
  /** Candidates rejected because the code was taken. */
  collisions: number;
}

interface Eligible {
  customer_id: string;
  program_id: string;
  source_code: string | null;
  has_code: boolean;
}

export async function assignCodes(
  wh: Warehouse,
  config: RefstackConfig,
  options: AssignOptions = {},
): Promise<AssignResult> {
  const cfg = activationConfig(config).codes;
  const d = wh.dialect;
  const schema = config.schemas.analytics;
  const draw = options.draw ?? candidateCode;
  const now = options.now ?? new Date();
  if (options.programId !== undefined && !config.programs.some((p) => p.id === options.programId))
    throw new Error(
      `codes assign --program: unknown program "${options.programId}" (config programs: ${config.programs.map((p) => p.id).join(', ')})`,
    );
  for (const t of ['stg_customers', 'stg_orders'])
    if (!(await wh.tableExists(schema, t)))
      throw new Error(`codes assign needs ${schema}.${t}: run \`refstack run\` first`);
  await ensureReferralCodes(wh, schema);
  const codesRef = d.tableRef(schema, REFERRAL_CODES_TABLE);
  const statuses = cfg.eligibleOrderStatuses.map((s) => d.stringLiteral(s)).join(', ');
  const programFilter = options.programId ? `and c.program_id = ${d.param('program')}` : '';
  const referralsRef = d.tableRef(schema, 'stg_referrals');
  const referred = (await wh.tableExists(schema, 'stg_referrals'))
    ? `or exists (select 1 from ${referralsRef} r where r.advocate_id = c.customer_id and not r.is_self_referral)`
    : '';

  // Every code that must not be handed out again: assigned ones and every code the source ever carried.
  const taken = new Set<string>();
  const ownerOfSourceCode = new Map<string, string>();
  for await (const chunk of wh.stream<{ code: string }>(`select code from ${codesRef}`))
    for (const r of chunk) taken.add(r.code);
  const rawCustomers = d.tableRef(config.schemas.raw, 'customers');
  for await (const chunk of wh.stream<{ code: string }>(
    `select distinct upper(trim(referral_code)) as code from ${rawCustomers} where trim(referral_code) <> ''`,
  ))
    for (const r of chunk) ownerOfSourceCode.set(r.code, '');

  const eligible: Eligible[] = [];
  for await (const chunk of wh.stream<Eligible>(
    `
with paid as (
  select customer_id, count(*) as orders from ${d.tableRef(schema, 'stg_orders')}
  where status in (${statuses}) group by customer_id
)
select c.customer_id, c.program_id, c.referral_code as source_code,
  exists (select 1 from ${codesRef} r where r.customer_id = c.customer_id and r.program_id = c.program_id) as has_code
from ${d.tableRef(schema, 'stg_customers')} c
left join paid p on p.customer_id = c.customer_id
where (coalesce(p.orders, 0) >= ${cfg.minPaidOrders} ${referred}) ${programFilter}
order by c.program_id, c.customer_id`,
    options.programId ? { program: options.programId } : undefined,
  ))
    eligible.push(...chunk);

  const result: AssignResult = {
    eligible: eligible.length,
    alreadyAssigned: 0,
    generated: 0,
    adopted: 0,
    collisions: 0,
  };
  const linkOptions = { linkBase: cfg.linkBase, utmMedium: cfg.utmMedium, channels: cfg.channels };
  function* rows(): Generator<unknown[]> {
    for (const e of eligible) {
      if (e.has_code) {
        result.alreadyAssigned++;
        continue;
      }
      let code: string | undefined;
      let origin = 'generated';
      let attempts = 0;
      if (cfg.adoptSourceCodes && e.source_code && !taken.has(e.source_code)) {
        code = e.source_code;
        origin = 'adopted';
      } else {
        while (code === undefined) {
          if (attempts >= MAX_ATTEMPTS)
            throw new Error(
              `codes assign: customer ${e.customer_id} (program ${e.program_id}): ${MAX_ATTEMPTS} candidate codes of ` +
                `${cfg.length} symbols were all taken; raise activation.codes.length`,
            );
          const candidate = draw(options.secret, e.program_id, e.customer_id, attempts, cfg.length);
          attempts++;
          if (taken.has(candidate) || ownerOfSourceCode.has(candidate)) result.collisions++;
          else code = candidate;
        }
      }
      taken.add(code);
      if (origin === 'adopted') result.adopted++;
      else result.generated++;
      const links = shareLinks(code, e.program_id, linkOptions);
      yield [
        e.customer_id,
        e.program_id,
        code,
        referralLink(cfg.linkBase, code),
        JSON.stringify(links),
        origin,
        Math.max(attempts, 1),
        now,
      ];
    }
  }
  await wh.transaction(() => wh.appendRows(schema, REFERRAL_CODES_TABLE, REFERRAL_CODES_COLUMNS, rows()));
  return result;
}
