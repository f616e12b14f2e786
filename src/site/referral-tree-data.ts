/**
 * The data behind the "Referral tree" page, from the `referral_tree` mart (one row per referral edge): referrals
 * and conversions per program and generation, and the top root advocates by the size of their tree. Advocates are
 * pseudonymised (src/site/pseudonym.ts) unless the config allows PII.
 */
import type { Row, Warehouse } from '../warehouse/warehouse.js';
import { exactNumber, martStatus, type MartStatus } from './mart.js';
import { personLabeller } from './pseudonym.js';

export const REFERRAL_TREE_COLUMNS = [
  'program_id',
  'advocate_id',
  'referee_id',
  'generation',
  'root_advocate_id',
  'converted_at',
  'in_cycle',
  'depth_capped',
] as const;

/** How many root advocates the page lists per program. */
export const TOP_ROOTS = 15;

export interface GenerationRow {
  program_id: string;
  generation: number;
  referrals: number;
  converted: number;
  advocates: number;
  in_cycle: number;
  depth_capped: number;
}

export interface RootRow {
  program_id: string;
  /** Pseudonym of root_advocate_id (raw id only when site.allowPii). */
  advocate: string | null;
  referrals: number;
  converted: number;
  generations: number;
  rank: number;
}

export interface ReferralTreeData {
  generatedAt: string;
  status: MartStatus;
  programs: string[];
  generations: GenerationRow[];
  roots: RootRow[];
}

/** Reads `<schema>.referral_tree`. */
export async function loadReferralTree(
  wh: Warehouse,
  schema: string,
  options: { now?: Date; env?: NodeJS.ProcessEnv } = {},
): Promise<ReferralTreeData> {
  const generatedAt = (options.now ?? new Date()).toISOString();
  const status = await martStatus(wh, schema, 'referral_tree', REFERRAL_TREE_COLUMNS);
  if (status.state !== 'ready') return { generatedAt, status, programs: [], generations: [], roots: [] };
  const d = wh.dialect;
  const ref = d.tableRef(schema, 'referral_tree');
  const int = (e: string) => d.cast(e, 'int64');
  const [generations, roots] = await Promise.all([
    wh.query<Row>(
      `select program_id, ${int('generation')} as generation, ${int('count(*)')} as referrals,
  ${int('sum(case when converted_at is not null then 1 else 0 end)')} as converted,
  ${int('count(distinct advocate_id)')} as advocates,
  ${int('sum(case when in_cycle then 1 else 0 end)')} as in_cycle,
  ${int('sum(case when depth_capped then 1 else 0 end)')} as depth_capped
from ${ref} group by 1, 2 order by 1, 2`,
    ),
    wh.query<Row>(
      `select program_id, root_advocate_id, referrals, converted, generations, rank from (
  select program_id, root_advocate_id, ${int('count(*)')} as referrals,
    ${int('sum(case when converted_at is not null then 1 else 0 end)')} as converted,
    ${int('max(generation)')} as generations,
    row_number() over (partition by program_id order by count(*) desc,
      sum(case when converted_at is not null then 1 else 0 end) desc, root_advocate_id) as rank
  from ${ref} where root_advocate_id is not null group by 1, 2
) ranked where rank <= ${TOP_ROOTS} order by program_id, rank`,
    ),
  ]);
  const label = personLabeller(options.env);
  const n = (v: unknown) => exactNumber(v, 'referral_tree: count');
  const gens = generations.map((r) => ({
    program_id: String(r['program_id']),
    generation: n(r['generation']),
    referrals: n(r['referrals']),
    converted: n(r['converted']),
    advocates: n(r['advocates']),
    in_cycle: n(r['in_cycle']),
    depth_capped: n(r['depth_capped']),
  }));
  return {
    generatedAt,
    status,
    programs: [...new Set(gens.map((g) => g.program_id))].sort(),
    generations: gens,
    roots: roots.map((r) => ({
      program_id: String(r['program_id']),
      advocate: label(r['root_advocate_id'] == null ? null : String(r['root_advocate_id'])),
      referrals: n(r['referrals']),
      converted: n(r['converted']),
      generations: n(r['generations']),
      rank: n(r['rank']),
    })),
  };
}
