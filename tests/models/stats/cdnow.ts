/** Loads tests/fixtures/ltv/cdnow-customers-summary.csv (see the README there) for the BG/NBD and Gamma-Gamma tests. */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface CdnowCustomer {
  id: number;
  x: number;
  tx: number;
  T: number;
  zbar: number;
}

export function loadCdnow(): CdnowCustomer[] {
  const path = fileURLToPath(new URL('../../fixtures/ltv/cdnow-customers-summary.csv', import.meta.url));
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  if (header !== 'ID,x,t_x,T,zbar') throw new Error(`${path}: unexpected header ${header}`);
  return lines.map((line, i) => {
    const [id, x, tx, T, zbar] = line.split(',').map(Number);
    if ([id, x, tx, T, zbar].some((v) => v === undefined || !Number.isFinite(v))) {
      throw new Error(`${path} line ${i + 2}: not five numbers: ${line}`);
    }
    return { id: id!, x: x!, tx: tx!, T: T!, zbar: zbar! };
  });
}
