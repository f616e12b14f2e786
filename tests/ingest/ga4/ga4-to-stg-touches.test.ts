import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadGa4Events } from '../../../ingest/ga4/index.js';
import { defaultRegistry } from '../../../models/index.js';
import { runModels } from '../../../src/models/runner.js';
import { testConfig } from '../../helpers/landing.js';
import { scratch, type Scratch } from '../canonical-csv/helpers.js';

describe('GA4 touches through stg_touches', () => {
  let s: Scratch;
  beforeEach(async () => {
    s = await scratch();
  });
  afterEach(async () => {
    await s.close();
  });

  it('groups the landed sessions into GA4 default channels', async () => {
    const config = testConfig();
    await loadGa4Events(s.wh, { file: 'tests/fixtures/ga4/events_20250301.json', config });
    await runModels({ wh: s.wh, config, registry: defaultRegistry(), select: ['stg_touches'] });
    const rows = await s.rows(`select anonymous_id, channel_group from main.stg_touches order by anonymous_id`);
    // GA4 default channel groups: medium "email" -> Email; google / cpc -> Paid Search; no source -> Direct.
    expect(rows).toEqual([
      { anonymous_id: '1111.1740823200', channel_group: 'Email' },
      { anonymous_id: '2222.1740826800', channel_group: 'Paid Search' },
      { anonymous_id: '3333.1740830400', channel_group: 'Direct' },
    ]);
  });
});
