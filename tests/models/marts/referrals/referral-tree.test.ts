import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../../../models/index.js';
import { REFERRAL_TREE_MAX_DEPTH } from '../../../../models/marts/referrals/referral-tree.js';
import { runModels } from '../../../../src/models/runner.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { land, memoryWarehouse, testConfig } from '../../../helpers/landing.js';

let wh: Warehouse;
const registry = () => defaultRegistry();
const run = () => runModels({ wh, config: testConfig(), registry: registry(), select: ['referral_tree'] });

beforeEach(async () => {
  wh = await memoryWarehouse();
});
afterEach(async () => {
  await wh.close();
});

/** A customer whose own code is its id, optionally referred by another customer's code. */
const customer = (id: string, created_at: string, referredBy?: string, program_id = 'friends') => ({
  customer_id: id,
  program_id,
  created_at,
  referral_code: id,
  referred_by_code: referredBy,
});

describe('referral_tree', () => {
  it('places a 3-level chain, a root, a 2-cycle with a branch below it, a self-referral and an unknown advocate', async () => {
    await land(wh, 'customers', [
      // A (not referred) -> B -> D -> G: generations 1, 2, 3, all rooted at A. E (not referred) -> H.
      customer('A', '2025-01-01'),
      customer('B', '2025-01-15', 'A'),
      customer('D', '2025-02-04', 'B'),
      customer('G', '2025-02-20T12:00:00Z', 'D'),
      customer('E', '2025-02-10'),
      customer('H', '2025-02-25', 'E'),
      // A ring: X referred by Y and Y by X; Z referred by Y sits below the ring.
      customer('X', '2025-03-01', 'Y'),
      customer('Y', '2025-03-02', 'X'),
      customer('Z', '2025-03-03', 'Y'),
      // F used its own code.
      customer('F', '2025-02-12', 'F'),
      // U used a code nobody owns: no edge into U, so U is a root of its own referral of V.
      customer('U', '2025-04-01', 'NOPE'),
      customer('V', '2025-04-02', 'U'),
    ]);
    await land(wh, 'orders', [
      {
        order_id: 'O1',
        customer_id: 'D',
        ordered_at: '2025-02-06T00:00:00Z',
        currency: 'USD',
        gross_minor: 1000,
        discount_minor: 0,
        tax_minor: 0,
        refunded_minor: 0,
        status: 'paid',
      },
    ]);
    await run();
    const rows = await wh.query(`
      select program_id, advocate_id, referee_id, generation, root_advocate_id,
        strftime(signed_up_at, '%Y-%m-%d') as signed_up, strftime(converted_at, '%Y-%m-%d') as converted,
        in_cycle, depth_capped
      from referral_tree order by referee_id`);
    const row = (
      advocate_id: string,
      referee_id: string,
      generation: number | null,
      root_advocate_id: string | null,
      signed_up: string,
      in_cycle = false,
      converted: string | null = null,
    ) => ({
      program_id: 'friends',
      advocate_id,
      referee_id,
      generation,
      root_advocate_id,
      signed_up,
      converted,
      in_cycle,
      depth_capped: false,
    });
    expect(rows).toEqual([
      row('A', 'B', 1, 'A', '2025-01-15'),
      row('B', 'D', 2, 'A', '2025-02-04', false, '2025-02-06'),
      row('F', 'F', null, null, '2025-02-12', true), // self-referral: a ring of one
      row('D', 'G', 3, 'A', '2025-02-20'),
      row('E', 'H', 1, 'E', '2025-02-25'),
      row('U', 'V', 1, 'U', '2025-04-02'),
      row('Y', 'X', null, null, '2025-03-01', true), // X <- Y <- X: loops
      row('X', 'Y', null, null, '2025-03-02', true), // Y <- X <- Y: loops
      row('Y', 'Z', null, null, '2025-03-03', true), // Z <- Y <- X <- Y: loops above Z
    ]);
  });

  it('keeps programs apart: the same ids in another program form a separate tree', async () => {
    await land(wh, 'customers', [
      customer('A', '2025-01-01'),
      customer('B', '2025-01-02', 'A'),
      customer('P1', '2025-01-01', undefined, 'partners'),
      customer('P2', '2025-01-02', 'P1', 'partners'),
      customer('P3', '2025-01-03', 'P2', 'partners'),
    ]);
    await run();
    const rows = await wh.query(
      `select program_id, referee_id, generation, root_advocate_id from referral_tree order by program_id, referee_id`,
    );
    expect(rows).toEqual([
      { program_id: 'friends', referee_id: 'B', generation: 1, root_advocate_id: 'A' },
      { program_id: 'partners', referee_id: 'P2', generation: 1, root_advocate_id: 'P1' },
      { program_id: 'partners', referee_id: 'P3', generation: 2, root_advocate_id: 'P1' },
    ]);
  });

  it(`stops walking after ${REFERRAL_TREE_MAX_DEPTH} advocates and flags depth_capped`, async () => {
    // A chain C0 -> C1 -> ... -> C101. Edge C(k) -> C(k+1) has generation k + 1: C99 -> C100 is generation
    // 100 (the cap, still rooted); C100 -> C101 would be generation 101 and is capped.
    const id = (k: number) => `C${String(k).padStart(3, '0')}`;
    await land(
      wh,
      'customers',
      Array.from({ length: 102 }, (_, k) => customer(id(k), '2025-01-01', k === 0 ? undefined : id(k - 1))),
    );
    await run();
    const rows = await wh.query(
      `select referee_id, generation, root_advocate_id, in_cycle, depth_capped from referral_tree
       where referee_id in ('C001', 'C100', 'C101') order by referee_id`,
    );
    expect(rows).toEqual([
      { referee_id: 'C001', generation: 1, root_advocate_id: 'C000', in_cycle: false, depth_capped: false },
      { referee_id: 'C100', generation: 100, root_advocate_id: 'C000', in_cycle: false, depth_capped: false },
      { referee_id: 'C101', generation: null, root_advocate_id: null, in_cycle: false, depth_capped: true },
    ]);
  });
});
