import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DATA_CONTRACT_PATH, renderDataContract } from '../scripts/data-contract.js';

describe('docs/data-contract.md', () => {
  it('matches the code that defines the contract (run `npm run docs` after changing tables or models)', () => {
    expect(readFileSync(DATA_CONTRACT_PATH, 'utf8')).toBe(renderDataContract());
  });
});
