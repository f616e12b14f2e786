/**
 * Salesforce: sObject Collections upsert by external id (`PATCH /services/data/vXX.X/composite/sobjects/Contact/
 * <externalIdField>`, at most 200 records, `allOrNone: false`). The answer is 200 with one UpsertResult per record in
 * request order (`{ id, success, created, errors: [{ statusCode, message, fields }] }`); failed records are recorded
 * as errors. Custom fields (create them first): the external id (default Refstack_Id__c = customer id),
 * Refstack_Advocate_Score__c, Refstack_Tier__c, Refstack_Referral_Code__c, Refstack_Referrals__c,
 * Refstack_Referred_By__c. LastName (required to create a Contact) is sent only when raw.customers has a name.
 */
import type { HttpClient } from '../../src/http/index.js';
import type { CrmPerson } from './crm-records.js';
import type { RecordOutcome, SyncRecord, SyncTarget } from './run-sync.js';

export const SALESFORCE_TARGET = 'salesforce_contacts';

export type SalesforceFields = Record<string, string | number | null>;

export function salesforceRecords(people: CrmPerson[]): SyncRecord<SalesforceFields>[] {
  return people.map((p) => {
    const lastName = p.full_name?.trim().split(/\s+/).pop();
    return {
      objectId: p.customer_id,
      payload: {
        ...(p.email ? { Email: p.email } : {}),
        ...(lastName ? { LastName: lastName } : {}),
        Refstack_Advocate_Score__c: p.score,
        Refstack_Tier__c: p.tier,
        Refstack_Referral_Code__c: p.referral_code,
        Refstack_Referrals__c: p.referrals,
        Refstack_Referred_By__c: p.referred_by,
      },
    };
  });
}

interface UpsertResult {
  id?: string | null;
  success?: boolean;
  created?: boolean;
  errors?: { statusCode?: string; message?: string; fields?: string[] }[];
}

export function salesforceTarget(
  http: HttpClient,
  options: { apiVersion: string; externalIdField: string; batchSize: number },
): SyncTarget<SalesforceFields> {
  const path = `/services/data/v${options.apiVersion}/composite/sobjects/Contact/${options.externalIdField}`;
  return {
    name: SALESFORCE_TARGET,
    batchSize: options.batchSize,
    async sendBatch(batch: SyncRecord<SalesforceFields>[]): Promise<RecordOutcome[]> {
      const { data } = await http.json<UpsertResult[]>({
        method: 'PATCH',
        path,
        json: {
          allOrNone: false,
          records: batch.map((r) => ({
            attributes: { type: 'Contact' },
            [options.externalIdField]: r.objectId,
            ...r.payload,
          })),
        },
      });
      if (!Array.isArray(data) || data.length !== batch.length)
        throw new Error(`expected ${batch.length} upsert results, got ${JSON.stringify(data).slice(0, 120)}`);
      return batch.map((r, i) => {
        const res = data[i]!;
        if (res.success)
          return {
            objectId: r.objectId,
            ok: true,
            summary: `${res.created ? 'created' : 'updated'} ${res.id ?? ''}`.trim(),
            remoteId: res.id ?? null,
          };
        const why = (res.errors ?? []).map((e) => `${e.statusCode ?? 'ERROR'}: ${e.message ?? ''}`).join('; ');
        return { objectId: r.objectId, ok: false, summary: why || 'failed without an error message' };
      });
    },
  };
}
