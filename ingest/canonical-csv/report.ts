/**
 * What one canonical CSV load did, and its one-line human form for the CLI.
 */
import type { LandingTable } from '../landing-schema.js';

/** The outcome of loading one file. For `already_loaded`, the counts are those recorded when it was first loaded. */
export interface LoadReport {
  /** The file as given by the caller. */
  file: string;
  table: LandingTable;
  /** Hex sha256 of the table name, a NUL byte and the file's bytes. */
  batchId: string;
  status: 'loaded' | 'already_loaded';
  read: number;
  loaded: number;
  quarantined: number;
  /** Quarantined rows by reason code. */
  reasons: Record<string, number>;
}

/**
 * One human line describing a load.
 * @example formatLoadReport(report)
 * // 'orders.csv -> orders: 5 read, 3 loaded, 2 quarantined (invalid_timestamp 1, negative_amount 1), batch 1f3a9c0b2d4e'
 */
export function formatLoadReport(report: LoadReport): string {
  const batch = `batch ${report.batchId.slice(0, 12)}`;
  if (report.status === 'already_loaded') {
    return `${report.file} -> ${report.table}: already loaded (${batch}, ${report.read} read), nothing written`;
  }
  const reasons = Object.entries(report.reasons)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  const quarantined = `${report.quarantined} quarantined${reasons ? ` (${reasons})` : ''}`;
  return `${report.file} -> ${report.table}: ${report.read} read, ${report.loaded} loaded, ${quarantined}, ${batch}`;
}
