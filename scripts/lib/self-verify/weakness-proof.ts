// Both sides of each security probe (issue 12 "Done when"): the clean run
// reports the weakness as a recorded finding; a run whose weaknesses ledger
// lacks the entry fails the probe (a weakness nobody recorded is red); and a
// run with the weakness removed from the sandbox (its "fix" profile, whose
// description starts "Removes weakness SEC-…: ", sandbox/faults.ts) passes
// the probe. The two extra kinds of run select only the @security scenarios.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ScenarioResult } from '../run-summary';
import type { FaultProfile } from './fault-list';
import type { SuiteRunResult } from './suite-run';
import { abnormalEnd, firstLine } from './verdict';

/** The tag the extra runs select: the security area's scenarios only (keeps CI short). */
export const SECURITY_TAGS = ['--tags', '@security'];

const WEAKNESS_ID = /^KnownWeaknessAssertionError: KNOWN WEAKNESS (SEC-[A-Z0-9-]+) /;

export interface ProbeScenario {
  name: string;
  uri: string;
}

/** The recorded findings of a run, by weakness id: the scenarios that reported each. */
export function findingsOf(run: SuiteRunResult): Map<string, ProbeScenario[]> {
  const found = new Map<string, ProbeScenario[]>();
  for (const s of run.summary.scenarios) {
    const id = s.outcome === 'known weakness' ? WEAKNESS_ID.exec(s.message ?? '')?.[1] : undefined;
    if (!id) continue;
    found.set(id, [...(found.get(id) ?? []), { name: s.name, uri: s.uri }]);
  }
  return found;
}

function outcomeIn(run: SuiteRunResult, p: ProbeScenario): ScenarioResult | undefined {
  return run.summary.scenarios.find((s) => s.uri === p.uri && s.name === p.name);
}

/** Why the run without the ledger entry does not prove the probe red, or undefined when it does. */
export function judgeLedgerRemoved(run: SuiteRunResult, probes: ProbeScenario[]): string | undefined {
  const abnormal = abnormalEnd(run);
  if (abnormal) return `ledger entry removed: ${abnormal}`;
  for (const p of probes) {
    const s = outcomeIn(run, p);
    if (!s) return `ledger entry removed: "${p.name}" did not run`;
    if (s.outcome !== 'failed') return `ledger entry removed: "${p.name}" was ${s.outcome}, not failed (an unrecorded weakness must make the run red)`;
  }
  if (run.exitCode !== 1) return `ledger entry removed: the run ended with exit ${run.exitCode}, not 1`;
  return undefined;
}

/** Why the run with the weakness removed does not prove the probe green, or undefined when it does. */
export function judgeFixed(run: SuiteRunResult, fix: string, probes: ProbeScenario[]): string | undefined {
  const abnormal = abnormalEnd(run);
  if (abnormal) return `${fix}: ${abnormal}`;
  for (const p of probes) {
    const s = outcomeIn(run, p);
    if (!s) return `${fix}: "${p.name}" did not run`;
    if (s.outcome !== 'passed') return `${fix}: "${p.name}" was ${s.outcome}, not passed${s.message ? ` (${firstLine(s.message)})` : ''}`;
  }
  if (run.exitCode !== 0) {
    const failed = run.summary.scenarios.filter((s) => s.outcome === 'failed');
    return `${fix}: the @security run is red (exit ${run.exitCode}${failed.length ? `; failed: ${failed.map((s) => s.name).join('; ')}` : ''})`;
  }
  return undefined;
}

export interface WeaknessPlan {
  /** The weakness ids to prove, in order. */
  ids: string[];
  fixes: Map<string, FaultProfile>;
}

/**
 * Which weaknesses to prove: every fix profile selected, and (a full
 * self-verification, no --only) every finding of the clean run, so that a
 * finding without a fix profile shows as not proven.
 */
export function planWeaknesses(selectedFixes: FaultProfile[], cleanFindings: Map<string, ProbeScenario[]>, fullRun: boolean): WeaknessPlan {
  const fixes = new Map(selectedFixes.map((f) => [f.removes!, f]));
  const ids = [...new Set([...fixes.keys(), ...(fullRun ? cleanFindings.keys() : [])])].sort();
  return { ids, fixes };
}

/** A copy of the weaknesses ledger without the entries of these ids, for the "ledger entry removed" run. */
export function writeLedgerWithout(source: string, ids: string[], target: string): void {
  const entries = JSON.parse(fs.readFileSync(source, 'utf8')) as Array<{ id?: string }>;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, JSON.stringify(entries.filter((e) => !ids.includes(e.id ?? '')), null, 2) + '\n');
}
