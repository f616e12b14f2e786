/**
 * Every model compiled for BigQuery, as a reviewed snapshot (tests/warehouse/__snapshots__/bigquery-models.sql;
 * review the diff when it changes, update with `npx vitest run tests/warehouse/bigquery-models-sql.test.ts -u`),
 * and each statement parsed by node-sql-parser's BigQuery grammar where it supports the construct. A smoke check,
 * not a proof: the parser is stricter than BigQuery in places and looser in others, so the statements it rejects
 * are listed in the snapshot with its message, and this test fails if that list grows.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../models/index.js';
import { parseConfig } from '../../src/config.js';
import { runModels } from '../../src/models/runner.js';
import { bigqueryDialect } from '../../src/warehouse/bigquery-dialect.js';
import demoConfigInput from '../../refstack.config.js';
import { RecordingWarehouse } from '../helpers/recording-warehouse.js';

const require = createRequire(import.meta.url);
const { Parser } = require('node-sql-parser/build/bigquery.js') as {
  Parser: new () => { astify(sql: string, opt: { database: string }): unknown };
};

/** Statements the parser may reject today (a ceiling: lower it as models or the parser improve). */
const MAX_UNPARSED = 44;

describe('BigQuery SQL of every model', () => {
  it('compiles through the bigquery dialect, matches the reviewed snapshot, and mostly parses', async () => {
    const config = parseConfig({
      ...demoConfigInput,
      warehouse: { engine: 'bigquery', projectId: 'refstack-snapshot', dataset: 'refstack' },
    });
    const wh = new RecordingWarehouse(bigqueryDialect);
    const perModel: { model: string; statements: string[] }[] = [];
    let start = 0;
    wh.onAppend = (table, rows) => {
      if (table !== 'refstack_runs') return;
      perModel.push({
        model: String(rows[0]![1]),
        statements: wh.statements
          .slice(start)
          .filter((s) => s.kind !== 'append')
          .map((s) => s.sql),
      });
      start = wh.statements.length;
    };
    await runModels({ wh, config, registry: defaultRegistry() });
    expect(perModel.map((m) => m.model).sort()).toEqual(defaultRegistry().names.sort());

    const parser = new Parser();
    const unparsed: string[] = [];
    const text = perModel
      .map(({ model, statements }) => {
        const body = statements.map((sql, i) => {
          let note = '';
          try {
            parser.astify(sql, { database: 'bigquery' });
          } catch (err) {
            const message = (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 160);
            unparsed.push(`${model} #${i + 1}`);
            note = `-- parser: ${message}\n`;
          }
          return `-- ${model} #${i + 1}\n${note}${sql.trim()};`;
        });
        return `-- ==== ${model} ====\n${body.join('\n\n')}`;
      })
      .join('\n\n');
    await expect(`${text}\n`).toMatchFileSnapshot('./__snapshots__/bigquery-models.sql');
    const total = perModel.reduce((n, m) => n + m.statements.length, 0);
    expect(unparsed.length).toBeLessThanOrEqual(MAX_UNPARSED);
    expect(total).toBeGreaterThan(perModel.length);
  });
});
