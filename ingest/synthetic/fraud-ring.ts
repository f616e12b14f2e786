/**
 * The planted fraud ring: a few advocate accounts self-referring through accounts that share one device,
 * one sign-up IP and one payment fingerprint, including a burst of sign-ups under one code in one day.
 * The ring holds the last sign-up positions (idx regular .. customers-1); its ids are scattered among the
 * others by the id permutation, and `syntheticFraudRing` lists them for fraud backtests.
 */
import { customerId } from './ids.js';
import { runContext, type RunContext, type SyntheticOptions } from './options.js';
import { SYNTHETIC_TRUTHS } from './params.js';

const DAY = 86_400;
const RING = SYNTHETIC_TRUTHS.fraudRing;

export interface RingMember {
  /** Sign-up position (customer idx). */
  idx: number;
  role: 'advocate' | 'referee';
  /** The ring advocate's index (0-based) this member belongs to. */
  group: number;
  /** The idx of the member's ring advocate (itself for an advocate). */
  advocateIdx: number;
  createdSec: number;
}

/** Accounts in the ring: advocates plus their referees. */
export const FRAUD_RING_SIZE = RING.advocates.reduce((s, a) => s + 1 + a.referees, 0);

/** The ring's members with their sign-up times, in idx order (each advocate, then its referees). */
export function fraudRingMembers(ctx: RunContext): RingMember[] {
  const out: RingMember[] = [];
  let idx = ctx.regular;
  RING.advocates.forEach((spec, group) => {
    const firstReferee = ctx.startSec + Math.floor(spec.atFraction * ctx.days) * DAY + RING.firstSignupHourUtc * 3600;
    const advocateIdx = idx;
    const advocateCreated = Math.max(ctx.startSec + group * 3600, firstReferee - RING.advocateLeadDays * DAY);
    out.push({ idx: idx++, role: 'advocate', group, advocateIdx, createdSec: advocateCreated });
    for (let j = 0; j < spec.referees; j++) {
      const createdSec = Math.min(firstReferee + j * spec.spacingSeconds, ctx.endSec - 7200 + j);
      out.push({ idx: idx++, role: 'referee', group, advocateIdx, createdSec });
    }
  });
  return out;
}

/**
 * The fraud ring's customer ids for a set of options, without touching a warehouse: the ground truth a
 * fraud backtest scores against.
 * @example syntheticFraudRing({ customers: 20000, seed: 42, start: '2025-01-01', months: 18, programs }).refereeIds.length // 45
 */
export function syntheticFraudRing(options: SyntheticOptions): {
  advocateIds: string[];
  refereeIds: string[];
  burstAdvocateId: string;
} {
  const ctx = runContext(options, FRAUD_RING_SIZE);
  const members = fraudRingMembers(ctx);
  const id = (m: RingMember) => customerId(m.idx, ctx.options.customers);
  return {
    advocateIds: members.filter((m) => m.role === 'advocate').map(id),
    refereeIds: members.filter((m) => m.role === 'referee').map(id),
    burstAdvocateId: id(members[0]!),
  };
}

/** SQL VALUES rows (idx, role, grp, advocate_idx, created_sec) for joining ring members into generation. */
export function fraudRingValuesSql(ctx: RunContext): string {
  const rows = fraudRingMembers(ctx).map(
    (m) => `(${m.idx}, '${m.role}', ${m.group}, ${m.advocateIdx}, ${m.createdSec})`,
  );
  return `(values ${rows.join(', ')}) as ring(idx, role, grp, advocate_idx, created_sec)`;
}
