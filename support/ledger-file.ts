// What the two ledgers (known divergences, known weaknesses) share: the file
// read as a JSON array, and the fields every entry needs. Each ledger adds its
// own rules (a weakness's SEC- id and severity) and its own lookup.
import * as fs from 'node:fs';
import { ConfigError } from './config';

export interface LedgerEntryBase {
  /** DIV-… (uma2-requirements.md §3) or SEC-…. */
  id: string;
  /** The requirement id the check or probe carries. */
  requirement: string;
  /** The check's aspect, as the check names it. */
  aspect: string;
  /** The actual values the deployment is recorded to give (any of them). */
  observed: string[];
  reason: string;
  /** Where in the 4.2 source (repository, tag, file, lines). */
  source: string;
  /** "verified" = read in 4.2 source; "unverified" = inferred (reference's U). */
  status: 'verified' | 'unverified';
}

/**
 * The entries of a ledger file and the problems every kind of entry can have
 * (one line each); a file that is not JSON is a ConfigError at once.
 */
export function readLedgerEntries<T extends LedgerEntryBase>(file: string, kind: 'divergences' | 'weaknesses'): { entries: T[]; problems: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError([`the known-${kind} ledger ${file} cannot be read as JSON (${(err as Error).message})`]);
  }
  const problems: string[] = [];
  if (!Array.isArray(raw)) problems.push(`${file} must hold a JSON array of ${kind}`);
  const entries = (Array.isArray(raw) ? raw : []) as T[];
  entries.forEach((e, i) => {
    for (const key of ['id', 'requirement', 'aspect', 'reason', 'source'] as const) {
      if (typeof e[key] !== 'string' || !e[key]) problems.push(`${file} entry ${i + 1} needs a non-empty "${key}"`);
    }
    if (!Array.isArray(e.observed) || !e.observed.length || e.observed.some((o) => typeof o !== 'string')) {
      problems.push(`${file} entry ${i + 1} (${e.id}) needs "observed": a non-empty array of strings`);
    }
    if (e.status !== 'verified' && e.status !== 'unverified') problems.push(`${file} entry ${i + 1} (${e.id}) needs "status": verified or unverified`);
  });
  return { entries, problems };
}
