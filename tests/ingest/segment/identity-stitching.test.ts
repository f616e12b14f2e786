import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadHubspotContacts } from '../../../ingest/hubspot-export/index.js';
import { loadSegmentEvents } from '../../../ingest/segment/index.js';
import { defaultRegistry } from '../../../models/index.js';
import { runModels } from '../../../src/models/runner.js';
import { testConfig } from '../../helpers/landing.js';
import { scratch, type Scratch } from '../canonical-csv/helpers.js';

describe('Segment identify calls feed stg_identity_map', () => {
  let s: Scratch;
  beforeEach(async () => {
    s = await scratch();
  });
  afterEach(async () => {
    await s.close();
  });

  it('links the anonymous id of an identify call to the customer its userId names', async () => {
    const config = testConfig();
    const contacts = s.write('contacts.csv', 'Record ID,Email,Create Date\n42,ada@example.com,2025-03-01 09:00\n');
    const calls = [
      { type: 'page', messageId: 'm1', anonymousId: 'anon-1', timestamp: '2025-03-01T08:00:00Z' },
      { type: 'identify', messageId: 'm2', anonymousId: 'anon-1', userId: '42', timestamp: '2025-03-01T09:00:00Z' },
      { type: 'page', messageId: 'm3', anonymousId: 'anon-2', timestamp: '2025-03-01T10:00:00Z' },
    ];
    const events = s.write('events.ndjson', calls.map((c) => JSON.stringify(c)).join('\n'));
    await loadHubspotContacts(s.wh, { file: contacts, config });
    await loadSegmentEvents(s.wh, { file: events, config });
    await runModels({ wh: s.wh, config, registry: defaultRegistry(), select: ['stg_identity_map'] });
    const rows = await s.rows(
      `select identifier, customer_id from main.stg_identity_map where identifier_type = 'anonymous_id' order by 1`,
    );
    // anon-1 was identified as customer 42 by the identify call; anon-2 never was.
    expect(rows).toEqual([
      { identifier: 'anon-1', customer_id: '42' },
      { identifier: 'anon-2', customer_id: null },
    ]);
  });
});
