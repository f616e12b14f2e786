import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportAdvocates } from '../../../activate/crm-export/advocates.js';
import { HUBSPOT_LAYOUT, SALESFORCE_LAYOUT, GENERIC_LAYOUT } from '../../../activate/crm-export/formats.js';
import { advocateScores } from '../../../models/marts/advocates/advocate-scores.js';
import { REFERRAL_CODES_COLUMNS, ensureReferralCodes } from '../../../models/marts/activation/operational-tables.js';
import { runModels } from '../../../src/models/runner.js';
import { registryWith } from '../../models/marts/fraud/fixture.js';
import type { Warehouse } from '../../../src/warehouse/warehouse.js';
import { land, memoryWarehouse, testConfig } from '../../helpers/landing.js';

const config = testConfig({ advocates: { asOf: '2026-01-01T00:00:00Z' } });
const NAMES: Record<string, string | null> = {
  C1: 'Smith, Jo',
  C2: 'Ann "Nancy" Lee',
  C3: 'Line\nBreak Person',
  C4: 'Zoë Ørsted-山田',
  C5: 'Björn, "the, quoted"\r\nÅberg',
  C6: null,
};
const strict = (text: string) =>
  parse(text, { relax_quotes: false, relax_column_count: false, skip_empty_lines: false }) as string[][];

describe('exportAdvocates', () => {
  let wh: Warehouse;
  const dir = mkdtempSync(join(tmpdir(), 'refstack-crm-'));
  beforeAll(async () => {
    wh = await memoryWarehouse();
    await land(wh, 'customers', [
      ...Object.entries(NAMES).map(([id, full_name], i) => ({
        customer_id: id,
        created_at: `2025-0${i + 1}-01T00:00:00Z`,
        email: `${id.toLowerCase()}@example.com`,
        full_name,
        country: 'DE',
        referral_code: `CODE${id}`,
      })),
      // no email: left out of every file and counted
      { customer_id: 'C7', created_at: '2025-01-01T00:00:00Z', full_name: 'No Mail', referral_code: 'CODEC7' },
    ]);
    await runModels({
      wh,
      config,
      registry: registryWith(advocateScores),
      select: ['advocate_scores'],
    });
    await ensureReferralCodes(wh, 'main');
    await wh.appendRows('main', 'referral_codes', REFERRAL_CODES_COLUMNS, [
      ['C1', 'friends', 'OLD1', 'https://shop.example/r?ref=OLD1', '{}', 'generated', 1, new Date('2025-01-01')],
      ['C1', 'friends', 'NEW1', 'https://shop.example/r?ref=NEW1', '{}', 'generated', 1, new Date('2025-06-01')],
    ]);
  });
  afterAll(async () => {
    await wh.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const [format, layout] of [
    ['hubspot', HUBSPOT_LAYOUT],
    ['salesforce', SALESFORCE_LAYOUT],
    ['csv', GENERIC_LAYOUT],
  ] as const) {
    it(`${format}: a valid CSV with the vendor headers and every row`, async () => {
      const out = join(dir, `${format}.csv`);
      const result = await exportAdvocates(wh, config, { format, out });
      expect(result).toMatchObject({ rows: 6, skippedNoEmail: 1 });
      const text = readFileSync(out, 'utf8');
      const [header, ...rows] = strict(text);
      expect(header).toEqual([...layout.header]);
      expect(rows.length).toBe(6);
      const col = (name: string) => header!.indexOf(name);
      const byId = new Map(rows.map((r) => [r[col(format === 'csv' ? 'customer_id' : 'Refstack Customer ID')], r]));
      expect([...byId.keys()].sort()).toEqual(['C1', 'C2', 'C3', 'C4', 'C5', 'C6']);
      const last = format === 'csv' ? 'last_name' : 'Last Name';
      const first = format === 'csv' ? 'first_name' : 'First Name';
      expect(byId.get('C1')![col(first)]).toBe('Smith,');
      expect(byId.get('C2')![col(first)]).toBe('Ann "Nancy"');
      expect(byId.get('C4')![col(last)]).toBe('Ørsted-山田');
      expect(byId.get('C5')![col(first)]).toBe('Björn, "the, quoted"');
      // Salesforce requires a last name; HubSpot and the generic file leave it empty.
      expect(byId.get('C6')![col(last)]).toBe(format === 'salesforce' ? '[not provided]' : '');
      const code = format === 'csv' ? 'referral_code' : 'Referral Code';
      const link = format === 'csv' ? 'referral_link' : 'Referral Link';
      // The latest assigned code and link; without one, the source system's code with a link built on
      // activation.codes.linkBase (default https://example.com/).
      expect([byId.get('C1')![col(code)], byId.get('C1')![col(link)]]).toEqual([
        'NEW1',
        'https://shop.example/r?ref=NEW1',
      ]);
      expect([byId.get('C2')![col(code)], byId.get('C2')![col(link)]]).toEqual([
        'CODEC2',
        'https://example.com/?ref=CODEC2',
      ]);
      if (format === 'csv') {
        expect(byId.get('C3')![col('full_name')]).toBe('Line\nBreak Person');
        expect(byId.get('C5')![col('full_name')]).toBe('Björn, "the, quoted"\r\nÅberg');
      }
      expect(existsSync(`${out}.${process.pid}.partial`)).toBe(false);
    });
  }

  it('json: an array of records with numbers as numbers', async () => {
    const out = join(dir, 'advocates.json');
    await exportAdvocates(wh, config, { format: 'json', out });
    const rows = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>[];
    expect(rows.length).toBe(6);
    const c5 = rows.find((r) => r.customer_id === 'C5')!;
    expect(c5.full_name).toBe('Björn, "the, quoted"\r\nÅberg');
    expect(typeof c5.score).toBe('number');
    expect(typeof c5.ready_to_invite).toBe('boolean');
  });

  it('--ready-only on data with nobody ready writes a header-only file', async () => {
    const out = join(dir, 'ready.csv');
    // tenure only (no orders, surveys or referrals): every score is at most 10, below the default 60.
    const result = await exportAdvocates(wh, config, { format: 'hubspot', out, readyOnly: true });
    expect(result.rows).toBe(0);
    expect(strict(readFileSync(out, 'utf8'))).toEqual([[...HUBSPOT_LAYOUT.header]]);
  });
});
