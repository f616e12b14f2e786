import { describe, expect, it } from 'vitest';
import { QUARANTINE_COLUMNS } from '../../ingest/landing-schema.js';
import { quarantineRow, type Lineage } from '../../ingest/quarantine.js';

describe('quarantineRow', () => {
  const lineage: Lineage = {
    source: 'canonical-csv:orders.csv',
    batchId: 'b-1',
    loadedAt: new Date('2025-06-01T00:00:00Z'),
  };

  it('takes the first reason and lists every problem', () => {
    const row = quarantineRow(
      lineage,
      3,
      'orders',
      'orders.csv row 3',
      [
        { reason: 'negative_amount', text: 'column gross_amount: "-12.00" is negative' },
        { reason: 'invalid_enum', text: 'column status: "lost" is not one of paid, refunded' },
      ],
      { gross_amount: '-12.00', status: 'lost' },
    );
    expect(Object.fromEntries(QUARANTINE_COLUMNS.map((c, i) => [c.name, row[i]]))).toEqual({
      _source: 'canonical-csv:orders.csv',
      _batch_id: 'b-1',
      _row_number: 3,
      _loaded_at: lineage.loadedAt,
      target_table: 'orders',
      reason_code: 'negative_amount',
      message:
        'orders.csv row 3: column gross_amount: "-12.00" is negative; column status: "lost" is not one of paid, refunded',
      record: '{"gross_amount":"-12.00","status":"lost"}',
    });
  });

  it('refuses a row with no problem', () => {
    expect(() => quarantineRow(lineage, 1, 'orders', 'orders.csv row 1', [], {})).toThrow(
      'orders.csv row 1: a quarantined row needs at least one problem',
    );
  });
});
