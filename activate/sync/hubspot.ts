/**
 * HubSpot: CRM v3 contacts batch upsert (`POST /crm/v3/objects/contacts/batch/upsert`, at most 100 inputs, each
 * `{ idProperty: 'email', id, properties }`). The answer is 200 (`status: COMPLETE`, `results`) or 207 with an
 * `errors` array whose `context` names the failing ids; those records are recorded as errors, the rest as sent.
 * Custom contact properties (create them in HubSpot first): refstack_advocate_score, refstack_tier,
 * refstack_referral_code, refstack_referrals, refstack_referred_by. An empty string clears a property.
 */
import type { HttpClient } from '../../src/http/index.js';
import type { CrmPerson } from './crm-records.js';
import type { RecordOutcome, SyncRecord, SyncTarget } from './run-sync.js';

export const HUBSPOT_TARGET = 'hubspot_contacts';
export const HUBSPOT_UPSERT_PATH = '/crm/v3/objects/contacts/batch/upsert';

export type HubspotProperties = Record<
  | 'refstack_advocate_score'
  | 'refstack_tier'
  | 'refstack_referral_code'
  | 'refstack_referrals'
  | 'refstack_referred_by',
  string
>;

/**
 * People with an email become upsert records keyed by the lower-cased email; the others cannot be matched. One
 * record per email: HubSpot refuses a batch that names an id twice, and two records under one id would each look
 * changed to `runSync` on every run. When customers share an email (one person under two customer ids), the one
 * with a referral code wins, then the one with more referrals, then the smallest customer id.
 */
export function hubspotRecords(people: CrmPerson[]): SyncRecord<HubspotProperties>[] {
  const byEmail = new Map<string, CrmPerson>();
  for (const p of people) {
    if (!p.email) continue;
    const key = p.email.toLowerCase();
    const held = byEmail.get(key);
    if (!held || prefer(p, held)) byEmail.set(key, p);
  }
  return [...byEmail.values()].map((p) => ({
    objectId: p.email!.toLowerCase(),
    payload: {
      refstack_advocate_score: p.score === null ? '' : String(p.score),
      refstack_tier: p.tier ?? '',
      refstack_referral_code: p.referral_code ?? '',
      refstack_referrals: String(p.referrals),
      refstack_referred_by: p.referred_by ?? '',
    },
  }));
}

/** True when `a` should be the contact of an email rather than `b` (see `hubspotRecords`). */
function prefer(a: CrmPerson, b: CrmPerson): boolean {
  if ((a.referral_code !== null) !== (b.referral_code !== null)) return a.referral_code !== null;
  if (a.referrals !== b.referrals) return a.referrals > b.referrals;
  return a.customer_id < b.customer_id;
}

interface BatchResponse {
  status?: string;
  results?: { id?: string; properties?: Record<string, unknown> }[];
  errors?: { status?: string; category?: string; message?: string; context?: Record<string, unknown> }[];
}

/** Ids an error names: every string in its context arrays (HubSpot puts e.g. `{ ids: ['a@x.com'] }` there). */
function namedIds(error: NonNullable<BatchResponse['errors']>[number]): string[] {
  return Object.values(error.context ?? {})
    .flatMap((v) => (Array.isArray(v) ? v : [v]))
    .filter((v): v is string => typeof v === 'string')
    .map((v) => v.toLowerCase());
}

export function hubspotTarget(http: HttpClient, batchSize: number): SyncTarget<HubspotProperties> {
  return {
    name: HUBSPOT_TARGET,
    batchSize,
    async sendBatch(batch: SyncRecord<HubspotProperties>[]): Promise<RecordOutcome[]> {
      const { data } = await http.json<BatchResponse>({
        method: 'POST',
        path: HUBSPOT_UPSERT_PATH,
        json: { inputs: batch.map((r) => ({ idProperty: 'email', id: r.objectId, properties: r.payload })) },
      });
      const remote = new Map<string, string>();
      for (const r of data.results ?? []) {
        const email = r.properties?.['email'];
        if (typeof email === 'string' && r.id) remote.set(email.toLowerCase(), r.id);
      }
      const failed = new Map<string, string>();
      for (const e of data.errors ?? []) {
        const text = `${e.category ?? 'ERROR'}: ${e.message ?? 'no message'}`;
        const ids = namedIds(e).filter((id) => batch.some((r) => r.objectId === id));
        // An error that names no record fails every record the results do not confirm.
        const hit = ids.length > 0 ? ids : batch.map((r) => r.objectId).filter((id) => !remote.has(id));
        for (const id of hit) failed.set(id, text);
      }
      return batch.map((r) =>
        failed.has(r.objectId)
          ? { objectId: r.objectId, ok: false, summary: failed.get(r.objectId)! }
          : {
              objectId: r.objectId,
              ok: true,
              summary: `upserted${remote.has(r.objectId) ? ` contact ${remote.get(r.objectId)}` : ''}`,
              remoteId: remote.get(r.objectId) ?? null,
            },
      );
    },
  };
}
