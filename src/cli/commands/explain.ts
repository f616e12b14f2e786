/**
 * `refstack explain conversion <order_id>`: the journey of one conversion and, per attribution model, each touch's
 * credit, revenue credit, reason code and rule version, read from the attribution_credit mart.
 */
import { explainRewardCommand } from './reward.js';
import { Command, Option } from 'commander';
import type { RefstackConfig } from '../../config.js';
import { openWarehouse } from '../../warehouse/open.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { currencyExponent, formatMinorUnits } from '../../../ingest/currency.js';
import {
  ATTRIBUTION_MODELS,
  attributionConfig,
  ruleVersion,
  type AttributionModel,
} from '../../../models/marts/attribution/config-schema.js';
import { CliError } from '../errors.js';
import { configFrom, configOption, jsonOption, printJson, warehouseOption } from '../shared.js';

export interface ExplainedTouch {
  touchId: string;
  occurredAt: string;
  channel: string;
  campaign: string | null;
}

export interface ExplainedCredit {
  touchId: string | null;
  channel: string;
  campaign: string | null;
  advocateId: string | null;
  credit: number;
  revenueCreditMinor: number;
  reasonCode: string;
}

export interface ConversionExplanation {
  orderId: string;
  personId: string;
  programId: string;
  convertedAt: string;
  currency: string;
  revenueMinor: number;
  ruleVersion: string;
  decidedAt: string;
  /** Other rule versions this conversion was decided under (see --rule-version). */
  otherRuleVersions: string[];
  journey: ExplainedTouch[];
  models: { model: string; credits: ExplainedCredit[] }[];
}

interface CreditRow {
  rule_version: string;
  decided_at: Date;
  model: string;
  person_id: string;
  program_id: string;
  converted_at: Date;
  touch_id: string | null;
  touch_occurred_at: Date | null;
  channel: string;
  campaign: string | null;
  advocate_id: string | null;
  credit: number;
  revenue_credit_minor: number;
  currency: string;
  reason_code: string;
}

/**
 * Reads the explanation of one conversion. The rule version is `ruleVersionWanted`, else the config's current one
 * when the conversion has rows under it, else the most recently decided one. Throws a one-line error for an
 * unknown order, a missing mart or an unknown rule version.
 */
export async function explainConversion(
  wh: Warehouse,
  config: RefstackConfig,
  orderId: string,
  options: { model?: AttributionModel; ruleVersion?: string } = {},
): Promise<ConversionExplanation> {
  const d = wh.dialect;
  const analytics = config.schemas.analytics;
  if (!(await wh.tableExists(analytics, 'attribution_credit')))
    throw new CliError(`no attribution_credit table in ${wh.location}; run "refstack run" first`);
  const table = d.tableRef(analytics, 'attribution_credit');
  const versions = await wh.query<{ rule_version: string; decided_at: Date }>(
    `select rule_version, max(decided_at) as decided_at from ${table} where order_id = ${d.param('order_id')}
     group by 1 order by 2 desc, 1`,
    { order_id: orderId },
  );
  if (versions.length === 0) throw new CliError(`unknown conversion "${orderId}": no rows in attribution_credit`);
  const current = ruleVersion(attributionConfig(config).ruleSet);
  const names = versions.map((v) => v.rule_version);
  const version = options.ruleVersion ?? (names.includes(current) ? current : names[0]!);
  if (!names.includes(version))
    throw new CliError(
      `conversion "${orderId}" has no rows under rule version "${version}"; it has: ${names.join(', ')}`,
    );
  const rows = await wh.query<CreditRow>(
    `select rule_version, decided_at, model, person_id, program_id, converted_at, touch_id, touch_occurred_at, channel,
       campaign, advocate_id, credit, revenue_credit_minor, currency, reason_code
     from ${table} where order_id = ${d.param('order_id')} and rule_version = ${d.param('rule_version')}
     order by model, touch_occurred_at, touch_id`,
    { order_id: orderId, rule_version: version },
  );
  const first = rows[0]!;
  const journey = new Map<string, ExplainedTouch>();
  for (const r of rows)
    if (r.touch_id !== null && r.touch_occurred_at !== null)
      journey.set(r.touch_id, {
        touchId: r.touch_id,
        occurredAt: r.touch_occurred_at.toISOString(),
        channel: r.channel,
        campaign: r.campaign,
      });
  const order = [...ATTRIBUTION_MODELS, ...new Set(rows.map((r) => r.model))];
  const models = [...new Set(order)]
    .filter((m) => rows.some((r) => r.model === m) && (!options.model || options.model === m))
    .map((model) => ({
      model,
      credits: rows
        .filter((r) => r.model === model)
        .map((r) => ({
          touchId: r.touch_id,
          channel: r.channel,
          campaign: r.campaign,
          advocateId: r.advocate_id,
          credit: r.credit,
          revenueCreditMinor: r.revenue_credit_minor,
          reasonCode: r.reason_code,
        })),
    }));
  return {
    orderId,
    personId: first.person_id,
    programId: first.program_id,
    convertedAt: first.converted_at.toISOString(),
    currency: first.currency,
    revenueMinor: rows.filter((r) => r.model === first.model).reduce((s, r) => s + r.revenue_credit_minor, 0),
    ruleVersion: version,
    decidedAt: versions.find((v) => v.rule_version === version)!.decided_at.toISOString(),
    otherRuleVersions: names.filter((n) => n !== version),
    journey: [...journey.values()].sort((a, b) =>
      a.occurredAt === b.occurredAt ? (a.touchId < b.touchId ? -1 : 1) : a.occurredAt < b.occurredAt ? -1 : 1,
    ),
    models,
  };
}

/** Money with its currency code, e.g. `12.50 USD` (minor units when the currency's exponent is unknown). */
function money(minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  return exponent === undefined
    ? `${minor} minor ${currency}`
    : `${formatMinorUnits(BigInt(minor), exponent)} ${currency}`;
}

/** The human-readable explanation (what the command prints without --json). */
export function formatExplanation(e: ConversionExplanation): string {
  const lines = [
    `conversion ${e.orderId}: person ${e.personId}, program ${e.programId}, at ${e.convertedAt}, revenue ${money(e.revenueMinor, e.currency)}`,
    `rule version ${e.ruleVersion}, decided at ${e.decidedAt}` +
      (e.otherRuleVersions.length > 0 ? ` (also decided under: ${e.otherRuleVersions.join(', ')})` : ''),
    '',
    e.journey.length === 0 ? 'journey: no eligible touch' : `journey (${e.journey.length} touches):`,
    ...e.journey.map(
      (t) => `  ${t.occurredAt}  ${t.channel.padEnd(18)} ${(t.campaign ?? '-').padEnd(22)} ${t.touchId}`,
    ),
  ];
  for (const m of e.models) {
    lines.push('', `${m.model} (rule ${e.ruleVersion}):`);
    for (const c of m.credits) {
      const who = c.touchId ?? (c.advocateId ? `advocate ${c.advocateId}` : '(no touch)');
      lines.push(
        `  ${who.padEnd(22)} ${c.channel.padEnd(18)} credit ${c.credit.toFixed(4)}  ${money(c.revenueCreditMinor, e.currency).padStart(14)}  ${c.reasonCode}`,
      );
    }
  }
  return lines.join('\n');
}

export function explainCommand(): Command {
  const conversion = new Command('conversion')
    .description("print a conversion's journey and each model's credit per touch, with reason codes and rule version")
    .argument('<order_id>', 'the converting order')
    .addOption(new Option('-m, --model <model>', 'only this attribution model').choices([...ATTRIBUTION_MODELS]))
    .option('--rule-version <version>', 'a rule version other than the current one (earlier decisions are kept)')
    .addOption(warehouseOption())
    .addOption(configOption())
    .addOption(jsonOption())
    .action(
      async (
        orderId: string,
        opts: { model?: AttributionModel; ruleVersion?: string; warehouse?: string; config?: string; json?: boolean },
      ) => {
        const config = await configFrom(opts);
        const wh = await openWarehouse(config, {
          ...(opts.warehouse ? { pathOverride: opts.warehouse } : {}),
          readOnly: true,
        });
        try {
          const explanation = await explainConversion(wh, config, orderId, {
            ...(opts.model ? { model: opts.model } : {}),
            ...(opts.ruleVersion ? { ruleVersion: opts.ruleVersion } : {}),
          });
          if (opts.json) return printJson(explanation);
          process.stdout.write(`${formatExplanation(explanation)}\n`);
        } finally {
          await wh.close();
        }
      },
    );
  // Nested under `explain`, so it needs main's exit override itself (a bad flag returns, it does not exit).
  conversion.exitOverride().showHelpAfterError('(run with --help for usage)');
  const reward = explainRewardCommand().exitOverride().showHelpAfterError('(run with --help for usage)');
  return new Command('explain')
    .description('explain a decision refstack made')
    .addCommand(conversion)
    .addCommand(reward);
}
