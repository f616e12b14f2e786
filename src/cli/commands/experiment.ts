/**
 * `refstack experiment list`: each experiment's decision per variant (from experiment_results) and what was
 * promoted from it. `refstack experiment promote <experiment_id> <variant> --from YYYY-MM-DD`: rolls a shipped
 * variant out as a new reward rule set version, recorded with who, what and why in the audit log.
 */
import { Command } from 'commander';
import type { RefstackConfig } from '../../config.js';
import { defaultActor, REWARD_RULE_VERSIONS_TABLE } from '../../operational-tables.js';
import { openWarehouse } from '../../warehouse/open.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { experimentsConfigSchema } from '../../../models/marts/experiments/config-schema.js';
import { promoteVariant, PromoteError, promotionOrigin } from '../../../models/marts/experiments/promote.js';
import { CliError } from '../errors.js';
import { configFrom, configOption, jsonOption, printJson, warehouseOption } from '../shared.js';

export interface ExperimentVariantStatus {
  experiment: string;
  variant: string;
  control: string;
  configured: boolean;
  /** ship | keep running | stop | check assignment; null without results. */
  decision: string | null;
  reason: string | null;
  primaryMetric: string | null;
  relLift: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  /** Whether config says how to roll this variant out. */
  promotable: boolean;
  /** Rule set versions already promoted from this variant. */
  promoted: { ruleSetId: string; version: number; effectiveFrom: string }[];
}

interface ResultRow {
  experiment: string;
  variant: string;
  control_variant: string;
  decision: string;
  reason: string;
  metric: string | null;
  rel_lift: number | null;
  ci_low: number | null;
  ci_high: number | null;
}

/** Every variant of every experiment in experiment_results or in config, with its decision and promotions. */
export async function listExperiments(wh: Warehouse, config: RefstackConfig): Promise<ExperimentVariantStatus[]> {
  const cfg = experimentsConfigSchema.parse(config.experiments);
  const schema = config.schemas.analytics;
  const d = wh.dialect;
  const results = (await wh.tableExists(schema, 'experiment_results'))
    ? await wh.query<ResultRow>(
        `select experiment, variant, control_variant, min(decision) as decision, min(reason) as reason,
           min(case when is_primary then metric end) as metric, min(case when is_primary then rel_lift end) as rel_lift,
           min(case when is_primary then ci_low end) as ci_low, min(case when is_primary then ci_high end) as ci_high
         from ${d.tableRef(schema, 'experiment_results')} group by 1, 2, 3 order by 1, 2`,
      )
    : [];
  const promotions = (await wh.tableExists(schema, REWARD_RULE_VERSIONS_TABLE))
    ? await wh.query<{ rule_set_id: string; version: number | bigint; effective_from: string; origin: string }>(
        `select rule_set_id, version, ${d.cast('effective_from', 'string')} as effective_from, origin
         from ${d.tableRef(schema, REWARD_RULE_VERSIONS_TABLE)} order by rule_set_id, version`,
      )
    : [];
  const out: ExperimentVariantStatus[] = [];
  const seen = new Set<string>();
  const status = (experiment: string, variant: string, control: string, r?: ResultRow) => {
    const exp = cfg.experiments.find((e) => e.id === experiment);
    seen.add(`${experiment}|${variant}`);
    out.push({
      experiment,
      variant,
      control,
      configured: exp !== undefined,
      decision: r?.decision ?? null,
      reason: r?.reason ?? null,
      primaryMetric: r?.metric ?? null,
      relLift: r?.rel_lift ?? null,
      ciLow: r?.ci_low ?? null,
      ciHigh: r?.ci_high ?? null,
      promotable: exp?.rollout?.variants[variant] !== undefined,
      promoted: promotions
        .filter((p) => p.origin === promotionOrigin(experiment, variant))
        .map((p) => ({ ruleSetId: p.rule_set_id, version: Number(p.version), effectiveFrom: p.effective_from })),
    });
  };
  for (const r of results) status(r.experiment, r.variant, r.control_variant, r);
  for (const e of cfg.experiments)
    for (const v of Object.keys({ ...e.weights, ...e.rollout?.variants }))
      if (v !== e.control && !seen.has(`${e.id}|${v}`)) status(e.id, v, e.control);
  return out.sort((a, b) =>
    a.experiment === b.experiment ? (a.variant < b.variant ? -1 : 1) : a.experiment < b.experiment ? -1 : 1,
  );
}

const pct = (x: number | null) => (x === null ? '-' : `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}%`);

/** The table `experiment list` prints without --json; the lift column widens to its longest entry. */
export function formatExperimentList(rows: ExperimentVariantStatus[]): string {
  if (rows.length === 0) return 'no experiments: none configured and no experiment_results (run "refstack run")';
  const lifts = rows.map((r) =>
    r.primaryMetric ? `${r.primaryMetric} ${pct(r.relLift)} (${pct(r.ciLow)} to ${pct(r.ciHigh)})` : '-',
  );
  const liftWidth = Math.max(34, ...lifts.map((l) => l.length));
  const lines = [
    `${'experiment'.padEnd(24)} ${'variant vs control'.padEnd(28)} ${'decision'.padEnd(17)} ${'primary lift (CI)'.padEnd(liftWidth)} promoted`,
  ];
  rows.forEach((r, i) => {
    const promoted =
      r.promoted.map((p) => `${p.ruleSetId} v${p.version} from ${p.effectiveFrom}`).join(', ') ||
      (r.promotable ? 'no (promotable)' : 'no');
    lines.push(
      `${r.experiment.padEnd(24)} ${`${r.variant} vs ${r.control}`.padEnd(28)} ${(r.decision ?? 'no results').padEnd(17)} ${lifts[i]!.padEnd(liftWidth)} ${promoted}`,
    );
    if (r.reason) lines.push(`  ${r.reason}`);
  });
  return lines.join('\n');
}

/** `--from`: a real calendar day YYYY-MM-DD, checked before anything is read (one line naming the value). */
export function fromDay(value: string): string {
  const at = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime()) || at.toISOString().slice(0, 10) !== value)
    throw new CliError(`--from: expected a date YYYY-MM-DD, got "${value}"`, 2);
  return value;
}

function listCommand(): Command {
  return new Command('list')
    .description("list experiments with each variant's decision (experiment_results) and promotions")
    .addOption(warehouseOption())
    .addOption(configOption())
    .addOption(jsonOption())
    .action(async (opts: { warehouse?: string; config?: string; json?: boolean }) => {
      const config = await configFrom(opts);
      const wh = await openWarehouse(config, {
        ...(opts.warehouse ? { pathOverride: opts.warehouse } : {}),
        readOnly: true,
      });
      try {
        const rows = await listExperiments(wh, config);
        if (opts.json) return printJson(rows);
        process.stdout.write(`${formatExperimentList(rows)}\n`);
      } finally {
        await wh.close();
      }
    });
}

interface PromoteOptions {
  from: string;
  by?: string;
  note?: string;
  force?: boolean;
  warehouse?: string;
  config?: string;
  json?: boolean;
}

function promoteCommand(): Command {
  return new Command('promote')
    .description(
      "roll a shipped variant out: write a new reward rule set version with the variant's reward, effective --from",
    )
    .argument('<experiment_id>', 'the experiment (config experiments.experiments[].id)')
    .argument('<variant>', 'the variant to roll out (config ...rollout.variants)')
    .requiredOption('--from <date>', 'first day (UTC, YYYY-MM-DD) the new reward rules apply', fromDay)
    .option('--by <name>', 'who promotes (default: $REFSTACK_ACTOR, else the OS user)')
    .option('--note <text>', 'why, recorded in the audit log')
    .option('--force', 'promote although experiment_results does not say ship (recorded in the audit log)')
    .addOption(warehouseOption())
    .addOption(configOption())
    .addOption(jsonOption())
    .action(async (experimentId: string, variant: string, opts: PromoteOptions) => {
      const config = await configFrom(opts);
      const wh = await openWarehouse(config, opts.warehouse ? { pathOverride: opts.warehouse } : {});
      try {
        const result = await promoteVariant(wh, config, {
          experimentId,
          variant,
          from: opts.from,
          by: opts.by?.trim() || defaultActor(),
          note: opts.note,
          force: opts.force === true,
        });
        if (opts.json) return printJson(result);
        process.stdout.write(`${result.message}\n`);
        if (result.created) process.stdout.write('the reward ledger uses it from the next "refstack run"\n');
      } catch (err) {
        if (err instanceof PromoteError) throw new CliError(err.message);
        throw err;
      } finally {
        await wh.close();
      }
    });
}

export function experimentCommand(): Command {
  const list = listCommand();
  const promote = promoteCommand();
  // Nested commands need main's exit override themselves (a bad flag returns, it does not exit).
  for (const c of [list, promote]) c.exitOverride().showHelpAfterError('(run with --help for usage)');
  return new Command('experiment')
    .description('A/B test results and winner rollout')
    .addCommand(list)
    .addCommand(promote);
}
