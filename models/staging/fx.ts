import type { RefstackConfig } from '../../src/config.js';
import type { SqlDialect } from '../../src/warehouse/dialect.js';
import { minorUnitExponent } from '../../ingest/currency.js';

/**
 * An inline table `(currency, factor)` converting an amount in a currency's minor units into the reporting
 * currency's minor units: factor = rate x 10^(reporting exponent - source exponent). Built from config, so
 * the conversion is exact decimal arithmetic in SQL (rates are decimal strings; no float touches money).
 */
export function fxFactorsSql(d: SqlDialect, config: RefstackConfig): string {
  const reporting = config.reportingCurrency;
  const repExp = minorUnitExponent(reporting);
  const rows = [[reporting, '1'] as const, ...Object.entries(config.fxRates)].map(([code, rate]) => {
    const shift = repExp - minorUnitExponent(code);
    // Scale the decimal string by 10^shift without floats: move the decimal point.
    const factor = shiftDecimal(rate, shift);
    return `select ${d.stringLiteral(code)} as currency, cast(${d.stringLiteral(factor)} as decimal(24,12)) as factor`;
  });
  return rows.join('\nunion all\n');
}

/**
 * Multiplies a non-negative decimal string by 10^shift exactly.
 * @example shiftDecimal('1.08', 2) // '108'
 */
export function shiftDecimal(value: string, shift: number): string {
  const [int = '0', frac = ''] = value.split('.');
  let digits = int + frac;
  let point = int.length + shift;
  if (point <= 0) {
    digits = '0'.repeat(1 - point) + digits;
    point = 1;
  }
  if (point > digits.length) digits = digits + '0'.repeat(point - digits.length);
  const whole = digits.slice(0, point).replace(/^0+(?=\d)/, '');
  const rest = digits.slice(point).replace(/0+$/, '');
  return rest ? `${whole}.${rest}` : whole;
}

/**
 * A `select` of FX validity intervals, one row per (currency, valid_from): `currency`, `valid_from` (date,
 * NULL = since forever), `valid_to` (exclusive date, NULL = open-ended), `rate` (the decimal string),
 * `fx_source` and `factor` (rate x 10^(reporting exponent - currency exponent), an exact decimal). An amount
 * dated `day` converts with the row where `valid_from <= day < valid_to` (NULL bounds open), picking the
 * landed row first and the config rate only where no landed rate applies:
 *
 * - `fx_rates`: raw.fx_rates rows whose reporting_currency is the configured one; a rate holds from its
 *   rate_date until the pair's next rate_date (the latest landed version of a (rate_date, currency) wins).
 * - `config`: `fxRates` from the config, for days before a currency's first landed rate (or all days when
 *   none is landed).
 * - `same_currency`: the reporting currency itself, factor 1.
 *
 * `currencies` are the codes to cover (upper case); codes outside ISO 4217 throw, naming the code, since a
 * guessed exponent would scale money by a power of ten.
 */
export function fxIntervalsSql(
  d: SqlDialect,
  config: RefstackConfig,
  rawFxRates: string,
  currencies: readonly string[],
): string {
  const reporting = config.reportingCurrency;
  const codes = [...new Set(currencies)].filter((c) => c !== reporting).sort();
  const repExp = minorUnitExponent(reporting);
  const lit = (s: string) => d.stringLiteral(s);
  const dec = (s: string) => `cast(${lit(s)} as decimal(24,12))`;
  const selfRow =
    `select ${lit(reporting)} as currency, cast(null as date) as valid_from, cast(null as date) as valid_to, ` +
    `'1' as rate, 'same_currency' as fx_source, ${dec('1')} as factor`;
  if (codes.length === 0) return selfRow;
  const scales = codes
    .map(
      (code) => `select ${lit(code)} as currency, ${dec(shiftDecimal('1', repExp - minorUnitExponent(code)))} as scale`,
    )
    .join(' union all ');
  const configured = codes
    .filter((code) => Object.hasOwn(config.fxRates, code))
    .map((code) => `select ${lit(code)} as currency, ${lit(config.fxRates[code]!)} as rate`);
  const configRows =
    configured.length > 0 ? configured.join(' union all ') : `select '' as currency, '' as rate where 1 = 0`;
  // Landed rates: the latest landed version per (rate_date, currency), then each rate's validity ends at the next.
  return `
select * from (
  with scales as (${scales}),
  landed as (
    select rate_date, upper(trim(currency)) as currency, trim(rate) as rate
    from ${rawFxRates}
    where upper(trim(reporting_currency)) = ${lit(reporting)}
    ${d.qualify(
      `row_number() over (partition by rate_date, upper(trim(currency)) order by _loaded_at desc, _batch_id desc, _row_number desc) = 1`,
      true,
    )}
  ),
  landed_intervals as (
    select l.currency, l.rate_date as valid_from,
      lead(l.rate_date) over (partition by l.currency order by l.rate_date) as valid_to,
      l.rate, 'fx_rates' as fx_source
    from landed l join scales s on s.currency = l.currency
  ),
  config_intervals as (
    select c.currency, cast(null as date) as valid_from,
      (select min(l.rate_date) from landed l where l.currency = c.currency) as valid_to,
      c.rate, 'config' as fx_source
    from (${configRows}) c
  ),
  intervals as (
    select * from landed_intervals
    union all
    select * from config_intervals
  )
  select i.currency, i.valid_from, i.valid_to, i.rate, i.fx_source, cast(i.rate as decimal(24,12)) * s.scale as factor
  from intervals i join scales s on s.currency = i.currency
) fx_intervals
union all
${selfRow}`;
}
