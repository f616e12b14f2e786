/**
 * Renders `LAYOUTS.md` from `CSV_LAYOUTS`, so the documentation cannot drift from the code. Run
 * `npx tsx ingest/canonical-csv/layouts-md.ts` after changing a layout; a test compares the file with
 * this output.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LANDING_TABLE_NAMES } from '../landing-schema.js';
import { REASON_CODES } from '../quarantine.js';
import { CSV_LAYOUTS, type CsvColumn } from './layouts.js';

/** Where the generated document lives. */
export const LAYOUTS_MD_PATH = fileURLToPath(new URL('./LAYOUTS.md', import.meta.url));

function typeOf(column: CsvColumn): string {
  const k = column.kind;
  switch (k.type) {
    case 'text':
      return 'text';
    case 'program':
      return 'program id';
    case 'timestamp':
      return 'timestamp';
    case 'date':
      return 'date YYYY-MM-DD';
    case 'decimal':
      return 'exact positive decimal';
    case 'int':
      return k.min !== undefined && k.max !== undefined ? `integer ${k.min}-${k.max}` : 'integer';
    case 'bool':
      return 'boolean';
    case 'enum':
      return `one of ${k.values.map((v) => `\`${v}\``).join(', ')}`;
    case 'currency':
      return 'ISO 4217 code';
    case 'amount':
      return `decimal, major units of \`${k.currencyColumn}\``;
  }
}

function requiredOf(column: CsvColumn): string {
  if (column.default !== undefined) return `no (default ${column.default})`;
  if (column.kind.type === 'program') return 'yes, unless the config has one program';
  return column.required ? 'yes' : 'no';
}

const GENERAL = `
## Rules for every file

- **One file, one table.** The table comes from the file name: \`<table>.csv\` or \`<table>-<anything>.csv\`
  (\`orders.csv\`, \`orders-2025-01.csv\`), case-insensitive, unless the caller names the table.
- **Encoding and syntax.** UTF-8, with or without a byte-order mark; LF or CRLF line ends; comma-separated;
  RFC 4180 quoting (a quoted field may hold commas, doubled quotes \`""\` and newlines). A stray quote inside an
  unquoted field (\`5" screen\`) is kept as text. An unclosed quote, or a record over 1,000,000 characters, refuses
  the whole file.
- **Header.** The first row names the columns, in any order; names are matched after trimming, case-insensitively.
  Optional columns may be left out. A header with unknown, duplicate, empty or missing required columns refuses the
  whole file, naming each offender; nothing is loaded.
- **Rows.** Blank lines are skipped and not counted. Row numbers (\`_row_number\`, and \`row N\` in messages) count
  data rows from 1, header excluded. Every cell is trimmed; an empty cell is null.
- **Timestamps** (landed as UTC): ISO 8601 with \`Z\` or an offset (\`2025-03-04T10:00:00Z\`,
  \`2025-03-04T10:00:00+01:00\`; converted to UTC), \`YYYY-MM-DD HH:MM[:SS]\` with no zone (taken as UTC), or
  \`YYYY-MM-DD\` (midnight UTC). Fractions of a second are kept to the millisecond. Anything else is
  \`invalid_timestamp\`: \`03/04/2025\` (March or April?), \`2025-03-04T10:00:00\` (ISO reads a \`T\` time with no
  zone as local time), impossible dates (\`2025-02-30\`) and times.
- **Money.** Amounts are decimal strings in major units (\`"12.50"\`) beside an ISO 4217 \`currency\` (any case;
  landed upper-case), converted exactly, never through a float, to integer minor units with the currency's
  exponent: \`"12.5"\` EUR -> 1250, \`"1000"\` JPY -> 1000, \`"1.234"\` KWD -> 1234. No thousands separators or
  decimal commas. More decimals than the currency has are \`invalid_amount\` unless the extra digits are zeros
  (\`"1000.00"\` JPY is 1000). Negative amounts are \`negative_amount\`.
- **Enumerations** match case-insensitively and land in lower case. **Booleans** accept true/false, t/f, yes/no,
  y/n, 1/0.
- **Programs.** \`program_id\` must be one of the config's \`programs\` ids. When the config has exactly one program
  the column may be left out, or a cell left empty, and that program is filled in.
- **Primary keys.** A second row in the same file with the key of an earlier row is quarantined as
  \`duplicate_key\` (the first occurrence claims the key even if it was itself quarantined). Across files, later
  loads do not replace earlier rows in \`raw.*\`; staging decides which version wins.
- **Idempotency.** The batch id is the sha256 of the table name, a NUL byte and the file's bytes. Loading a file
  whose batch id is already in \`raw.batches\` writes nothing (\`already_loaded\`).
- **All or nothing.** Landing rows, quarantined rows and the \`raw.batches\` row (rows read, loaded,
  quarantined; read = loaded + quarantined, checked before commit) are written in one transaction. A file that
  changes while it is being loaded is refused.
- **Lineage.** Every landed and quarantined row carries \`_source\` = \`canonical-csv:<file name>\`, \`_batch_id\`,
  \`_row_number\` and \`_loaded_at\`.

## Quarantine

A row that fails validation goes to \`raw.quarantine\` once, with the reason code of its first problem (in column
order, then cross-column checks, then the duplicate-key check) and a message listing every problem, naming file,
row, column and value:
\`orders.csv row 3: column gross_amount: "-12.00" is negative; column ordered_at: "03/04/2025" is not a timestamp (...)\`.
\`record\` holds the original row as JSON: an object keyed by header name, or the array of fields when the row has
the wrong number of fields (\`malformed_row\`).
`;

/** The markdown, before prettier formatting. */
export function renderLayoutsMarkdown(): string {
  const out: string[] = [
    '# Canonical CSV layouts',
    '',
    '<!-- Generated from ingest/canonical-csv/layouts.ts by `npx tsx ingest/canonical-csv/layouts-md.ts`. Do not edit by hand. -->',
    '',
    'The canonical CSV source loads one CSV file per landing table into `raw.<table>`. Header names are the landing',
    'column names, except money: orders carry amounts in major units (`gross_amount`) that land as integer minor',
    'units (`gross_minor`).',
    GENERAL,
    '| reason code | meaning |',
    '| --- | --- |',
    ...Object.entries(REASON_CODES).map(([code, meaning]) => `| \`${code}\` | ${meaning} |`),
  ];
  for (const table of LANDING_TABLE_NAMES) {
    const layout = CSV_LAYOUTS[table];
    out.push(
      '',
      `## ${table}`,
      '',
      `Lands in \`raw.${table}\`. ${layout.key.length ? `Primary key: ${layout.key.map((k) => `\`${k}\``).join(' + ')}.` : 'No primary key: rows add up.'}`,
    );
    out.push('', '| column | required | type | lands in | description |', '| --- | --- | --- | --- | --- |');
    for (const c of layout.columns) {
      const description = c.description.replaceAll('|', '\\|');
      out.push(`| \`${c.header}\` | ${requiredOf(c)} | ${typeOf(c)} | \`${c.target}\` | ${description} |`);
    }
    if (layout.rowChecks.length) {
      out.push('', 'Checks across columns:', '', ...layout.rowChecks.map((r) => `- ${r.doc}`));
    }
  }
  return `${out.join('\n')}\n`;
}

/** The markdown as committed: rendered, then formatted with the repository's prettier config. */
export async function layoutsMarkdown(): Promise<string> {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(LAYOUTS_MD_PATH)) ?? {};
  return prettier.format(renderLayoutsMarkdown(), { ...options, parser: 'markdown' });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(LAYOUTS_MD_PATH, await layoutsMarkdown());
  process.stderr.write(`wrote ${LAYOUTS_MD_PATH}\n`);
}
