import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, configHash, loadConfig, parseConfig } from '../src/config.js';

function problemsOf(raw: unknown): string[] {
  try {
    parseConfig(raw);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it('fills every default from an empty object', () => {
    const config = parseConfig({});
    expect(config.warehouse).toEqual({ engine: 'duckdb', path: '.refstack/warehouse.duckdb' });
    expect(config.schemas).toEqual({ raw: 'raw', analytics: 'main' });
    expect(config.reportingCurrency).toBe('USD');
    expect(config.programs).toEqual([{ id: 'default', name: 'Refer a friend', kind: 'customer_referral' }]);
    expect(config.demo.customers).toBe(20_000);
  });

  it('names the key path and the bad value, one line per problem', () => {
    const problems = problemsOf({
      rewards: {
        ruleSets: [
          {
            id: 'cash',
            version: 1,
            effectiveFrom: '2025-01-01',
            programIds: ['default'],
            qualifyingEvent: { type: 'purchase' },
            advocateReward: { type: 'fixed', amountMinor: 1000, currency: 'USD' },
            tiers: [
              { name: 'Bronze', threshold: 1 },
              { name: 'Silver', threshold: -3 },
            ],
          },
        ],
      },
    });
    expect(problems).toContain('rewards.ruleSets[0].tiers[1].threshold: expected a positive integer, got -3');
  });

  it('reports every problem, not just the first', () => {
    const problems = problemsOf({
      reportingCurrency: 'usd',
      demo: { customers: 2.5, start: '2025-02-30' },
      programs: [
        { id: 'a', name: 'A' },
        { id: 'a', name: 'B' },
      ],
      warehouse: { engine: 'postgres' },
      surprise: true,
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'reportingCurrency: expected an ISO 4217 code like "USD", got "usd"',
        'demo.customers: expected a positive integer, got 2.5',
        'demo.start: expected a real calendar date YYYY-MM-DD, got "2025-02-30"',
        'programs[1].id: duplicate program id "a", got "a"',
        'warehouse.engine: expected a supported engine ("duckdb"), got "postgres"',
        'surprise: unknown key',
      ]),
    );
    expect(problems).toHaveLength(6);
  });

  it('rejects identifiers that would be spliced into SQL', () => {
    expect(problemsOf({ schemas: { raw: 'raw; drop table x' } })).toEqual([
      'schemas.raw: expected an identifier (letters, digits, _), got "raw; drop table x"',
    ]);
  });

  it('keeps exchange rates as exact decimal strings and rejects floats', () => {
    expect(parseConfig({ fxRates: { EUR: '1.0834' } }).fxRates).toEqual({ EUR: '1.0834' });
    expect(problemsOf({ fxRates: { EUR: 1.08 } })).toEqual([
      'fxRates.EUR: expected a positive decimal as a string, like "1.25", got 1.08',
    ]);
    expect(problemsOf({ fxRates: { USD: '1' } })).toEqual([
      'fxRates.USD: the reporting currency needs no rate, got "1"',
    ]);
  });

  it('requires increasing tier thresholds', () => {
    expect(
      problemsOf({
        rewards: {
          ruleSets: [
            {
              id: 'cash',
              version: 1,
              effectiveFrom: '2025-01-01',
              programIds: ['default'],
              qualifyingEvent: { type: 'purchase' },
              advocateReward: { type: 'fixed', amountMinor: 1000, currency: 'USD' },
              tiers: [
                { name: 'A', threshold: 5 },
                { name: 'B', threshold: 5 },
              ],
            },
          ],
        },
      }),
    ).toEqual(["rewards.ruleSets[0].tiers[1].threshold: expected a threshold above the previous tier's 5, got 5"]);
  });

  it('loads .json and .ts files and reports the file on errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'refstack-config-'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ reportingCurrency: 'EUR', fxRates: { USD: '0.92' } }));
    expect((await loadConfig('a.json', dir)).config.reportingCurrency).toBe('EUR');

    writeFileSync(join(dir, 'b.ts'), `const n: number = -1;\nexport default { demo: { seed: n } };\n`);
    await expect(loadConfig('b.ts', dir)).rejects.toThrow('demo.seed: expected a non-negative integer, got -1');

    writeFileSync(join(dir, 'c.json'), '{ not json');
    await expect(loadConfig('c.json', dir)).rejects.toThrow(/not valid JSON/);
    await expect(loadConfig('missing.json', dir)).rejects.toThrow(/config file not found/);
    await expect(loadConfig(undefined, dir)).resolves.toMatchObject({ source: '(defaults)' });
  });

  it('hashes configs stably regardless of key order', () => {
    const a = parseConfig({ reportingCurrency: 'EUR', fxRates: { USD: '0.9', GBP: '1.2' } });
    const b = parseConfig({ fxRates: { GBP: '1.2', USD: '0.9' }, reportingCurrency: 'EUR' });
    expect(configHash(a)).toBe(configHash(b));
    expect(configHash(a)).not.toBe(configHash(parseConfig({ reportingCurrency: 'EUR', fxRates: { USD: '0.91' } })));
  });
});
