// The known-divergences ledger: where Gluu 4.2 departs from UMA 2.0
// (uma2-requirements.md §3). A check stays strict; when it fails with
// exactly the recorded behaviour it is reported as a known divergence, and
// when the recorded behaviour stops happening the check fails, so the
// ledger cannot go stale.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from './config';

export interface Divergence {
  /** DIV-… id from uma2-requirements.md §3. */
  id: string;
  requirement: string;
  /** The check's aspect, as the check names it. */
  aspect: string;
  /** The actual values the deployment is recorded to give (any of them). */
  observed: string[];
  reason: string;
  source: string;
  /** "verified" = read in 4.2 source; "unverified" = inferred (reference's U). */
  status: 'verified' | 'unverified';
}

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
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      throw new ConfigError([`the known-divergences ledger ${file} cannot be read as JSON (${(err as Error).message})`]);
    }
    const problems: string[] = [];
    if (!Array.isArray(raw)) problems.push(`${file} must hold a JSON array of divergences`);
    const entries = (Array.isArray(raw) ? raw : []) as Divergence[];
    entries.forEach((d, i) => {
      for (const key of ['id', 'requirement', 'aspect', 'reason', 'source'] as const) {
        if (typeof d[key] !== 'string' || !d[key]) problems.push(`${file} entry ${i + 1} needs a non-empty "${key}"`);
      }
      if (!Array.isArray(d.observed) || !d.observed.length || d.observed.some((o) => typeof o !== 'string')) {
        problems.push(`${file} entry ${i + 1} (${d.id}) needs "observed": a non-empty array of strings`);
      }
      if (d.status !== 'verified' && d.status !== 'unverified') problems.push(`${file} entry ${i + 1} (${d.id}) needs "status": verified or unverified`);
    });
    if (problems.length) throw new ConfigError(problems);
    return new DivergenceLedger(file, entries);
  }
}
