/**
 * `refstack ingest salesforce|typeform|surveymonkey|email` end to end through the CLI: each vendor fixture
 * lands with its counts in the --json batch summary, a rerun reports already_loaded, and a file of the wrong
 * format is one line on stderr with a non-zero exit.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../src/version.js';

const BIN = resolve(ROOT, 'bin/refstack.js');
const fixture = (p: string) => resolve(ROOT, 'tests/fixtures', p);

function cli(args: string[], cwd: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...process.env, REFSTACK_QUIET: '1', METADATA_SERVER_DETECTION: 'none' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('refstack ingest <vendor> <files...>', () => {
  // Five CLI spawns take a few seconds each on a busy machine, hence the longer test timeout.
  it('lands every vendor fixture with read = loaded + quarantined, and a rerun adds nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'refstack-vendors-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ programs: [{ id: 'friends', name: 'Friends' }] }));
    const common = ['--config', 'config.json', '--warehouse', 'w.duckdb', '--json'];
    const runs: [string, string[], Record<string, unknown>][] = [
      [
        'salesforce',
        [fixture('salesforce/report1710795900123.csv')],
        { table: 'customers', read: 6, loaded: 2, quarantined: 4 },
      ],
      [
        'typeform',
        [fixture('typeform/responses-onboarding.csv')],
        { table: 'survey_responses', read: 6, loaded: 3, quarantined: 3 },
      ],
      [
        'surveymonkey',
        [fixture('surveymonkey/Data_All_250115.csv')],
        { table: 'survey_responses', read: 5, loaded: 3, quarantined: 2 },
      ],
      ['email', [fixture('email-events/hubspot-email-events.csv')], { table: 'email_events', read: 9, loaded: 6 }],
    ];
    for (const [source, files, counts] of runs) {
      const first = await cli(['ingest', source, ...files, ...common], dir);
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(JSON.parse(first.stdout)).toMatchObject([{ status: 'loaded', ...counts }]);
    }
    // One rerun stands for all: every source goes through the same content-hash batch check.
    const [source, files, counts] = runs[0]!;
    const again = await cli(['ingest', source, ...files, ...common], dir);
    expect(JSON.parse(again.stdout)).toMatchObject([{ status: 'already_loaded', ...counts }]);
  }, 120_000);

  it('refuses a file of the wrong format in one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'refstack-vendors-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ programs: [{ id: 'friends', name: 'Friends' }] }));
    const r = await cli(
      [
        'ingest',
        'email',
        fixture('typeform/responses-onboarding.csv'),
        '--config',
        'config.json',
        '--warehouse',
        'w.duckdb',
      ],
      dir,
    );
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('responses-onboarding.csv: not an email events export');
  });
});
