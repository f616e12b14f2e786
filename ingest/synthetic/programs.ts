/**
 * Regions, countries, currencies and programs. A region's customers go to its regional programs when there
 * are any (a regional pilot takes its whole region), else to the non-regional programs, weighted by kind.
 * Regions no program can take are left out and the other regions' shares renormalized.
 */
import type { SqlDialect } from '../../src/warehouse/dialect.js';
import type { SyntheticProgram } from './options.js';
import { REGIONS, SYNTHETIC_TRUTHS, type Mix, type Region } from './params.js';
import { caseOf, categorical } from './sql.js';

export interface ProgramPlan {
  /** Region shares over the regions some program takes (sums to 1). */
  regionMix: Record<string, number>;
  /** Per region: program id -> probability. */
  programMix: Partial<Record<Region, Record<string, number>>>;
  programs: SyntheticProgram[];
  /** Where the fraud ring lives: the first customer-referral program (else the first program) and a region it takes. */
  ring: { programId: string; region: Region };
}

export function planPrograms(programs: SyntheticProgram[]): ProgramPlan {
  const programMix: ProgramPlan['programMix'] = {};
  for (const region of REGIONS) {
    const regional = programs.filter((p) => p.region === region);
    const eligible = regional.length > 0 ? regional : programs.filter((p) => p.region === undefined);
    if (eligible.length === 0) continue;
    const total = eligible.reduce((s, p) => s + SYNTHETIC_TRUTHS.programKindWeight[p.kind], 0);
    programMix[region] = Object.fromEntries(
      eligible.map((p) => [p.id, SYNTHETIC_TRUTHS.programKindWeight[p.kind] / total]),
    );
  }
  const covered = REGIONS.filter((r) => programMix[r]);
  const shareTotal = covered.reduce((s, r) => s + SYNTHETIC_TRUTHS.regions[r].share, 0);
  const regionMix = Object.fromEntries(covered.map((r) => [r, SYNTHETIC_TRUTHS.regions[r].share / shareTotal]));

  const taken = programs.filter((p) => covered.some((r) => programMix[r]?.[p.id] !== undefined));
  const ringProgram = taken.find((p) => p.kind === 'customer_referral') ?? taken[0];
  if (!ringProgram) throw new Error('synthetic option programs: no program takes customers in any region');
  const ringRegion = covered.find((r) => programMix[r]?.[ringProgram.id] !== undefined)!;
  return { regionMix, programMix, programs, ring: { programId: ringProgram.id, region: ringRegion } };
}

/** SQL: a region drawn from the plan's region mix. */
export const regionSql = (d: SqlDialect, plan: ProgramPlan, u: string): string => categorical(d, u, plan.regionMix);

/** SQL: a program id for the region in column `region`. */
export function programSql(d: SqlDialect, plan: ProgramPlan, region: string, u: string): string {
  const map: Record<string, string> = {};
  for (const [r, mix] of Object.entries(plan.programMix)) map[r] = categorical(d, u, mix as Mix);
  return caseOf(d, region, map);
}

/** SQL: a country for the region in column `region`. */
export function countrySql(d: SqlDialect, region: string, u: string): string {
  return caseOf(
    d,
    region,
    Object.fromEntries(REGIONS.map((r) => [r, categorical(d, u, SYNTHETIC_TRUTHS.regions[r].countries)])),
  );
}

/** SQL: the currency of the region in column `region`. */
export function currencySql(d: SqlDialect, region: string): string {
  return caseOf(
    d,
    region,
    Object.fromEntries(REGIONS.map((r) => [r, d.stringLiteral(SYNTHETIC_TRUTHS.regions[r].currency)])),
  );
}

/** SQL: the tax rate of the region in column `region`. */
export function taxRateSql(d: SqlDialect, region: string): string {
  return caseOf(
    d,
    region,
    Object.fromEntries(REGIONS.map((r) => [r, String(SYNTHETIC_TRUTHS.regions[r].taxRate)])),
    '0',
  );
}

/** SQL: the kind of the program in column `programId`. */
export function programKindSql(d: SqlDialect, plan: ProgramPlan, programId: string): string {
  return caseOf(d, programId, Object.fromEntries(plan.programs.map((p) => [p.id, d.stringLiteral(p.kind)])));
}

/** SQL: the fixed product line of the program in column `programId`, or NULL when orders draw one. */
export function programProductLineSql(d: SqlDialect, plan: ProgramPlan, programId: string): string {
  const fixed = plan.programs.filter((p) => p.productLine !== undefined);
  return caseOf(d, programId, Object.fromEntries(fixed.map((p) => [p.id, d.stringLiteral(p.productLine!)])));
}
