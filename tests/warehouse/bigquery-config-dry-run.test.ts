import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../models/index.js';
import { parseConfig } from '../../src/config.js';
import { dryRunModels } from '../../src/models/dry-run.js';
import { BigQueryWarehouse } from '../../src/warehouse/bigquery.js';
import { startFakeBigQuery, type FakeBigQuery } from '../helpers/fake-bigquery.js';

beforeAll(() => {
  process.env['METADATA_SERVER_DETECTION'] = 'none';
});

let fake: FakeBigQuery | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('BigQuery config', () => {
  it('takes the datasets from the warehouse section and defaults the cost guard and labels', () => {
    const config = parseConfig({
      warehouse: { engine: 'bigquery', projectId: 'acme-analytics', dataset: 'referrals' },
    });
    expect(config.schemas).toEqual({ raw: 'referrals_raw', analytics: 'referrals' });
    expect(config.warehouse).toMatchObject({
      engine: 'bigquery',
      location: 'US',
      maximumBytesBilled: 100_000_000_000,
      labels: { app: 'refstack' },
    });
  });

  it('names the bad key and value', () => {
    expect(() => parseConfig({ warehouse: { engine: 'bigquery', projectId: 'Acme Analytics' } })).toThrow(
      'warehouse.projectId: expected a Google Cloud project id, got "Acme Analytics"',
    );
    expect(() =>
      parseConfig({ warehouse: { engine: 'bigquery', projectId: 'acme-analytics' }, schemas: { analytics: 'x' } }),
    ).toThrow(/schemas: on BigQuery the datasets come from warehouse.dataset/);
  });
});

describe('dry run on BigQuery', () => {
  it('prices each model through dry-run jobs and runs nothing', async () => {
    fake = await startFakeBigQuery((sql) => ({
      totalBytesProcessed: sql.includes('`referrals_raw`.`customers`') ? 5e9 : 1e6,
    }));
    const config = parseConfig({
      warehouse: { engine: 'bigquery', projectId: 'acme-analytics', dataset: 'referrals' },
    });
    const wh = await BigQueryWarehouse.open({ projectId: 'acme-analytics', apiEndpoint: fake.url, accessToken: 't' });
    const prices = await dryRunModels({ wh, config, registry: defaultRegistry(), select: ['stg_customers'] });
    expect(prices.map((p) => p.model)).toEqual(['stg_identity_map', 'stg_customers']);
    expect(prices.every((p) => p.error === undefined && p.statements > 0)).toBe(true);
    // Every job sent was a dry run: nothing was created or scanned for real.
    expect(fake.jobs.length).toBeGreaterThan(0);
    expect(fake.jobs.every((j) => j.configuration['dryRun'] === true)).toBe(true);
    const customers = prices.find((p) => p.model === 'stg_customers')!;
    expect(customers.bytes).toBeGreaterThanOrEqual(5e9);
  });
});
