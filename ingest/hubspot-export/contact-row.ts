/**
 * The HubSpot contacts export (Contacts -> Export view, CSV) mapped onto `raw.customers`, one row per
 * contact. `customer_id` is the Record ID, the same id the API source lands, so an export and an API run
 * describe the same customers (the later landed row supersedes in stg_customers).
 */
import { cell, indexColumns, rowRecord, type CsvRecordMapper, type MappedRecord } from '../file-source.js';
import { LANDING_TABLES } from '../landing-schema.js';
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
  const seen = new Map<string, number>();

  const map = (rowNumber: number, f: readonly string[]): MappedRecord => {
    const get = (k: keyof typeof at) => cell(f, at[k]);
    const id = get('recordId');
    const where = `${fileName} row ${rowNumber}${id ? ` (Record ID ${id})` : ''}`;
    const reject = (problems: Problem[]): MappedRecord => ({
      ok: false,
      rowNumber,
      where,
      problems,
      record: rowRecord(header, f),
    });
    if (f.length !== header.length)
      return reject([
        { reason: 'malformed_row', text: `has ${f.length} fields, expected ${header.length} (as many as the header)` },
      ]);
    const problems: Problem[] = [];
    if (id === '') problems.push({ reason: 'missing_value', text: `column ${c.recordId}: missing value` });
    else if (!/^\d+$/.test(id))
      problems.push({
        reason: 'invalid_number',
        text: `column ${c.recordId}: "${id}" is not a HubSpot record id (digits)`,
      });
    const createText = get('createDate');
    const created = createText === '' ? null : parseWallClock(createText, settings.timeZone);
    if (created === null) problems.push({ reason: 'missing_value', text: `column ${c.createDate}: missing value` });
    else if (!created.ok)
      problems.push({ reason: created.reason, text: `column ${c.createDate}: "${createText}" ${created.problem}` });
    if (id !== '') {
      const first = seen.get(id);
      if (first !== undefined)
        problems.push({
          reason: 'duplicate_key',
          text: `column ${c.recordId}: "${id}" repeats the contact of row ${first}`,
        });
      else seen.set(id, rowNumber);
    }
    if (problems.length > 0 || created === null || !created.ok) return reject(problems);

    const country = get('country');
    const name = [get('firstName'), get('lastName')].filter((s) => s !== '').join(' ');
    const byName: Record<string, unknown> = {
      customer_id: id,
      program_id: settings.programId,
      email: get('email') || null,
      full_name: name || null,
      created_at: created.value,
      country: /^[A-Za-z]{2}$/.test(country) ? country.toUpperCase() : null,
      region: get('region') || null,
      referral_code: get('referralCode') || null,
      referred_by_code: get('referredByCode') || null,
    };
    return { ok: true, rowNumber, values: LANDING_TABLES.customers.map((col) => byName[col.name] ?? null) };
  };

  return { push: (rowNumber, fields) => [map(rowNumber, fields)], end: () => [] };
}
