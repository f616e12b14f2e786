import { Option } from 'commander';
import { loadConfig, type RefstackConfig } from '../config.js';
import { CliError } from './errors.js';

/** Options every command accepts. */
export const configOption = () =>
  new Option('-c, --config <path>', 'config file (.ts, .js or .json); default ./refstack.config.ts');
export const warehouseOption = () =>
  new Option('-w, --warehouse <path>', 'DuckDB warehouse file (overrides the config)');
export const jsonOption = () => new Option('--json', 'print machine-readable JSON to stdout');

export async function configFrom(opts: { config?: string }): Promise<RefstackConfig> {
  return (await loadConfig(opts.config)).config;
}

/** Parses a positive integer flag, naming the flag and the value when it is not one. */
export function positiveIntFlag(flag: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.replaceAll('_', '')) || Number(value.replaceAll('_', '')) <= 0)
      throw new CliError(`${flag}: expected a positive integer, got "${value}"`, 2);
    return Number(value.replaceAll('_', ''));
  };
}

export function nonNegativeIntFlag(flag: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value)) throw new CliError(`${flag}: expected a non-negative integer, got "${value}"`, 2);
    return Number(value);
  };
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * The DuckDB file a command works on: `--warehouse`, else the config's. Commands that only run on the embedded
 * engine (the synthetic demo, which generates data with DuckDB SQL) call this and fail clearly on BigQuery.
 */
export function duckdbPath(config: RefstackConfig, override: string | undefined, command: string): string {
  if (override) return override;
  if (config.warehouse.engine !== 'duckdb')
    throw new CliError(
      `refstack ${command} runs on the embedded DuckDB warehouse, but the config names ${config.warehouse.engine}: pass --warehouse FILE`,
      2,
    );
  return config.warehouse.path;
}
