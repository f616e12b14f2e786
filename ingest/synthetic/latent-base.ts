/**
 * Stage 1: the per-customer base latent table `_syn_c0`, one row per customer in sign-up order (idx). It holds
 * everything that does not depend on who referred whom: sign-up time, region/program, identity (emails,
 * devices, IPs, payment fingerprint), NPS class, advocate propensity and share intensity, referral intent,
 * dark social, and the experiment arms of advocates.
 */
import { customerIdSql, customerNumberSql, referralCodeSql } from './ids.js';
import { fraudRingValuesSql } from './fraud-ring.js';
import { SYNTHETIC_TRUTHS as X } from './params.js';
import { countrySql, currencySql, programKindSql, programSql, regionSql } from './programs.js';
import { caseOf, categorical, type Rng } from './sql.js';
import { createScratch, indexTable, type Gen } from './stage.js';

const FIRST_NAMES = [
  'Ada',
  'Ben',
  'Cleo',
  'Dev',
  'Elin',
  'Farid',
  'Grace',
  'Hugo',
  'Ines',
  'Jonas',
  'Kai',
  'Lena',
  'Mateo',
  'Nora',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sven',
  'Tara',
  'Umar',
  'Vera',
  'Wei',
  'Ximena',
  'Yusuf',
  'Zoe',
];
const LAST_NAMES = [
  'Andersen',
  'Baker',
  'Chen',
  'Dubois',
  'Eriksson',
  'Fischer',
  'Garcia',
  'Hansen',
  'Ito',
  'Jensen',
  'Kowalski',
  'Lopez',
  'Martin',
  'Nakamura',
  'Okafor',
  'Patel',
  'Rossi',
  'Smith',
  'Tanaka',
  'Virtanen',
  'Weber',
  'Young',
];

const listPick = (values: string[], u: string): string =>
  `([${values.map((v) => `'${v}'`).join(', ')}])[1 + cast(floor(${u} * ${values.length}) as integer)]`;

/** SQL: an IP in a documentation range: IPv6 2001:db8::/32 or IPv4 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24. */
export function docIpSql(rng: Rng, keys: string[], salt: string): string {
  const u = (s: string) => rng.u(keys, `${salt}.${s}`);
  const hex = (s: string) => `printf('%x', cast(floor(${u(s)} * 65536) as integer))`;
  const nets = X.identity.ipv4Networks;
  const v4 = categorical(rng.d, u('net'), Object.fromEntries(nets.map((n) => [n, 1 / nets.length])));
  return `(case when ${u('v6')} < ${X.identity.ipv6Share}
    then '2001:db8:' || ${hex('g1')} || ':' || ${hex('g2')} || '::' || ${hex('g3')}
    else ${v4} || '.' || cast(1 + floor(${u('host')} * 254) as integer) end)`;
}

/**
 * SQL: a 16-hex-digit (64-bit) id with a prefix, from the seed, the row key and a salt: two 32-bit halves of
 * hash uniforms (about ten times cheaper than md5; 12M ids collide with probability ~4e-6).
 */
export const hexIdSql = (g: Gen, prefix: string, keys: string[], salt: string): string => {
  const half = (s: string) => `printf('%08x', cast(floor(${g.rng.u(keys, `${salt}.${s}`)} * 4294967296) as bigint))`;
  return `'${prefix}' || ${half('hi')} || ${half('lo')}`;
};

export async function buildBaseLatent(g: Gen): Promise<void> {
  const { d, rng, run, plan } = g;
  const n = run.options.customers;
  const u = (salt: string) => rng.u(['idx'], salt);
  const [w1s, w1e] = run.rewardWindow;
  const [w2s, w2e] = run.doubleSidedWindow;
  const ringDevice = hexIdSql(g, 'd_', [], 'fraud-ring-device');
  const ringPayment = hexIdSql(g, 'pm_', [], 'fraud-ring-payment');
  const sharerProbability = Object.fromEntries(Object.entries(X.sharerProbability).map(([k, v]) => [k, String(v)]));
  const referredShare = Object.fromEntries(Object.entries(X.referredShare).map(([k, v]) => [k, String(v)]));
  const arm = (variants: readonly [string, string], salt: string) =>
    `(case when ${u(salt)} < ${X.experiments.treatmentShare} then '${variants[1]}' else '${variants[0]}' end)`;
  const exp = X.experiments;

  await createScratch(
    g,
    'c0',
    `with b as (
  select t.i as idx, ring.role as ring_role, ring.grp as ring_grp, ring.advocate_idx as ring_adv_idx, ring.created_sec as ring_created_sec
  from ${await indexTable(g, 'customer_idx', n)} t left join ${fraudRingValuesSql(run)} on ring.idx = t.i
), b1 as (
  select *,
    coalesce(ring_created_sec, ${run.startSec} + cast(floor((idx + ${u('created')}) / ${run.regular} * ${run.endSec - run.startSec}) as bigint)) as created_sec,
    case when ring_role is null then ${regionSql(d, plan, u('region'))} else '${plan.ring.region}' end as region,
    ${customerNumberSql('idx', n)} as cnum
  from b
), b2 as (
  select *,
    case when ring_role is null then ${programSql(d, plan, 'region', u('program'))} else '${plan.ring.programId}' end as program_id,
    ${countrySql(d, 'region', u('country'))} as country,
    ${currencySql(d, 'region')} as currency,
    case when ring_role is null then ${categorical(d, u('nps'), X.nps.classMix)} else 'passive' end as nps_class,
    ${listPick(FIRST_NAMES, u('first-name'))} as first_name,
    ${listPick(LAST_NAMES, u('last-name'))} as last_name
  from b1
), b3 as (
  select *,
    ${programKindSql(d, plan, 'program_id')} as program_kind,
    ring_role is null and ${u('sharer')} < ${caseOf(d, 'nps_class', sharerProbability, '0')} as sharer,
    ring_role is null and ${u('dark-social')} < ${X.darkSocial.share} as dark_social,
    case when ring_role is null and ${u('two-devices')} < ${X.identity.twoDeviceShare} then 2 else 1 end as n_dev
  from b2
), b4 as (
  select *,
    ring_role is null and ${u('referred')} < ${caseOf(d, 'program_kind', referredShare, '0')} as ref_intent,
    case when ring_role = 'referee' then 'referral' when ring_role = 'advocate' then 'paid_social'
      when dark_social then ${categorical(d, u('acquisition'), X.darkSocial.acquisitionMix)}
      else ${categorical(d, u('acquisition'), X.acquisitionMix)} end as base_channel,
    case when sharer and created_sec < ${w1e} then ${arm(exp.rewardAmount.variants, 'arm-reward')} end as arm1,
    case when sharer and created_sec < ${w2e} then ${arm(exp.doubleSided.variants, 'arm-double-sided')} end as arm2
  from b3
)
select
  idx, ring_role, ring_grp, ring_adv_idx, created_sec, region, country, currency, program_id, program_kind, cnum,
  ${customerIdSql('idx', n)} as customer_id,
  ${referralCodeSql('cnum', run.options.seed)} as referral_code,
  nps_class, sharer, ${rng.exp(['idx'], 'share-intensity')} as share_w, ref_intent, dark_social, base_channel,
  first_name || ' ' || last_name as full_name,
  lower(first_name) || '.' || lower(last_name) || cnum || '@example.com' as email,
  n_dev,
  ${hexIdSql(g, 'a_', ['idx'], 'anon1')} as anon1,
  case when n_dev = 2 then ${hexIdSql(g, 'a_', ['idx'], 'anon2')} end as anon2,
  case when ring_role is null then ${hexIdSql(g, 'd_', ['idx'], 'device1')} else ${ringDevice} end as dev1,
  case when n_dev = 2 then ${hexIdSql(g, 'd_', ['idx'], 'device2')} end as dev2,
  case when ring_role is null then ${docIpSql(rng, ['idx'], 'ip1')} else '${X.fraudRing.sharedIp}' end as ip1,
  case when n_dev = 2 then ${docIpSql(rng, ['idx'], 'ip2')} end as ip2,
  case when ring_role is null then ${hexIdSql(g, 'pm_', ['idx'], 'payment')} else ${ringPayment} end as payment_fp,
  arm1, case when arm1 is not null then greatest(${w1s}, created_sec) end as exp1_at,
  arm1 is not null and ${u('dup-reward')} < ${exp.doubleAssignedShare} as dup1,
  arm2, case when arm2 is not null then greatest(${w2s}, created_sec) end as exp2_at,
  arm2 is not null and ${u('dup-double-sided')} < ${exp.doubleAssignedShare} as dup2
from b4`,
  );
}
