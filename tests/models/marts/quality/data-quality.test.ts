import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BATCH_COLUMNS, QUARANTINE_COLUMNS } from '../../../../ingest/landing-schema.js';
import { dataQuality } from '../../../../models/marts/quality/data-quality.js';
import { qualityConfig } from '../../../../models/marts/quality/config-schema.js';
import { MODELS } from '../../../../models/index.js';
import { defineModel } from '../../../../src/models/define-model.js';
import { ModelRegistry } from '../../../../src/models/registry.js';
import { runModels } from '../../../../src/models/runner.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { land, memoryWarehouse, testConfig } from '../../../helpers/landing.js';
import { order, registryWith } from '../fraud/fixture.js';

const CUST = 'canonical-csv:customers.csv';
const ORD = 'canonical-csv:orders.csv';
const at = (s: string) => new Date(s);

describe('data_quality', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await memoryWarehouse();
    const c = (id: string, created_at: string, row: number) => ({
      customer_id: id,
      created_at,
      email: `${id}@example.com`,
      _source: CUST,
      _row_number: row,
    });
    // C2 landed twice (an update): 1 duplicate of 3 rows.
    await land(wh, 'customers', [c('C1', '2025-05-01', 1), c('C2', '2025-05-02', 2), c('C2', '2025-06-01', 3)], 'b-c');
    // O2's customer is unknown: 1 of 2 orders unstitched. The newest event anywhere: 2025-06-10 (the as-of time).
    await land(
      wh,
      'orders',
      [
        { ...order('O1', 'C1', '2025-05-03T00:00:00Z'), _source: ORD },
        { ...order('O2', 'ZZ', '2025-06-10T00:00:00Z'), _source: ORD },
      ],
      'b-o',
    );
    // Touches from a source that writes no batch rows: T2 and T3 are anonymous visitors (2 of 3 unstitched).
    await land(wh, 'touches', [
      {
        touch_id: 'T1',
        anonymous_id: 'a1',
        customer_id: 'C1',
        occurred_at: '2025-06-09T00:00:00Z',
        touch_type: 'visit',
        _source: 'segment',
      },
      {
        touch_id: 'T2',
        anonymous_id: 'a2',
        occurred_at: '2025-06-08T00:00:00Z',
        touch_type: 'visit',
        _source: 'segment',
      },
      {
        touch_id: 'T3',
        anonymous_id: 'a3',
        occurred_at: '2025-06-08T00:00:00Z',
        touch_type: 'visit',
        _source: 'segment',
      },
    ]);
    const batch = (source: string, id: string, table: string, read: number, loaded: number, quarantined: number) => [
      source,
      id,
      table,
      'f.csv',
      read,
      loaded,
      quarantined,
      at('2025-06-11T00:00:00Z'),
      at('2025-06-11T00:00:01Z'),
    ];
    await wh.appendRows('raw', 'batches', BATCH_COLUMNS, [
      batch(CUST, 'b-c', 'customers', 5, 3, 2),
      batch(ORD, 'b-o', 'orders', 2, 2, 0),
      // read 4 but only 2 + 1 accounted for, and no quarantine rows or landed rows
      batch('canonical-csv:email_events.csv', 'b-e', 'email_events', 4, 2, 1),
    ]);
    const quarantine = (reason: string, row: number) => [
      CUST,
      'b-c',
      row,
      at('2025-06-11T00:00:00Z'),
      'customers',
      reason,
      `customers.csv row ${row}: bad`,
      '{}',
    ];
    await wh.appendRows('raw', 'quarantine', QUARANTINE_COLUMNS, [
      quarantine('missing_value', 4),
      quarantine('invalid_timestamp', 5),
    ]);
    await runModels({ wh, config: testConfig(), registry: registryWith(dataQuality), select: ['data_quality'] });
  });
  afterAll(async () => {
    await wh.close();
  });

  const rows = async () => {
    const out = await wh.query<Record<string, unknown>>('select * from data_quality');
    return new Map(out.map((r) => [`${r.source}|${r.target_table}`, r]));
  };

  it('reports rows read/loaded/quarantined, freshness, duplicates and unstitched shares per source', async () => {
    const by = await rows();
    // customers: batches say read 5 = loaded 3 + quarantined 2 (2 quarantine rows, tie -> alphabetical top
    // reason); quarantine share 2/5 = 40% > 5% fail; newest sign-up 2025-06-01 is 9 days = 216 h before the
    // as-of 2025-06-10 (> 168 h fail); duplicate rate 1/3 > 10% fail.
    expect(by.get(`${CUST}|customers`)).toMatchObject({
      rows_read: 5,
      rows_loaded: 3,
      rows_quarantined: 2,
      top_reason: 'invalid_timestamp',
      quarantine_reasons: 'invalid_timestamp 1, missing_value 1',
      freshness_hours: 216,
      duplicate_rate: 1 / 3,
      unstitched_share: null,
      status: 'fail',
    });
    expect(String(by.get(`${CUST}|customers`)!.detail).split('; ')).toEqual([
      'quarantined 40.0% of rows read: invalid_timestamp 1, missing_value 1',
      'newest event 216.0 h behind the data (warn 48.0 h, fail 168.0 h)',
      'duplicate keys 33.33% of rows landed',
    ]);
    // orders: fresh (the newest event), no duplicates, but 1 of 2 orders has an unknown customer: 50% > 5% fail.
    expect(by.get(`${ORD}|orders`)).toMatchObject({
      rows_read: 2,
      rows_loaded: 2,
      rows_quarantined: 0,
      top_reason: null,
      freshness_hours: 0,
      duplicate_rate: 0,
      unstitched_share: 0.5,
      status: 'fail',
      detail: '50.0% of orders stitched to no customer',
    });
    // touches: no batch rows, so read = loaded = the 3 landed rows; 2/3 anonymous > 50% warn; 24 h behind: ok.
    expect(by.get('segment|touches')).toMatchObject({
      rows_read: 3,
      rows_loaded: 3,
      freshness_hours: 24,
      unstitched_share: 2 / 3,
      status: 'warn',
      detail: '66.67% of touches stitched to no customer',
    });
    // A batch whose numbers do not add up, with nothing landed.
    expect(by.get('canonical-csv:email_events.csv|email_events')).toMatchObject({
      rows_read: 4,
      rows_loaded: 2,
      status: 'fail',
      detail: 'batches do not add up: read 4, loaded 2, quarantined 1 (quarantine rows 0); no rows landed',
    });
  });

  it('adds the attribution reconciliation status', async () => {
    const rec = (await rows()).get('attribution|attribution_reconciliation')!;
    expect(rec).toMatchObject({ status: 'ok', detail: "every model credits each day's order revenue exactly" });
    expect(Number(rec.rows_read)).toBeGreaterThan(0);
  });

  it('validates thresholds, naming the key', () => {
    expect(() => qualityConfig({ quality: { duplicateRate: { warn: 0.5, fail: 0.1 } } })).toThrow(
      'config quality.duplicateRate: expected warn <= fail',
    );
  });
});

describe('data_quality: attribution reconciliation that does not add up', () => {
  it('fails with the model-days and the amount off', async () => {
    const wh = await memoryWarehouse();
    try {
      // A stand-in with the contract columns: day 1 reconciles, day 2 misses 250 minor units in one model.
      const standIn = defineModel({
        name: 'attribution_reconciliation',
        grain: 'test stand-in',
        dependsOn: [],
        build: () => `
          select date '2025-01-01' as conversion_date, 'last_touch' as model, 2 as conversions,
            1000 as order_revenue_minor, 1000 as attributed_revenue_minor, 0 as unattributed_revenue_minor,
            0 as difference_minor, 2.0 as credit_sum
          union all
          select date '2025-01-02', 'last_touch', 1, 500, 250, 0, 250, 1.0`,
      });
      const models = [...MODELS.filter((m) => m.name !== standIn.name), standIn, dataQuality];
      const registry = new ModelRegistry(models.filter((m, i) => models.findIndex((x) => x.name === m.name) === i));
      await runModels({ wh, config: testConfig(), registry, select: ['data_quality'] });
      const rows = await wh.query<Record<string, unknown>>(
        `select rows_read, status, detail from data_quality where source = 'attribution'`,
      );
      expect(rows).toEqual([
        {
          rows_read: 2,
          status: 'fail',
          detail:
            '1 model-days where credited revenue differs from order revenue (total 250 minor units); credits - conversions = 0.0',
        },
      ]);
    } finally {
      await wh.close();
    }
  });
});
