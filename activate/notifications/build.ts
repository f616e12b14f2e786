/**
 * The notifications outbox. `buildNotifications` adds one row per activation_audiences row whose dedupe key the
 * outbox has not seen, so nobody is sent the same message twice however often it runs; `exportNotifications`
 * writes rows created since a date as CSV or NDJSON for an email platform or CRM workflow and stamps
 * `exported_at` on those exported for the first time.
 */
import { createHash } from 'node:crypto';
import type { RefstackConfig } from '../../src/config.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import {
  ensureNotifications,
  ensureReferralCodes,
  NOTIFICATIONS_COLUMNS,
  NOTIFICATIONS_TABLE,
  REFERRAL_CODES_TABLE,
} from '../../models/marts/activation/operational-tables.js';
import { formatMoney } from '../money.js';

interface AudienceRow {
  dedupe_key: string;
  audience: string;
  template_key: string;
  recipient_id: string;
  recipient_role: string;
  program_id: string;
  advocate_id: string | null;
  trigger_type: string;
  trigger_id: string;
  triggered_at: Date;
  reward_minor: number | null;
  currency: string | null;
  tier: string | null;
  email: string | null;
  full_name: string | null;
  referral_code: string | null;
  link: string | null;
  links: string | null;
  /** The recipient's code and link in referral_codes now (the mart may predate `codes assign`). */
  rc_code: string | null;
  rc_link: string | null;
  referrals: number;
  next_milestone: number | null;
}

export interface BuildResult {
  /** Rows in activation_audiences. */
  candidates: number;
  /** New rows added to the outbox. */
  added: number;
  /** Added rows per template key. */
  byTemplate: Record<string, number>;
}

/** The variables a template can use; money also in words (`reward`: "10.00 USD"). */
function variables(r: AudienceRow): Record<string, unknown> {
  return {
    name: r.full_name,
    email: r.email,
    recipient_role: r.recipient_role,
    advocate_id: r.advocate_id,
    // Code, link and links all from the same assignment, even when the mart ran before `codes assign`.
    referral_code: r.referral_code ?? r.rc_code,
    link: r.link ?? r.rc_link,
    links: r.links === null ? null : (JSON.parse(r.links) as unknown),
    trigger: r.trigger_type,
    reward_minor: r.reward_minor,
    currency: r.currency,
    reward: r.reward_minor !== null && r.currency ? formatMoney(r.reward_minor, r.currency) : null,
    tier: r.tier,
    referrals: r.referrals,
    next_milestone: r.next_milestone,
  };
}

export async function buildNotifications(
  wh: Warehouse,
  config: RefstackConfig,
  options: { now?: Date } = {},
): Promise<BuildResult> {
  const d = wh.dialect;
  const schema = config.schemas.analytics;
  if (!(await wh.tableExists(schema, 'activation_audiences')))
    throw new Error(`notifications build needs ${schema}.activation_audiences: run \`refstack run\` first`);
  await ensureNotifications(wh, schema);
  await ensureReferralCodes(wh, schema);
  const outbox = d.tableRef(schema, NOTIFICATIONS_TABLE);
  const now = options.now ?? new Date();
  return wh.transaction(async () => {
    const [count] = await wh.query<{ n: number }>(
      `select count(*) as n from ${d.tableRef(schema, 'activation_audiences')}`,
    );
    const fresh: AudienceRow[] = [];
    for await (const chunk of wh.stream<AudienceRow>(`
      select a.*, rc.links, rc.code as rc_code, rc.link as rc_link from ${d.tableRef(schema, 'activation_audiences')} a
      left join ${d.tableRef(schema, REFERRAL_CODES_TABLE)} rc
        on rc.customer_id = a.recipient_id and rc.program_id = a.program_id
      where not exists (select 1 from ${outbox} n where n.dedupe_key = a.dedupe_key)
      order by a.triggered_at, a.dedupe_key`))
      fresh.push(...chunk);
    const byTemplate: Record<string, number> = {};
    const seen = new Set<string>();
    const rows: unknown[][] = [];
    for (const r of fresh) {
      if (seen.has(r.dedupe_key)) continue;
      seen.add(r.dedupe_key);
      byTemplate[r.template_key] = (byTemplate[r.template_key] ?? 0) + 1;
      rows.push([
        // A hash of the dedupe key: unique because the key is, and the same in every export.
        createHash('sha256').update(r.dedupe_key).digest('hex').slice(0, 32),
        r.dedupe_key,
        r.recipient_id,
        r.email,
        r.program_id,
        r.audience,
        r.template_key,
        JSON.stringify(variables(r)),
        r.triggered_at,
        now,
        null,
      ]);
    }
    await wh.appendRows(
      schema,
      NOTIFICATIONS_TABLE,
      NOTIFICATIONS_COLUMNS.slice(1),
      rows.map((r) => r.slice(1)),
    );
    // The id is a hash of the dedupe key: unique because the key is, and the same on every engine.
    await wh.exec(`update ${outbox} set notification_id = ${d.hashId(['dedupe_key'])} where notification_id is null`);
    return { candidates: count?.n ?? 0, added: rows.length, byTemplate };
  });
}
