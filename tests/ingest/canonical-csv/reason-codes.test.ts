import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCanonicalCsv } from '../../../ingest/canonical-csv/index.js';
import { REASON_CODES } from '../../../ingest/quarantine.js';
import { NOW, scratch, TWO_PROGRAMS, type Scratch } from './helpers.js';

const ORDERS = `order_id,customer_id,program_id,ordered_at,currency,gross_amount,discount_amount,tax_amount,refunded_amount,status
O-1,C-1,raf,2025-01-01,USD,10.00,0,0,0,paid
O-1,C-2,raf,2025-01-02,USD,5.00,0,0,0,paid
O-3,C-3,raf,2025-01-03,USD,10.00,0,0,0
O-4,,raf,2025-01-04,USD,10.00,0,0,0,paid
O-5,C-5,affiliates,2025-01-05,USD,10.00,0,0,0,paid
O-6,C-6,raf,2025-02-30,USD,10.00,0,0,0,paid
O-7,C-7,raf,2025-01-07,XYZ,12.345,0,0,0,paid
O-8,C-8,raf,2025-01-08,USD,12.345,0,0,0,paid
O-9,C-9,raf,2025-01-09,USD,"1,234.00",0,0,0,paid
O-10,C-10,raf,2025-01-10,USD,10.00,0,0,0,shipped
O-11,C-11,raf,2025-01-11,USD,10.00,12.00,0,0,paid
O-12,C-12,raf,2025-01-12,USD,10.00,2.00,1.00,9.01,refunded
O-13,C-13,raf,2025-01-13,JPY,1000.00,0,0,0,paid
O-14,,raf,2025-13-01,EUR,-5,0,0,0,lost
O-15,C-15,raf,2025-01-15T10:00:00,USD,10.00,0,0,0,paid
O-16,C-16,raf,2025-01-16,USD,10.00,0,0,-1.00,paid
`;

const SURVEYS = `response_id,program_id,survey_id,submitted_at,nps_score
S-1,raf,q1,2025-01-01,9.5
S-2,raf,q1,2025-01-01,11
S-3,raf,q1,2025-01-01,0
`;

const SUPPORT = `interaction_id,program_id,customer_id,occurred_at,channel,satisfaction,resolved
I-1,raf,C-1,2025-01-01,chat,5,maybe
I-2,raf,C-1,2025-01-01,fax,0,yes
I-3,partners,C-1,2025-01-01, Phone ,1,N
`;

const ASSIGNMENTS = `experiment_id,program_id,variant,unit_id,unit_type,assigned_at
E-1,raf,a,C-1,advocate,2025-01-01
E-1,raf,b,C-1,advocate,2025-01-02
E-2,raf,a,C-1,advocate,2025-01-02
`;

const FX_RATES = `rate_date,currency,reporting_currency,rate
2025-01-01,EUR,USD,1.0352
2025/01/02,EUR,USD,1.04
2025-01-03,EUR,USD,"1,04"
`;

describe('canonical CSV reason codes', () => {
  let s: Scratch;
  const messages = new Map<string, string>();
  const reasons = new Map<string, string>();
  beforeAll(async () => {
    s = await scratch();
    for (const [name, content] of [
      ['orders.csv', ORDERS],
      ['survey_responses.csv', SURVEYS],
      ['support_interactions.csv', SUPPORT],
      ['experiment_assignments.csv', ASSIGNMENTS],
      ['fx_rates.csv', FX_RATES],
    ] as const) {
      await loadCanonicalCsv(s.wh, { file: s.write(name, content), config: TWO_PROGRAMS, now: NOW });
    }
    for (const r of await s.rows('select _source, _row_number, reason_code, message from raw.quarantine')) {
      const key = `${String(r['_source']).replace('canonical-csv:', '')}#${String(r['_row_number'])}`;
      messages.set(key, String(r['message']));
      reasons.set(key, String(r['reason_code']));
    }
  });
  afterAll(async () => {
    await s.close();
  });

  it.each([
    ['orders.csv#2', 'duplicate_key', 'orders.csv row 2: column order_id: "O-1" repeats the key of row 1'],
    ['orders.csv#3', 'malformed_row', 'orders.csv row 3: has 9 fields, expected 10 (as many as the header)'],
    ['orders.csv#4', 'missing_value', 'orders.csv row 4: column customer_id: missing value'],
    [
      'orders.csv#5',
      'unknown_program',
      'orders.csv row 5: column program_id: "affiliates" is not a program in the config (known: raf, partners)',
    ],
    [
      'orders.csv#6',
      'invalid_timestamp',
      'orders.csv row 6: column ordered_at: "2025-02-30" is not a real date (February 2025 has 28 days)',
    ],
    // With no usable currency the amount's decimals cannot be judged, so only the currency is reported.
    [
      'orders.csv#7',
      'invalid_currency',
      'orders.csv row 7: column currency: "XYZ" is not an ISO 4217 currency code with a minor unit (like USD, EUR, JPY)',
    ],
    [
      'orders.csv#8',
      'invalid_amount',
      'orders.csv row 8: column gross_amount: "12.345" has 3 decimals; USD allows at most 2 decimals',
    ],
    [
      'orders.csv#9',
      'invalid_amount',
      'orders.csv row 9: column gross_amount: "1,234.00" is not a decimal number (expected digits with an optional "." and no thousands separator, like "1234.50")',
    ],
    [
      'orders.csv#10',
      'invalid_enum',
      'orders.csv row 10: column status: "shipped" is not one of paid, refunded, partially_refunded, chargeback, unpaid, canceled',
    ],
    [
      'orders.csv#11',
      'inconsistent_amounts',
      'orders.csv row 11: column discount_amount: 12.00 exceeds gross_amount 10.00',
    ],
    // Paid at most 10.00 - 2.00 + 1.00 = 9.00, and 9.01 was refunded.
    [
      'orders.csv#12',
      'inconsistent_amounts',
      'orders.csv row 12: column refunded_amount: 9.01 exceeds gross_amount - discount_amount + tax_amount = 9.00',
    ],
    // Several problems: quarantined once, under the first one's code, with all of them in the message.
    [
      'orders.csv#14',
      'missing_value',
      'orders.csv row 14: column customer_id: missing value; ' +
        'column ordered_at: "2025-13-01" is not a real date (month 13 does not exist); ' +
        'column gross_amount: "-5" is negative; ' +
        'column status: "lost" is not one of paid, refunded, partially_refunded, chargeback, unpaid, canceled',
    ],
    [
      'orders.csv#15',
      'invalid_timestamp',
      'orders.csv row 15: column ordered_at: "2025-01-15T10:00:00" has no time zone (add Z or an offset like +01:00, or write "2025-01-15 10:00:00" to mean UTC)',
    ],
    ['orders.csv#16', 'negative_amount', 'orders.csv row 16: column refunded_amount: "-1.00" is negative'],
    [
      'survey_responses.csv#1',
      'invalid_number',
      'survey_responses.csv row 1: column nps_score: "9.5" is not a whole number',
    ],
    [
      'survey_responses.csv#2',
      'out_of_range',
      'survey_responses.csv row 2: column nps_score: "11" is out of range (expected 0 to 10)',
    ],
    [
      'support_interactions.csv#1',
      'invalid_boolean',
      'support_interactions.csv row 1: column resolved: "maybe" is not a boolean (expected true/false, yes/no or 1/0)',
    ],
    [
      'support_interactions.csv#2',
      'invalid_enum',
      'support_interactions.csv row 2: column channel: "fax" is not one of chat, email, phone; ' +
        'column satisfaction: "0" is out of range (expected 1 to 5)',
    ],
    [
      'experiment_assignments.csv#2',
      'duplicate_key',
      'experiment_assignments.csv row 2: columns experiment_id, unit_id: "E-1", "C-1" repeats the key of row 1',
    ],
    [
      'fx_rates.csv#2',
      'invalid_date',
      'fx_rates.csv row 2: column rate_date: "2025/01/02" is not a date (expected YYYY-MM-DD)',
    ],
    [
      'fx_rates.csv#3',
      'invalid_decimal',
      'fx_rates.csv row 3: column rate: "1,04" is not a positive decimal (expected digits with an optional "." and up to 18 decimals, like 1.0825)',
    ],
  ])('%s is %s', (key, reason, message) => {
    expect(reasons.get(key)).toBe(reason);
    expect(messages.get(key)).toBe(message);
  });

  it('quarantines exactly the rows above and loads the rest', async () => {
    // orders: rows 1 and 13 valid ("1000.00" JPY is exactly 1000); surveys: row 3 (NPS 0 is in range);
    // support: row 3 (" Phone " trims and lower-cases; "N" is false); assignments: rows 1 and 3.
    expect(await s.rows('select order_id, currency, gross_minor from raw.orders order by order_id')).toEqual([
      { order_id: 'O-1', currency: 'USD', gross_minor: 1000 },
      { order_id: 'O-13', currency: 'JPY', gross_minor: 1000 },
    ]);
    expect(await s.rows('select response_id, nps_score from raw.survey_responses')).toEqual([
      { response_id: 'S-3', nps_score: 0 },
    ]);
    expect(
      await s.rows('select interaction_id, channel, satisfaction, resolved from raw.support_interactions'),
    ).toEqual([{ interaction_id: 'I-3', channel: 'phone', satisfaction: 1, resolved: false }]);
    expect(await s.count('raw.experiment_assignments')).toBe(2);
    // 14 orders + 2 surveys + 2 support + 1 assignment + 2 FX = 21 quarantined; 16 + 3 + 3 + 3 + 3 = 28 read,
    // 2 + 1 + 1 + 2 + 1 = 7 loaded.
    expect(await s.count('raw.quarantine')).toBe(21);
    expect(await s.rows('select sum(read) as r, sum(loaded) as l, sum(quarantined) as q from raw.batches')).toEqual([
      { r: 28, l: 7, q: 21 },
    ]);
  });

  it('exercises every reason code a CSV row can have', () => {
    // inconsistent_rows (multi-row orders) and invalid_json (NDJSON lines) belong to other sources' formats.
    const notCsv = new Set(['inconsistent_rows', 'invalid_json']);
    expect(new Set(reasons.values())).toEqual(new Set(Object.keys(REASON_CODES).filter((c) => !notCsv.has(c))));
  });

  it('keeps a malformed row as its array of fields', async () => {
    const rows = await s.rows(
      `select cast(record as varchar) as record from raw.quarantine where reason_code = 'malformed_row'`,
    );
    expect(rows).toEqual([
      { record: JSON.stringify(['O-3', 'C-3', 'raf', '2025-01-03', 'USD', '10.00', '0', '0', '0']) },
    ]);
  });
});
