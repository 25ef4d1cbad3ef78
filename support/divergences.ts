// The known-divergences ledger: where Gluu 4.2 departs from UMA 2.0
// (uma2-requirements.md §3). A check stays strict; when it fails with
// exactly the recorded behaviour it is reported as a known divergence, and
// when the recorded behaviour stops happening the check fails, so the
// ledger cannot go stale.
import * as path from 'node:path';
import { ConfigError } from './config';
import { readLedgerEntries, type LedgerEntryBase } from './ledger-file';

/** A known divergence: Gluu 4.2 departs from UMA 2.0 as recorded. */
export type Divergence = LedgerEntryBase;

export const DEFAULT_LEDGER = path.join(__dirname, 'known-divergences.json');

export class DivergenceLedger {
  constructor(
    readonly file: string,
    readonly entries: Divergence[],
  ) {}

  find(requirement: string, aspect: string): Divergence | undefined {
    return this.entries.find((d) => d.requirement === requirement && d.aspect === aspect);
  }

  static load(file = DEFAULT_LEDGER): DivergenceLedger {
    const { entries, problems } = readLedgerEntries<Divergence>(file, 'divergences');
    if (problems.length) throw new ConfigError(problems);
    return new DivergenceLedger(file, entries);
  }
}
