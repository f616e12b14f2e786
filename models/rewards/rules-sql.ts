/**
 * Reward rule sets as inline SQL tables, built from validated config. Every value reaches SQL as a typed literal
 * (strings through `stringLiteral`, numbers already validated as integers), so a rule can never inject SQL.
 * Amounts in other currencies are converted to reporting-currency minor units in SQL with the configured rates
 * (`fxFactorsSql`), rounded half away from zero, exactly like stg_orders.
 */
import type { RefstackConfig } from '../../src/config.js';
import type { SqlDialect } from '../../src/warehouse/dialect.js';
import { minorUnitExponent } from '../../ingest/currency.js';
import { shiftDecimal } from '../staging/fx.js';
import type { Reward, RewardRuleSet } from '../marts/rewards/config-schema.js';

/** Formats integer minor units for a reason text. @example formatMinor(2050, 'USD') // '20.50 USD' */
export function formatMinor(minor: number, currency: string): string {
  const e = minorUnitExponent(currency);
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(e + 1, '0');
  return `${sign}${e === 0 ? digits : `${digits.slice(0, -e)}.${digits.slice(-e)}`} ${currency}`;
}

/**
 * An SQL string expression formatting a non-negative integer minor-unit expression in the reporting currency,
 * e.g. `2050` -> `'20.50 USD'`. Portable: integer division, `mod` and `lpad` exist on every engine.
 */
export function moneySql(d: SqlDialect, expr: string, currency: string): string {
  const e = minorUnitExponent(currency);
  const code = d.stringLiteral(` ${currency}`);
  if (e === 0) return `(${d.cast(expr, 'string')} || ${code})`;
  const unit = 10 ** e;
  return `(${d.cast(d.floorDiv(expr, String(unit)), 'string')} || '.' || lpad(${d.cast(`mod(${expr}, ${unit})`, 'string')}, ${e}, '0') || ${code})`;
}

/**
 * Checks what rules refer to outside themselves: every program id is a configured program and every currency
 * has a rate to the reporting currency. The error names the rule key and the value.
 */
export function assertRuleReferences(ruleSets: RewardRuleSet[], config: RefstackConfig): void {
  const known = new Set([config.reportingCurrency, ...Object.keys(config.fxRates)]);
  const programs = new Set(config.programs.map((p) => p.id));
  ruleSets.forEach((r, i) => {
    r.programIds.forEach((id, j) => {
      if (!programs.has(id))
        throw new Error(
          `config rewards.ruleSets[${i}].programIds[${j}]: unknown program "${id}" (configured: ${[...programs].join(', ')})`,
        );
    });
    const named: [string, string | undefined][] = [
      ['qualifyingEvent.currency', r.qualifyingEvent.type === 'purchase_min' ? r.qualifyingEvent.currency : undefined],
      [
        'advocateReward.currency',
        r.advocateReward && 'currency' in r.advocateReward ? r.advocateReward.currency : undefined,
      ],
      [
        'refereeReward.currency',
        r.refereeReward && 'currency' in r.refereeReward ? r.refereeReward.currency : undefined,
      ],
    ];
    r.milestones.forEach((m, j) => named.push([`milestones[${j}].reward.currency`, m.reward.currency]));
    for (const [key, code] of named)
      if (code !== undefined && !known.has(code))
        throw new Error(
          `config rewards.ruleSets[${i}].${key}: no FX rate from ${code} to ${config.reportingCurrency} (rule set "${r.id}" version ${r.version}); add it under fxRates`,
        );
  });
}

const str = (d: SqlDialect, v: string | undefined | null) => d.cast(v == null ? 'null' : d.stringLiteral(v), 'string');
const int = (d: SqlDialect, v: number | undefined | null) => d.cast(v == null ? 'null' : String(v), 'int64');
const date = (d: SqlDialect, v: string | undefined) => d.cast(v == null ? 'null' : d.stringLiteral(v), 'date');

/** Rows of a union-all table, or one typed all-NULL row filtered away when there are none. */
function table(rows: string[][], names: string[], empty: string[]): string {
  const select = (vals: string[]) => `select ${vals.map((v, i) => `${v} as ${names[i]}`).join(', ')}`;
  if (rows.length === 0) return `${select(empty)} where 1 = 0`;
  return rows.map(select).join('\nunion all\n');
}

const VERSION_COLUMNS = [
  'rule_set_id',
  'rule_version',
  'program_id',
  'effective_from',
  'effective_to',
  'event_type',
  'min_minor',
  'min_currency',
  'holding_days',
  'clawback_days',
  'cap_month_minor',
  'cap_year_minor',
  'budget_minor',
  'tier_window_days',
  'partial_refunds',
  'churn_days',
  'freq_max',
  'freq_per',
  'recurring_months',
];

/**
 * One row per rule set version and program it applies to: when it is in effect, what qualifies, and its holding,
 * clawback and caps. `min_minor` is in `min_currency`; convert with the fx table.
 */
export function ruleVersionsSql(d: SqlDialect, ruleSets: RewardRuleSet[]): string {
  const rows = ruleSets.flatMap((r) =>
    r.programIds.map((programId) => [
      str(d, r.id),
      int(d, r.version),
      str(d, programId),
      date(d, r.effectiveFrom),
      date(d, r.effectiveTo),
      str(d, r.qualifyingEvent.type),
      int(d, r.qualifyingEvent.type === 'purchase_min' ? r.qualifyingEvent.minMinor : null),
      str(d, r.qualifyingEvent.type === 'purchase_min' ? r.qualifyingEvent.currency : null),
      int(d, r.holdingDays),
      int(d, r.clawbackDays),
      int(d, r.caps.perAdvocatePerMonthMinor),
      int(d, r.caps.perAdvocatePerYearMinor),
      int(d, r.caps.programBudgetMinor),
      int(d, r.tierWindowDays),
      str(d, r.partialRefunds),
      int(d, r.churnClawbackDays),
      int(d, r.frequencyLimit?.maxRewards),
      str(d, r.frequencyLimit?.per),
      int(d, r.recurring?.months),
    ]),
  );
  const strings = new Set(['rule_set_id', 'program_id', 'event_type', 'min_currency', 'partial_refunds', 'freq_per']);
  const empty = VERSION_COLUMNS.map((name) =>
    strings.has(name) ? str(d, null) : name.startsWith('effective_') ? date(d, undefined) : int(d, null),
  );
  return table(rows, VERSION_COLUMNS, empty);
}

const REWARD_COLUMNS = [
  'rule_set_id',
  'rule_version',
  'beneficiary_role',
  'reward_type',
  'reward_kind',
  'amount_minor',
  'amount_currency',
  'percent_factor',
  'reward_label',
];

/** Percent "12.5" as the factor 0.125, exactly (a decimal string, no float). */
export const percentFactor = (percent: string): string => shiftDecimal(percent, -2);

function rewardLabel(reward: Reward): string {
  switch (reward.type) {
    case 'fixed':
      return `a fixed reward of ${formatMinor(reward.amountMinor, reward.currency)}`;
    case 'percent':
      return `${reward.percent}% of the commission base`;
    case 'non_cash':
      return `the non-cash reward "${reward.description}" (cash equivalent ${formatMinor(reward.cashEquivalentMinor, reward.currency)})`;
  }
}

/**
 * One row per rule set version and beneficiary role (advocate, referee) with its reward: `amount_minor` in
 * `amount_currency` for fixed and non-cash rewards, `percent_factor` (a decimal) for percent rewards.
 */
export function ruleRewardsSql(d: SqlDialect, ruleSets: RewardRuleSet[]): string {
  const rows: string[][] = [];
  for (const r of ruleSets) {
    for (const [role, reward] of [
      ['advocate', r.advocateReward],
      ['referee', r.refereeReward],
    ] as const) {
      if (!reward) continue;
      rows.push([
        str(d, r.id),
        int(d, r.version),
        str(d, role),
        str(d, reward.type),
        str(d, reward.type === 'non_cash' ? 'non_cash' : 'cash'),
        int(
          d,
          reward.type === 'fixed' ? reward.amountMinor : reward.type === 'non_cash' ? reward.cashEquivalentMinor : null,
        ),
        str(d, reward.type === 'percent' ? null : reward.currency),
        d.cast(reward.type === 'percent' ? d.stringLiteral(percentFactor(reward.percent)) : 'null', 'decimal'),
        str(d, rewardLabel(reward)),
      ]);
    }
  }
  const empty = [
    str(d, null),
    int(d, null),
    str(d, null),
    str(d, null),
    str(d, null),
    int(d, null),
    str(d, null),
    d.cast('null', 'decimal'),
    str(d, null),
  ];
  return table(rows, REWARD_COLUMNS, empty);
}

const TIER_COLUMNS = [
  'rule_set_id',
  'rule_version',
  'tier_name',
  'threshold',
  'next_threshold',
  'multiplier',
  'multiplier_text',
];

/**
 * One row per rule set version and tier: the tier holds from `threshold` successful referrals up to (not
 * including) `next_threshold`; `multiplier` applies to the advocate's reward.
 */
export function ruleTiersSql(d: SqlDialect, ruleSets: RewardRuleSet[]): string {
  const rows = ruleSets.flatMap((r) =>
    r.tiers.map((t, i) => [
      str(d, r.id),
      int(d, r.version),
      str(d, t.name),
      int(d, t.threshold),
      int(d, r.tiers[i + 1]?.threshold),
      d.cast(d.stringLiteral(t.multiplier), 'decimal'),
      str(d, t.multiplier),
    ]),
  );
  const empty = [
    str(d, null),
    int(d, null),
    str(d, null),
    int(d, null),
    int(d, null),
    d.cast('null', 'decimal'),
    str(d, null),
  ];
  return table(rows, TIER_COLUMNS, empty);
}

const MILESTONE_COLUMNS = [
  'rule_set_id',
  'rule_version',
  'milestone_referrals',
  'reward_kind',
  'amount_minor',
  'amount_currency',
  'reward_label',
];

/** One row per rule set version and milestone: the approved-referral count that earns it and its reward. */
export function ruleMilestonesSql(d: SqlDialect, ruleSets: RewardRuleSet[]): string {
  const rows = ruleSets.flatMap((r) =>
    r.milestones.map((m) => [
      str(d, r.id),
      int(d, r.version),
      int(d, m.referrals),
      str(d, m.reward.type === 'non_cash' ? 'non_cash' : 'cash'),
      int(d, m.reward.type === 'fixed' ? m.reward.amountMinor : m.reward.cashEquivalentMinor),
      str(d, m.reward.currency),
      str(d, rewardLabel(m.reward)),
    ]),
  );
  const empty = [str(d, null), int(d, null), int(d, null), str(d, null), int(d, null), str(d, null), str(d, null)];
  return table(rows, MILESTONE_COLUMNS, empty);
}
