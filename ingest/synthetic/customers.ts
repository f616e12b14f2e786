/**
 * raw.customers: one row per customer, `_row_number` = sign-up position + 1. Every customer has a referral
 * code; referred customers (and the ring's referees) carry their advocate's code in referred_by_code.
 */
import { insertLanding, ts } from './sql.js';
import type { Gen } from './stage.js';

export async function insertCustomers(g: Gen): Promise<void> {
  g.rows.customers += await insertLanding(
    g.wh,
    g.run,
    'customers',
    {
      customer_id: 'customer_id',
      program_id: 'program_id',
      email: 'email',
      full_name: 'full_name',
      created_at: ts('created_sec'),
      country: 'country',
      region: 'region',
      referral_code: 'referral_code',
      referred_by_code: 'referred_by_code',
      signup_ip: 'ip1',
      signup_device_id: 'dev1',
    },
    'idx + 1',
    '_syn_cust',
  );
}
