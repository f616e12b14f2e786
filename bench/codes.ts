/**
 * `npm run bench -- --codes [n]` (default 1,000,000): assigns referral codes to n eligible advocates in an
 * in-memory warehouse and reports the time, the candidates redrawn after a collision, and a check that the stored
 * codes are distinct. stg_customers and stg_orders are generated in SQL (one paid order per customer), and 1% of
 * the customers carry a source-system code, so adoption and the raw.customers collision set are exercised.
 */
import { performance } from 'node:perf_hooks';
import { parseConfig } from '../src/config.js';
import { DuckDBWarehouse } from '../src/warehouse/duckdb.js';
import { ensureLandingSchema } from '../ingest/landing-schema.js';
import { assignCodes } from '../activate/codes/assign.js';

export interface CodesBenchResult {
  advocates: number;
  seconds: number;
  generated: number;
  adopted: number;
  collisionsRedrawn: number;
  storedCodes: number;
  distinctCodes: number;
  peakRssMb: number;
}

export async function benchCodes(n: number): Promise<CodesBenchResult> {
  const wh = await DuckDBWarehouse.open({ path: ':memory:' });
  try {
    await ensureLandingSchema(wh);
    await wh.exec(`
create table main.stg_customers as
select 'C' || i as customer_id, 'friends' as program_id,
  case when i % 100 = 0 then 'SRC' || i else null end as referral_code
from range(${n}) t(i);
create table main.stg_orders as
select 'O' || i as order_id, 'C' || i as customer_id, 'paid' as status from range(${n}) t(i);
insert into raw.customers (customer_id, program_id, created_at, referral_code, _source, _batch_id, _row_number, _loaded_at)
select customer_id, program_id, timestamp '2025-01-01', referral_code, 'bench', 'bench', 1, timestamp '2025-01-01'
from main.stg_customers where referral_code is not null;`);
    const config = parseConfig({ programs: [{ id: 'friends', name: 'Friends' }] });
    const t0 = performance.now();
    const r = await assignCodes(wh, config, { secret: 'bench-secret' });
    const seconds = (performance.now() - t0) / 1000;
    const [check] = await wh.query<{ stored: number; distinct_codes: number }>(
      'select count(*) as stored, count(distinct code) as distinct_codes from main.referral_codes',
    );
    return {
      advocates: n,
      seconds,
      generated: r.generated,
      adopted: r.adopted,
      collisionsRedrawn: r.collisions,
      storedCodes: check!.stored,
      distinctCodes: check!.distinct_codes,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    await wh.close();
  }
}

/** Runs the codes bench for `--codes [n]`, prints the result and exits. */
export async function codesCli(argv: string[]): Promise<never> {
  const at = argv.indexOf('--codes');
  const raw = argv[at + 1];
  const n = raw && /^\d[\d_]*$/.test(raw) ? Number(raw.replaceAll('_', '')) : 1_000_000;
  const r = await benchCodes(n);
  process.stderr.write(
    `codes assign ${n.toLocaleString('en-US')} advocates: ${r.seconds.toFixed(2)} s, ${r.generated} generated, ` +
      `${r.adopted} adopted, ${r.collisionsRedrawn} candidates redrawn, ${r.storedCodes} stored / ${r.distinctCodes} ` +
      `distinct, peak ${r.peakRssMb} MB\n`,
  );
  process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
  process.exit(r.storedCodes === r.distinctCodes && r.storedCodes === n ? 0 : 1);
}
