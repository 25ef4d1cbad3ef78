// The known-weaknesses ledger: security findings a stock GG 4.2 / Gluu 4.2
// deployment has, read in its source (issue 12). A probe states a property
// the deployment should have; when it fails with exactly the recorded
// behaviour the weakness is reported as a finding (the run stays green),
// when it passes the weakness is reported as not found (the deployment is
// better than stock: no failure, unlike a vanished divergence), and when it
// fails in any other way, or with no entry, the run fails.
import * as path from 'node:path';
import { ConfigError } from './config';
import { readLedgerEntries, type LedgerEntryBase } from './ledger-file';

export type Severity = 'critical' | 'high' | 'medium' | 'low';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

export interface Weakness extends LedgerEntryBase {
  /** SEC-… id of ours, or the W… id of oidc-uma.md §6 prefixed SEC- (SEC-W1). */
  id: string;
  severity: Severity;
  /** What an attacker gains, in an operator's words. */
  reason: string;
}

export const DEFAULT_WEAKNESSES = path.join(__dirname, 'known-weaknesses.json');

export class WeaknessLedger {
  constructor(
    readonly file: string,
    readonly entries: Weakness[],
  ) {}

  find(requirement: string, aspect: string): Weakness | undefined {
    return this.entries.find((w) => w.requirement === requirement && w.aspect === aspect);
  }

  static load(file = DEFAULT_WEAKNESSES): WeaknessLedger {
    const { entries, problems } = readLedgerEntries<Weakness>(file, 'weaknesses');
    entries.forEach((w, i) => {
      if (typeof w.id === 'string' && !/^SEC-[A-Z0-9-]+$/.test(w.id)) problems.push(`${file} entry ${i + 1}: id "${w.id}" must look like SEC-…`);
      if (!SEVERITIES.includes(w.severity)) problems.push(`${file} entry ${i + 1} (${w.id}) needs "severity": one of ${SEVERITIES.join(', ')}`);
    });
    if (problems.length) throw new ConfigError(problems);
    return new WeaknessLedger(file, entries);
  }
}
