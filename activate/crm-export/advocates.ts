/**
 * Writes advocate_scores as an import-ready file: rows streamed from the warehouse (never all in memory), the
 * file written beside its destination and renamed into place when complete, so a failed export leaves no half
 * file. Only customers with an email are exported (every CRM dedupes contacts by it); the result counts the rest.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { RefstackConfig } from '../../src/config.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { activationConfig } from '../../models/marts/activation/config-schema.js';
import { REFERRAL_CODES_TABLE } from '../../models/marts/activation/operational-tables.js';
import { referralLink } from '../codes/generate.js';
import { latestPerKey } from '../../models/staging/latest.js';
import { csvRecord } from './csv.js';
import { CSV_LAYOUTS, genericRecord, type AdvocateExportRow, type ExportFormat } from './formats.js';

export interface AdvocateExportOptions {
  format: ExportFormat;
  out: string;
  /** Only the ready-to-invite segment. */
  readyOnly?: boolean;
}

export interface AdvocateExportResult {
  format: ExportFormat;
  out: string;
  rows: number;
  /** Scored customers left out because they have no email. */
  skippedNoEmail: number;
}

/**
 * The export's select: advocate_scores with email, name, country and the latest code/link assigned in
 * referral_codes (`refstack codes assign`); without one, the source system's code, whose link is then built like
 * activate/codes does (activation.codes.linkBase + ?ref=CODE).
 */
export async function advocateExportSql(wh: Warehouse, config: RefstackConfig, readyOnly: boolean): Promise<string> {
  const d = wh.dialect;
  const a = config.schemas.analytics;
  const t = (name: string) => d.tableRef(a, name);
  for (const name of ['advocate_scores', 'stg_customers'])
    if (!(await wh.tableExists(a, name)))
      throw new Error(`table ${a}.${name} does not exist; run \`refstack run --select advocate_scores\` first`);
  const hasCodes = await wh.tableExists(a, REFERRAL_CODES_TABLE);
  const codes = hasCodes
    ? `select customer_id, program_id, code, link from ${t(REFERRAL_CODES_TABLE)}
  ${d.qualify('row_number() over (partition by customer_id, program_id order by assigned_at desc, code desc) = 1', false)}`
    : `select customer_id, program_id, ${d.cast('null', 'string')} as code, ${d.cast('null', 'string')} as link
  from ${t('stg_customers')} where false`;
  return `
with names as (
  select customer_id, full_name from ${d.tableRef(config.schemas.raw, 'customers')}
  ${latestPerKey(d, 'customer_id')}
),
codes as (
  ${codes}
)
select s.customer_id, c.email_normalized as email, n.full_name, c.country, s.program_id, s.score, s.tier,
  s.ready_to_invite, s.nps_points, s.repeat_points, s.support_points, s.engagement_points, s.tenure_points,
  s.referral_points, coalesce(k.code, c.referral_code) as referral_code, k.link as referral_link, s.scored_at
from ${t('advocate_scores')} s
join ${t('stg_customers')} c on c.customer_id = s.customer_id
left join names n on n.customer_id = s.customer_id
left join codes k on k.customer_id = s.customer_id and k.program_id = s.program_id
${readyOnly ? 'where s.ready_to_invite' : ''}
order by s.score desc, s.customer_id`;
}

const toRow = (r: Record<string, unknown>, linkBase: string): AdvocateExportRow => ({
  customer_id: String(r.customer_id),
  email: (r.email as string | null) ?? null,
  full_name: (r.full_name as string | null) ?? null,
  country: (r.country as string | null) ?? null,
  program_id: String(r.program_id),
  score: Number(r.score),
  tier: String(r.tier),
  ready_to_invite: Boolean(r.ready_to_invite),
  nps_points: Number(r.nps_points),
  repeat_points: Number(r.repeat_points),
  support_points: Number(r.support_points),
  engagement_points: Number(r.engagement_points),
  tenure_points: Number(r.tenure_points),
  referral_points: Number(r.referral_points),
  referral_code: (r.referral_code as string | null) ?? null,
  referral_link:
    (r.referral_link as string | null) ?? (r.referral_code ? referralLink(linkBase, String(r.referral_code)) : null),
  scored_at: r.scored_at == null ? '' : new Date(r.scored_at as string).toISOString(),
});

/** Exports advocate_scores to `options.out` in the chosen format. */
export async function exportAdvocates(
  wh: Warehouse,
  config: RefstackConfig,
  options: AdvocateExportOptions,
): Promise<AdvocateExportResult> {
  const sql = await advocateExportSql(wh, config, options.readyOnly ?? false);
  const linkBase = activationConfig(config).codes.linkBase;
  const tmp = `${options.out}.${process.pid}.partial`;
  const file = createWriteStream(tmp, { encoding: 'utf8' });
  const write = async (s: string) => {
    if (!file.write(s)) await once(file, 'drain');
  };
  let rows = 0;
  let skippedNoEmail = 0;
  try {
    const layout = options.format === 'json' ? undefined : CSV_LAYOUTS[options.format];
    await write(layout ? csvRecord(layout.header) : '[');
    for await (const chunk of wh.stream<Record<string, unknown>>(sql)) {
      for (const raw of chunk) {
        const row = toRow(raw, linkBase);
        if (!row.email) {
          skippedNoEmail++;
          continue;
        }
        if (layout) await write(csvRecord(layout.cells(row)));
        else await write(`${rows === 0 ? '\n' : ',\n'}  ${JSON.stringify(genericRecord(row))}`);
        rows++;
      }
    }
    if (!layout) await write(rows === 0 ? ']\n' : '\n]\n');
    file.end();
    await once(file, 'finish');
    await rename(tmp, options.out);
  } catch (err) {
    file.destroy();
    await rm(tmp, { force: true });
    throw err;
  }
  return { format: options.format, out: options.out, rows, skippedNoEmail };
}
