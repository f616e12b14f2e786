/**
 * Fraud backtest: precision and recall of each rule and of the combined score against known fraud. A mart cannot
 * know which referrals are fraud, so this is a function the caller gives the labels to (the demo's planted ring
 * from `syntheticFraudRing(options).refereeIds`, or a reviewer's decisions). It reads fraud_flags and fraud_scores,
 * which must have been built.
 */
import type { ColumnDef } from '../../../src/warehouse/dialect.js';
import type { Warehouse } from '../../../src/warehouse/warehouse.js';
import { FRAUD_RULES } from './config-schema.js';

export interface FraudBacktestRow {
  /** A rule name from FRAUD_RULES, or 'combined' (fraud_scores.flagged). */
  rule: string;
  /** Distinct referees the rule flagged. */
  flagged: number;
  /** Flagged referees that are labelled fraud. */
  true_positives: number;
  /** Labelled referees (all given labels, whether or not they appear as referrals). */
  labeled: number;
  /** true_positives / flagged; NULL when the rule flagged nothing. */
  precision: number | null;
  /** true_positives / labeled; NULL when there are no labels. */
  recall: number | null;
}

const LABEL_COLUMNS: ColumnDef[] = [{ name: 'referee_id', type: 'string' }];
const LABELS = 'fraud_backtest__labels';

/**
 * Precision and recall per rule (every rule in FRAUD_RULES, in that order, a rule that never fired with flagged 0)
 * and for the combined score, last. A referee counts once however many referrals or flags it has.
 *
 * @example await fraudBacktest(wh, { refereeIds: syntheticFraudRing(options).refereeIds })
 */
export async function fraudBacktest(
  wh: Warehouse,
  labels: { refereeIds: readonly string[] },
  options: { schema?: string } = {},
): Promise<FraudBacktestRow[]> {
  const d = wh.dialect;
  const schema = options.schema ?? 'main';
  const table = (name: string) => d.tableRef(schema, name);
  const ids = [...new Set(labels.refereeIds)];
  try {
    await wh.exec(`drop table if exists ${table(LABELS)}`);
    await wh.exec(d.createTableIfNotExists(table(LABELS), LABEL_COLUMNS));
    if (ids.length > 0)
      await wh.appendRows(
        schema,
        LABELS,
        LABEL_COLUMNS,
        ids.map((id) => [id]),
      );
    const counts = await wh.query<{ rule: string; flagged: number; true_positives: number }>(`
      with flagged as (
        select distinct rule, referee_id from ${table('fraud_flags')}
        union all
        select distinct 'combined' as rule, referee_id from ${table('fraud_scores')} where flagged
      )
      select f.rule, count(*) as flagged, sum(case when l.referee_id is not null then 1 else 0 end) as true_positives
      from flagged f
      left join ${table(LABELS)} l on l.referee_id = f.referee_id
      group by f.rule`);
    const byRule = new Map(counts.map((c) => [c.rule, c]));
    return [...FRAUD_RULES, 'combined'].map((rule) => {
      const flagged = Number(byRule.get(rule)?.flagged ?? 0);
      const tp = Number(byRule.get(rule)?.true_positives ?? 0);
      return {
        rule,
        flagged,
        true_positives: tp,
        labeled: ids.length,
        precision: flagged > 0 ? tp / flagged : null,
        recall: ids.length > 0 ? tp / ids.length : null,
      };
    });
  } finally {
    await wh.exec(`drop table if exists ${table(LABELS)}`);
  }
}
