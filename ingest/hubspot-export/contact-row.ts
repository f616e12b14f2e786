/**
 * The HubSpot contacts export (Contacts -> Export view, CSV) mapped onto `raw.customers`, one row per
 * contact. `customer_id` is the Record ID, the same id the API source lands, so an export and an API run
 * describe the same customers (the later landed row supersedes in stg_customers).
 */
import { crmCustomerRow } from '../crm-export-rows.js';
import { requiredTimeCell, SeenKeys, startRow } from '../export-rows.js';
import { cell, indexColumns, type CsvRecordMapper, type MappedRecord } from '../file-source.js';
import type { Problem } from '../quarantine.js';
import type { HubspotExportSettings } from './config.js';
import { parseWallClock } from './wall-clock.js';

/** Builds the mapper for one export file; throws `FileSourceError` when the Record ID or Create Date column is missing. */
export function hubspotContactsMapper(
  fileName: string,
  header: string[],
  settings: HubspotExportSettings,
): CsvRecordMapper {
  const c = settings.columns;
  const at = indexColumns(fileName, 'HubSpot contacts export', header, {
    recordId: { name: c.recordId, required: true },
    createDate: { name: c.createDate, required: true },
    email: { name: c.email, required: false },
    firstName: { name: c.firstName, required: false },
    lastName: { name: c.lastName, required: false },
    country: { name: c.country, required: false },
    region: { name: c.region ?? '', required: c.region !== undefined },
    referralCode: { name: c.referralCode, required: false },
    referredByCode: { name: c.referredByCode, required: false },
  });
  const seen = new SeenKeys();

  const map = (rowNumber: number, f: readonly string[]): MappedRecord => {
    const get = (k: keyof typeof at) => cell(f, at[k]);
    const id = get('recordId');
    const row = startRow(header, rowNumber, f, `${fileName} row ${rowNumber}${id ? ` (Record ID ${id})` : ''}`);
    if (row.malformed) return row.malformed;
    const problems: Problem[] = [];
    if (id === '') problems.push({ reason: 'missing_value', text: `column ${c.recordId}: missing value` });
    else if (!/^\d+$/.test(id))
      problems.push({
        reason: 'invalid_number',
        text: `column ${c.recordId}: "${id}" is not a HubSpot record id (digits)`,
      });
    const created = requiredTimeCell(
      get('createDate'),
      c.createDate,
      (t) => parseWallClock(t, settings.timeZone),
      problems,
    );
    const first = id === '' ? undefined : seen.repeatOf(id, rowNumber);
    if (first !== undefined)
      problems.push({
        reason: 'duplicate_key',
        text: `column ${c.recordId}: "${id}" repeats the contact of row ${first}`,
      });
    if (problems.length > 0 || created === null) return row.reject(problems);
    return {
      ok: true,
      rowNumber,
      values: crmCustomerRow(
        { customerId: id, programId: settings.programId, createdAt: created, country: get('country') },
        get,
      ),
    };
  };

  return { push: (rowNumber, fields) => [map(rowNumber, fields)], end: () => [] };
}
