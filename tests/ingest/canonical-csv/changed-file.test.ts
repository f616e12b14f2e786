import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadCanonicalCsv } from '../../../ingest/canonical-csv/index.js';
import { NOW, ONE_PROGRAM, scratch, type Scratch } from './helpers.js';

// Stands in for a file rewritten between hashing and parsing: the batch id taken up front is not the hash of
// the bytes that were then parsed.
vi.mock('../../../ingest/batch.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../ingest/batch.js')>()),
  fileBatchId: async () => 'f'.repeat(64),
}));

describe('a file that changes while it is loaded', () => {
  let s: Scratch;
  beforeEach(async () => {
    s = await scratch();
  });
  afterEach(async () => {
    await s.close();
  });

  it('is refused before commit, with nothing written', async () => {
    const file = s.write('customers.csv', 'customer_id,created_at\nC-1,2025-01-01\n');
    await expect(loadCanonicalCsv(s.wh, { file, config: ONE_PROGRAM, now: NOW })).rejects.toThrow(
      'customers.csv: the file changed while it was being loaded; nothing was written, load it again',
    );
    expect(await s.count('raw.customers')).toBe(0);
    expect(await s.count('raw.batches')).toBe(0);
  });
});
