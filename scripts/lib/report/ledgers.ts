// The recorded divergences (support/known-divergences.json) and security
// findings (support/known-weaknesses.json, once issue 12 lands), read for
// their reason and source. A missing or unreadable ledger reads as empty:
// the run itself already refused a broken divergence ledger.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface LedgerEntry {
  id: string;
  requirement?: string;
  aspect?: string;
  reason: string;
  source: string;
  /** Findings: how bad (as the ledger says), when it says. */
  severity?: string;
}

function readEntries(file: string): LedgerEntry[] {
  if (!fs.existsSync(file)) return [];
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
  const list = Array.isArray(data) ? data : data && typeof data === 'object' && Array.isArray((data as { entries?: unknown }).entries) ? (data as { entries: unknown[] }).entries : [];
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return list
    .filter((e): e is Record<string, unknown> => Boolean(e) && typeof e === 'object' && typeof (e as { id?: unknown }).id === 'string')
    .map((e) => ({
      id: e.id as string,
      requirement: str(e.requirement),
      aspect: str(e.aspect),
      reason: str(e.reason) ?? str(e.summary) ?? str(e.title) ?? str(e.finding) ?? '',
      source: str(e.source) ?? '',
      severity: str(e.severity),
    }));
}

export class Ledger {
  constructor(readonly entries: LedgerEntry[]) {}

  static read(file: string): Ledger {
    return new Ledger(readEntries(file));
  }

  /** The entry of that id; for an id recorded for several requirements, the one of that requirement. */
  find(id: string, requirement?: string): LedgerEntry | undefined {
    const same = this.entries.filter((e) => e.id === id);
    return same.find((e) => requirement && e.requirement === requirement) ?? same[0];
  }
}

export function divergenceLedgerFile(root: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(root, env.UMA_DIVERGENCES_FILE || 'support/known-divergences.json');
}

export function weaknessLedgerFile(root: string): string {
  return path.join(root, 'support', 'known-weaknesses.json');
}
