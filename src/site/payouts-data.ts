/**
 * Rewards page additions that read F1's richer marts:
 * - `loadLiabilityBalances`: `reward_liability` in its balances shape (one row per program and currency with
 *   held, approved-unpaid, paid, clawed-back and clawback-exposure balances and aging buckets), summed per program;
 * - `loadPayoutBatches`: `payout_batches`: the batches due and not yet exported (status 'scheduled'), soonest
 *   first, and the latest exported ones ('exported', or 'exported_differs' when the ledger changed after export).
 * Either mart may be absent or still in an older shape: the status says so and the page section says "no data yet".
 */
import type { Row, Warehouse } from '../warehouse/warehouse.js';
import { isoDay } from './cohorts-ltv-data.js';
import { exactNumber, martStatus, type MartStatus } from './mart.js';

export const AGING_BUCKETS = [
  'aging_0_30_minor',
  'aging_31_60_minor',
  'aging_61_90_minor',
  'aging_90_plus_minor',
] as const;
export const BALANCE_COLUMNS = [
  'held_minor',
  'approved_unpaid_minor',
  'paid_minor',
  'clawed_back_minor',
  'clawback_exposure_minor',
  ...AGING_BUCKETS,
] as const;
export const LIABILITY_BALANCES_COLUMNS = ['as_of', 'currency', 'program_id', ...BALANCE_COLUMNS] as const;
export const PAYOUT_BATCHES_COLUMNS = [
  'payout_batch_id',
  'payout_date',
  'program_id',
  'advocates',
  'amount_minor',
  'currency',
  'status',
] as const;

/** The most batches the page lists. */
export const BATCH_LIMIT = 24;

export type Balances = Record<(typeof BALANCE_COLUMNS)[number], number>;

export interface LiabilityBalancesData {
  generatedAt: string;
  status: MartStatus;
  currency: string | null;
  asOf: string | null;
  programs: ({ program_id: string } & Balances)[];
  total: Balances | null;
}

/** Reads `<schema>.reward_liability` in its balances shape, summed per program. */
export async function loadLiabilityBalances(
  wh: Warehouse,
  schema: string,
  options: { now?: Date } = {},
): Promise<LiabilityBalancesData> {
  const generatedAt = (options.now ?? new Date()).toISOString();
  const status = await martStatus(wh, schema, 'reward_liability', LIABILITY_BALANCES_COLUMNS);
  if (status.state !== 'ready') return { generatedAt, status, currency: null, asOf: null, programs: [], total: null };
  const d = wh.dialect;
  const rows = await wh.query<Row>(
    `select program_id, min(currency) as c_min, max(currency) as c_max, max(as_of) as as_of,
  ${BALANCE_COLUMNS.map((c) => `${d.cast(`sum(${c})`, 'int64')} as ${c}`).join(', ')}
from ${d.tableRef(schema, 'reward_liability')} group by 1 order by 1`,
  );
  const currencies = new Set(rows.flatMap((r) => [r['c_min'], r['c_max']]).map(String));
  if (currencies.size > 1) throw new Error(`reward_liability mixes currencies (${[...currencies].join(', ')})`);
  const where = 'reward_liability: summed balance';
  const programs = rows.map((r) => ({
    program_id: String(r['program_id']),
    ...(Object.fromEntries(BALANCE_COLUMNS.map((c) => [c, exactNumber(r[c], where)])) as Balances),
  }));
  const total = Object.fromEntries(BALANCE_COLUMNS.map((c) => [c, programs.reduce((s, p) => s + p[c], 0)])) as Balances;
  const asOf = rows.map((r) => r['as_of']).filter((v) => v != null);
  return {
    generatedAt,
    status,
    currency: [...currencies][0] ?? null,
    asOf: asOf.length ? asOf.map(isoDay).sort().at(-1)! : null,
    programs,
    total,
  };
}

export interface PayoutBatch {
  payout_batch_id: string;
  payout_date: string;
  program_id: string;
  advocates: number;
  amount_minor: number;
  status: string;
}

export interface PayoutBatchesData {
  generatedAt: string;
  status: MartStatus;
  currency: string | null;
  /** Batches due and not yet exported (status 'scheduled'), soonest first (at most BATCH_LIMIT). */
  upcoming: PayoutBatch[];
  /** The latest exported batches, newest first (at most BATCH_LIMIT). */
  recent: PayoutBatch[];
  /** Scheduled batches in total (the list may be cut to BATCH_LIMIT). */
  upcomingTotal: { batches: number; amount_minor: number };
  /** Per status over all batches. */
  byStatus: { status: string; batches: number; amount_minor: number }[];
}

/** Reads `<schema>.payout_batches`. */
export async function loadPayoutBatches(
  wh: Warehouse,
  schema: string,
  options: { now?: Date } = {},
): Promise<PayoutBatchesData> {
  const generatedAt = (options.now ?? new Date()).toISOString();
  const status = await martStatus(wh, schema, 'payout_batches', PAYOUT_BATCHES_COLUMNS);
  if (status.state !== 'ready')
    return {
      generatedAt,
      status,
      currency: null,
      upcoming: [],
      recent: [],
      upcomingTotal: { batches: 0, amount_minor: 0 },
      byStatus: [],
    };
  const d = wh.dialect;
  const ref = d.tableRef(schema, 'payout_batches');
  const int = (c: string) => `${d.cast(c, 'int64')} as ${c}`;
  const cols = `payout_batch_id, payout_date, program_id, ${int('advocates')}, ${int('amount_minor')}, status`;
  const [upcoming, recent, byStatus, meta] = await Promise.all([
    wh.query<Row>(
      `select ${cols} from ${ref} where status = 'scheduled' order by payout_date, program_id limit ${BATCH_LIMIT}`,
    ),
    wh.query<Row>(
      `select ${cols} from ${ref} where status <> 'scheduled' order by payout_date desc, program_id limit ${BATCH_LIMIT}`,
    ),
    wh.query<Row>(
      `select status, ${d.cast('count(*)', 'int64')} as batches, ${d.cast('sum(amount_minor)', 'int64')} as amount_minor
from ${ref} group by 1 order by 1`,
    ),
    wh.query<Row>(`select min(currency) as c_min, max(currency) as c_max from ${ref}`),
  ]);
  if (meta[0] && meta[0]['c_min'] !== meta[0]['c_max'])
    throw new Error(`payout_batches mixes currencies (${meta[0]['c_min']}, ${meta[0]['c_max']})`);
  const where = 'payout_batches: amount';
  const batch = (r: Row): PayoutBatch => ({
    payout_batch_id: String(r['payout_batch_id']),
    payout_date: isoDay(r['payout_date']),
    program_id: String(r['program_id']),
    advocates: exactNumber(r['advocates'], where),
    amount_minor: exactNumber(r['amount_minor'], where),
    status: String(r['status']),
  });
  const statuses = byStatus.map((r) => ({
    status: String(r['status']),
    batches: exactNumber(r['batches'], where),
    amount_minor: exactNumber(r['amount_minor'], where),
  }));
  return {
    generatedAt,
    status,
    currency: meta[0]?.['c_min'] == null ? null : String(meta[0]['c_min']),
    upcomingTotal: statuses.find((s) => s.status === 'scheduled') ?? { batches: 0, amount_minor: 0 },
    upcoming: upcoming.map(batch),
    recent: recent.map(batch),
    byStatus: statuses,
  };
}
