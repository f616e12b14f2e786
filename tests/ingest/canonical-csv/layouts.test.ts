import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LAYOUTS_MD_PATH, layoutsMarkdown } from '../../../ingest/canonical-csv/layouts-md.js';
import { CSV_LAYOUTS } from '../../../ingest/canonical-csv/layouts.js';
import { LANDING_TABLE_NAMES, LANDING_TABLES } from '../../../ingest/landing-schema.js';

describe('canonical CSV layouts', () => {
  it.each(LANDING_TABLE_NAMES)('%s fills every landing column exactly once', (table) => {
    const layout = CSV_LAYOUTS[table];
    expect(layout.table).toBe(table);
    expect(layout.columns.map((c) => c.target)).toEqual(LANDING_TABLES[table].map((c) => c.name));
    for (const key of layout.key) expect(layout.columns.find((c) => c.header === key)?.required).toBe(true);
  });

  it('uses landing names as headers except money, which is in major units', () => {
    const renamed = LANDING_TABLE_NAMES.flatMap((t) => CSV_LAYOUTS[t].columns.filter((c) => c.header !== c.target));
    expect(renamed.map((c) => [c.header, c.target, c.kind.type])).toEqual([
      ['gross_amount', 'gross_minor', 'amount'],
      ['discount_amount', 'discount_minor', 'amount'],
      ['tax_amount', 'tax_minor', 'amount'],
      ['refunded_amount', 'refunded_minor', 'amount'],
      ['spend_amount', 'spend_minor', 'amount'],
    ]);
  });

  it('LAYOUTS.md is generated from layouts.ts (regenerate: npx tsx ingest/canonical-csv/layouts-md.ts)', async () => {
    const onDisk = readFileSync(LAYOUTS_MD_PATH, 'utf8');
    expect(onDisk).toBe(await layoutsMarkdown());
    for (const table of LANDING_TABLE_NAMES) {
      expect(onDisk).toContain(`## ${table}\n`);
      for (const c of CSV_LAYOUTS[table].columns) expect(onDisk).toContain(`| \`${c.header}\``);
    }
  });
});
