/**
 * Fuzz of the Salesforce, Typeform, SurveyMonkey and email events exports: 1,500 seeded rows each with bad
 * dates, bad numbers, missing ids, wrong field counts, invalid UTF-8 and stray quotes. Nothing crashes, every
 * data row is read (read = the rows written when quoting is intact), and read = loaded + quarantined in the
 * report, the tables and `raw.batches`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadEmailEvents } from '../../../ingest/email-events/index.js';
import { FileSourceError, type LoadReport } from '../../../ingest/file-source.js';
import { loadSalesforceReport } from '../../../ingest/salesforce/index.js';
import { loadSurveymonkeyResponses } from '../../../ingest/surveymonkey/index.js';
import { loadTypeformResponses } from '../../../ingest/typeform/index.js';
import type { Warehouse } from '../../../src/warehouse/warehouse.js';
import { ONE_PROGRAM, scratch, type Scratch } from '../canonical-csv/helpers.js';
import { BAD_BYTES, BAD_DATES, BAD_NUMBERS, expectBatchAddsUp, pick, prng } from '../shopify/fuzz-helpers.js';

type Loader = (wh: Warehouse, o: { file: string; config: typeof ONE_PROGRAM }) => Promise<LoadReport>;

interface Format {
  name: string;
  load: Loader;
  header: string[];
  /** A valid row for row i (unique ids). */
  row(i: number): string[];
  /** Column indexes to damage: the id, a date, a number (or enum). */
  id: number;
  date: number;
  number: number;
}

const pad = (i: number, n: number) => String(i).padStart(n, '0');

const FORMATS: Format[] = [
  {
    name: 'salesforce',
    load: loadSalesforceReport,
    header: ['"Contact ID","First Name","Last Name","Email","Lead Source","Mailing Country","Created Date"'],
    row: (i) => [`0035e${pad(i, 10)}`, 'Ana', 'Lima', `a${i}@example.com`, 'Web', 'US', `3/${1 + (i % 28)}/2024`],
    id: 0,
    date: 6,
    number: 0,
  },
  {
    name: 'typeform',
    load: loadTypeformResponses,
    header: ['#,How did you hear about us?,How likely are you to recommend us?,email,Submit Date (UTC),Network ID'],
    row: (i) => [
      `tok${i}`,
      'A friend',
      String(i % 11),
      `a${i}@example.com`,
      `2025-01-${pad(1 + (i % 28), 2)} 10:00:00`,
      'n1',
    ],
    id: 0,
    date: 4,
    number: 2,
  },
  {
    name: 'surveymonkey',
    load: loadSurveymonkeyResponses,
    header: [
      'Respondent ID,Collector ID,Start Date,End Date,IP Address,Email Address,How did you hear about us?,,How likely is it that you would recommend us?',
      ',,,,,,Response,Other (please specify),Response',
    ],
    row: (i) => [
      String(100_000 + i),
      '42',
      '01/05/2025 09:00:00 AM',
      `01/${pad(1 + (i % 28), 2)}/2025 09:05:00 AM`,
      '192.0.2.1',
      '',
      'Podcast',
      '',
      String(i % 11),
    ],
    id: 0,
    date: 3,
    number: 8,
  },
  {
    name: 'email (hubspot)',
    load: loadEmailEvents,
    header: ['id,created,type,recipient,emailCampaignId,sentBy.id,url'],
    row: (i) => [
      `ev-${i}`,
      String(1_735_847_700_000 + i * 1000),
      pick(prng(i), ['SENT', 'OPEN', 'CLICK']),
      `a${i}@example.com`,
      '9',
      `s${i}`,
      'https://x.example/?ref=K1',
    ],
    id: 0,
    date: 1,
    number: 2,
  },
  {
    name: 'email (mailchimp)',
    load: loadEmailEvents,
    header: ['email_address,email_id,campaign_id,action,type,timestamp,url,ip'],
    row: (i) => [
      `a${i}@example.com`,
      `h${i}`,
      'c1',
      'open',
      '',
      `2025-01-03T12:${pad(Math.floor(i / 60) % 60, 2)}:${pad(i % 60, 2)}+00:00`,
      '',
      '',
    ],
    id: 0,
    date: 5,
    number: 3,
  },
];

const csvField = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/** 1,500 rows, a third damaged; with `quotes`, some fields get a stray quote (rows may then merge). */
function mangled(f: Format, seed: number, quotes: boolean): Buffer {
  const r = prng(seed);
  const parts: Buffer[] = f.header.map((h) => Buffer.from(`${h}\n`));
  for (let i = 0; i < 1_500; i++) {
    const fields = f.row(i);
    const damage = r();
    let bytes: Buffer | null = null;
    if (damage < 0.06) fields[f.date] = pick(r, BAD_DATES);
    else if (damage < 0.12) fields[f.number] = pick(r, BAD_NUMBERS);
    else if (damage < 0.18) fields[f.id] = '';
    else if (damage < 0.24) fields.pop();
    else if (damage < 0.28) fields.push('extra');
    else if (damage < 0.32) bytes = pick(r, BAD_BYTES);
    else if (damage < 0.36 && quotes) fields[1] = `${fields[1]}"x`;
    const line = fields.map(csvField).join(',');
    parts.push(bytes ? Buffer.concat([Buffer.from(line), bytes, Buffer.from('\n')]) : Buffer.from(`${line}\n`));
  }
  return Buffer.concat(parts);
}

describe('fuzzed vendor exports', () => {
  let s: Scratch;
  beforeEach(async () => {
    s = await scratch();
  });
  afterEach(async () => {
    await s.close();
  });

  for (const f of FORMATS) {
    it(`${f.name}: every row is read and read = loaded + quarantined`, async () => {
      for (const [seed, quotes] of [
        [1, false],
        [2, true],
      ] as const) {
        const file = s.write(`${f.name.replace(/\W+/g, '-')}-${seed}.csv`, mangled(f, seed, quotes));
        let report: LoadReport;
        try {
          report = await f.load(s.wh, { file, config: ONE_PROGRAM });
        } catch (err) {
          // Quoting the parser cannot recover from refuses the whole file, naming it; nothing is written.
          expect(quotes && err instanceof FileSourceError).toBe(true);
          continue;
        }
        if (!quotes) expect(report.read).toBe(1_500);
        expect(report.quarantined).toBeGreaterThan(0);
        expect(report.loaded).toBeGreaterThan(0);
        await expectBatchAddsUp(s.wh, report, expect);
      }
    });
  }
});
