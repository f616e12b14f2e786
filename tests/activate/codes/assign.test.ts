import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RefstackConfig } from '../../../src/config.js';
import { runModels } from '../../../src/models/runner.js';
import type { Warehouse } from '../../../src/warehouse/warehouse.js';
import { defaultRegistry } from '../../../models/index.js';
import { assignCodes } from '../../../activate/codes/assign.js';
import {
  CODE_ALPHABET,
  candidateCode,
  codeFromBytes,
  referralLink,
  shareLinks,
} from '../../../activate/codes/generate.js';
import { land, memoryWarehouse, testConfig } from '../../helpers/landing.js';

/*
 * Customers: C1, C2, C3 have paid orders; C4's only order is unpaid (not eligible); C5 has no order; C3 already
 * carries the source code SRC3 (adopted); C6 (program "partners") has a refunded and a paid order.
 */
let wh: Warehouse;
const order = (id: string, customer: string, status: string, program = 'friends') => ({
  order_id: id,
  customer_id: customer,
  program_id: program,
  ordered_at: '2025-03-01T10:00:00Z',
  currency: 'USD',
  gross_minor: 1000,
  discount_minor: 0,
  tax_minor: 0,
  refunded_minor: status === 'refunded' ? 1000 : 0,
  status,
});
const config = (codes: Record<string, unknown> = {}): RefstackConfig =>
  ({
    ...testConfig({
      programs: [
        { id: 'friends', name: 'Friends' },
        { id: 'partners', name: 'Partners' },
      ],
    }),
    activation: { codes: { linkBase: 'https://shop.test/invite', ...codes } },
  }) as RefstackConfig;
const codes = () =>
  wh.query<{ customer_id: string; program_id: string; code: string; link: string; links: string; origin: string }>(
    'select customer_id, program_id, code, link, links, origin, attempts from main.referral_codes order by customer_id',
  );

beforeEach(async () => {
  wh = await memoryWarehouse();
  await land(wh, 'customers', [
    { customer_id: 'C1', created_at: '2025-01-01' },
    { customer_id: 'C2', created_at: '2025-01-02' },
    { customer_id: 'C3', created_at: '2025-01-03', referral_code: 'src3' },
    { customer_id: 'C4', created_at: '2025-01-04' },
    { customer_id: 'C5', created_at: '2025-01-05' },
    { customer_id: 'C6', created_at: '2025-01-06', program_id: 'partners' },
  ]);
  await land(wh, 'orders', [
    order('O1', 'C1', 'paid'),
    order('O2', 'C2', 'partially_refunded'),
    order('O3', 'C3', 'paid'),
    order('O4', 'C4', 'unpaid'),
    order('O6a', 'C6', 'refunded', 'partners'),
    order('O6b', 'C6', 'paid', 'partners'),
  ]);
  await runModels({ wh, config: config(), registry: defaultRegistry(), select: ['stg_customers', 'stg_orders'] });
});
afterEach(async () => {
  await wh.close();
});

describe('codeFromBytes', () => {
  it('maps 5-bit groups onto the 32-symbol alphabet without I, L, O, U', () => {
    expect(CODE_ALPHABET).toHaveLength(32);
    expect(CODE_ALPHABET).not.toMatch(/[ILOU]/);
    expect(codeFromBytes(Buffer.from([0, 0, 0, 0, 0]), 8)).toBe('00000000');
    expect(codeFromBytes(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff]), 8)).toBe('ZZZZZZZZ');
    // 0x08 0x86 0x42 = 00001 00010 00011 00100 0010(0): symbols 1, 2, 3, 4, 4 by hand.
    expect(codeFromBytes(Buffer.from([0x08, 0x86, 0x42]), 4)).toBe('1234');
  });
  it('is keyed: the same customer under another secret gets another code', () => {
    expect(candidateCode('s1', 'friends', 'C1', 0, 8)).toBe(candidateCode('s1', 'friends', 'C1', 0, 8));
    expect(candidateCode('s1', 'friends', 'C1', 0, 8)).not.toBe(candidateCode('s2', 'friends', 'C1', 0, 8));
    expect(candidateCode('s1', 'friends', 'C1', 0, 8)).not.toBe(candidateCode('s1', 'friends', 'C1', 1, 8));
  });
});

describe('assignCodes', () => {
  it('gives each eligible advocate one unique code and links; reruns change nothing', async () => {
    const first = await assignCodes(wh, config(), { secret: 'test-secret' });
    expect(first).toEqual({ eligible: 4, alreadyAssigned: 0, generated: 3, adopted: 1, collisions: 0 });
    const rows = await codes();
    expect(rows.map((r) => [r.customer_id, r.program_id, r.origin])).toEqual([
      ['C1', 'friends', 'generated'],
      ['C2', 'friends', 'generated'],
      ['C3', 'friends', 'adopted'],
      ['C6', 'partners', 'generated'],
    ]);
    expect(rows[2]!.code).toBe('SRC3');
    for (const r of rows.filter((r) => r.origin === 'generated')) {
      expect(r.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
      expect(r.code).toBe(candidateCode('test-secret', r.program_id, r.customer_id, 0, 8));
    }
    expect(new Set(rows.map((r) => r.code)).size).toBe(4);
    const c1 = rows[0]!;
    expect(c1.link).toBe(`https://shop.test/invite?ref=${c1.code}`);
    expect(JSON.parse(c1.links)).toEqual({
      email: `https://shop.test/invite?ref=${c1.code}&utm_source=email&utm_medium=referral&utm_campaign=friends`,
      whatsapp: `https://shop.test/invite?ref=${c1.code}&utm_source=whatsapp&utm_medium=referral&utm_campaign=friends`,
      instagram: `https://shop.test/invite?ref=${c1.code}&utm_source=instagram&utm_medium=referral&utm_campaign=friends`,
      x: `https://shop.test/invite?ref=${c1.code}&utm_source=x&utm_medium=referral&utm_campaign=friends`,
      linkedin: `https://shop.test/invite?ref=${c1.code}&utm_source=linkedin&utm_medium=referral&utm_campaign=friends`,
      copy_link: `https://shop.test/invite?ref=${c1.code}&utm_source=copy_link&utm_medium=referral&utm_campaign=friends`,
    });

    // A rerun under another secret (and a changed link base) keeps every code and adds no row.
    const again = await assignCodes(wh, config({ linkBase: 'https://other.test/' }), { secret: 'another' });
    expect(again).toEqual({ eligible: 4, alreadyAssigned: 4, generated: 0, adopted: 0, collisions: 0 });
    expect(await codes()).toEqual(rows);
  });

  it('assigns a newly eligible advocate later without touching the others', async () => {
    await assignCodes(wh, config(), { secret: 'k' });
    const before = await codes();
    await land(wh, 'orders', [order('O5', 'C5', 'paid')], 'batch-2');
    await runModels({ wh, config: config(), registry: defaultRegistry(), select: ['stg_customers', 'stg_orders'] });
    const r = await assignCodes(wh, config(), { secret: 'k', programId: 'friends' });
    expect(r).toEqual({ eligible: 4, alreadyAssigned: 3, generated: 1, adopted: 0, collisions: 0 });
    const after = await codes();
    expect(after.filter((a) => a.customer_id !== 'C5')).toEqual(before);
    expect(after.find((a) => a.customer_id === 'C5')!.program_id).toBe('friends');
    await expect(assignCodes(wh, config(), { programId: 'nope' })).rejects.toThrow(
      'codes assign --program: unknown program "nope" (config programs: friends, partners)',
    );
  });

  it('also gives a code to an advocate who referred someone but has no paid order (their source code is live)', async () => {
    // C7 has no order but its code SRC7 brought in C8 (referred_by_code); C9 referred itself only (self-referral).
    await land(
      wh,
      'customers',
      [
        { customer_id: 'C7', created_at: '2025-02-01', referral_code: 'SRC7' },
        { customer_id: 'C8', created_at: '2025-02-02', referred_by_code: 'SRC7' },
        { customer_id: 'C9', created_at: '2025-02-03', referral_code: 'SRC9', referred_by_code: 'SRC9' },
      ],
      'batch-2',
    );
    await runModels({
      wh,
      config: config(),
      registry: defaultRegistry(),
      select: ['stg_customers', 'stg_orders', 'stg_referrals'],
    });
    // Eligible: C1, C2, C3, C6 by paid orders (as in the first test) + C7 as an active advocate = 5.
    expect(await assignCodes(wh, config(), { secret: 'k' })).toEqual({
      eligible: 5,
      alreadyAssigned: 0,
      generated: 3,
      adopted: 2,
      collisions: 0,
    });
    const rows = await codes();
    expect(rows.map((r) => [r.customer_id, r.origin])).toEqual([
      ['C1', 'generated'],
      ['C2', 'generated'],
      ['C3', 'adopted'],
      ['C6', 'generated'],
      ['C7', 'adopted'],
    ]);
    expect(rows[4]!.code).toBe('SRC7');
  });

  it('redraws on a collision with an assigned code or a source code, and never reuses either', async () => {
    // Scripted candidates: C1 draws "SRC3" (a raw.customers code) then "AAAA2222"; C2 draws "AAAA2222" (just
    // taken by C1) then "BBBB3333"; C3 (source code not adopted) draws "DDDD5555"; C6 draws "CCCC4444".
    const script: Record<string, string[]> = {
      C1: ['SRC3', 'AAAA2222'],
      C2: ['AAAA2222', 'BBBB3333'],
      C3: ['DDDD5555'],
      C6: ['CCCC4444'],
    };
    const draw = (_s: string | undefined, _p: string, customer: string, attempt: number) => script[customer]![attempt]!;
    const r = await assignCodes(wh, config({ adoptSourceCodes: false }), { draw });
    expect(r).toEqual({ eligible: 4, alreadyAssigned: 0, generated: 4, adopted: 0, collisions: 2 });
    const rows = await codes();
    expect(rows.map((x) => [x.customer_id, x.code, (x as unknown as { attempts: number }).attempts])).toEqual([
      ['C1', 'AAAA2222', 2],
      ['C2', 'BBBB3333', 2],
      ['C3', 'DDDD5555', 1],
      ['C6', 'CCCC4444', 1],
    ]);
  });

  it('fails naming the advocate when every candidate is taken, and writes nothing', async () => {
    const draw = () => 'SRC3';
    await expect(assignCodes(wh, config({ adoptSourceCodes: false }), { draw })).rejects.toThrow(
      /customer C1 \(program friends\): 20 candidate codes of 8 symbols were all taken/,
    );
    expect(await codes()).toEqual([]);
  });
});

describe('links', () => {
  it('keep the base query and fragment, replace an existing ref, and encode values', () => {
    expect(referralLink('https://shop.test/join?lang=de&ref=OLD#top', 'AB12CD34')).toBe(
      'https://shop.test/join?lang=de&ref=AB12CD34#top',
    );
    expect(
      shareLinks('AB12CD34', 'friends', {
        linkBase: 'https://shop.test/',
        utmMedium: 'word of mouth',
        channels: ['x'],
      }),
    ).toEqual({ x: 'https://shop.test/?ref=AB12CD34&utm_source=x&utm_medium=word%20of%20mouth&utm_campaign=friends' });
  });
});
