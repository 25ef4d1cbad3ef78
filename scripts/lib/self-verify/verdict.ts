// What a suite run means for the self-verification: a clean run must be green
// (exit 0); a fault run must be red for the right reason (exit 1 with at least
// one failed scenario that is not a known divergence). An exit code 2 is an
// environment problem the doctor or the launcher saw: the fault was not caught
// by the scenarios, so it counts as missed, with the reason.
import { plural, type ScenarioResult } from '../run-summary';
import type { SuiteRunResult } from './suite-run';

export interface Catcher {
  name: string;
  uri: string;
  /** The first line of its failure message. */
  message: string;
}

export interface FaultVerdict {
  caught: boolean;
  /** Why a fault counts as missed, in one line. */
  reason?: string;
  caughtBy: Catcher[];
}

export function firstLine(message: string | undefined): string {
  const line = (message ?? '')
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l && !/^(ConformanceAssertionError|KnownDivergenceAssertionError|KnownWeaknessAssertionError|Error):?$/.test(l));
  return (line ?? '').replace(/^(ConformanceAssertionError|KnownDivergenceAssertionError|KnownWeaknessAssertionError|SetupError|EnvironmentError|Error): /, '');
}

function catcher(s: ScenarioResult): Catcher {
  return { name: s.name, uri: s.uri, message: firstLine(s.message) };
}

function countsLine(run: SuiteRunResult): string {
  const c = run.summary.counts;
  const weak = c['known weakness'] ? `${plural(c['known weakness'], 'known weakness present', 'known weaknesses present')}, ` : '';
  return `${c.passed} passed, ${c.failed} failed, ${plural(c['known divergence'], 'known divergence')}, ${weak}${c.skipped} skipped`;
}

/** Why a run did not end on its own with exit 0 or 1, or undefined when it did. */
export function abnormalEnd(run: SuiteRunResult): string | undefined {
  if (run.interrupted) return 'the self-verification was interrupted';
  // Stopped on purpose at the first failed scenario: the launcher's 130 is ours, not a problem.
  if (run.stoppedAtFirstFailure && !run.timedOut && failedScenarios(run).length > 0) return undefined;
  if (run.timedOut) return `the run did not finish within its bound (${Math.round(run.ms / 1000)} s) and was stopped`;
  if (run.exitCode === 2) return `exit 2 (configuration or environment problem, nothing meaningful was tested): ${run.problem ?? 'no reason printed'}`;
  if (run.exitCode === null) return `the launcher ended by signal ${run.signal ?? '(unknown)'}${run.problem ? `: ${run.problem}` : ''}`;
  if (run.exitCode !== 0 && run.exitCode !== 1) return `exit ${run.exitCode}${run.problem ? `: ${run.problem}` : ''}`;
  return undefined;
}

/**
 * The failed scenarios, from Cucumber's messages; for a run stopped at its first
 * failure, from the console when the messages were cut short by the stop.
 */
export function failedScenarios(run: SuiteRunResult): Catcher[] {
  const fromMessages = run.summary.scenarios.filter((s) => s.outcome === 'failed').map(catcher);
  // In a stable order (parallel workers finish in any order), so runs can be compared.
  fromMessages.sort((a, b) => a.uri.localeCompare(b.uri) || a.name.localeCompare(b.name));
  if (fromMessages.length || !run.stoppedAtFirstFailure) return fromMessages;
  return run.consoleFailures.map((title) => {
    const [feature, ...rest] = title.split(' › ');
    return { name: rest.length ? rest.join(' › ') : feature, uri: rest.length ? `feature: ${feature}` : '', message: '(the run was stopped here; see its console log)' };
  });
}

export function judgeFault(run: SuiteRunResult): FaultVerdict {
  const failed = failedScenarios(run);
  const abnormal = abnormalEnd(run);
  if (abnormal) return { caught: false, reason: abnormal, caughtBy: [] };
  if (run.exitCode === 0) return { caught: false, reason: `the suite passed with the fault on (${countsLine(run)})`, caughtBy: [] };
  if (!failed.length) return { caught: false, reason: `exit ${run.exitCode} without a failed scenario (${countsLine(run)})${run.problem ? `: ${run.problem}` : ''}`, caughtBy: [] };
  return { caught: true, caughtBy: failed };
}

/** Why a clean run is not green, or undefined when it is. */
export function judgeClean(run: SuiteRunResult): string | undefined {
  const abnormal = abnormalEnd(run);
  if (abnormal) return abnormal;
  if (run.exitCode === 0) return undefined;
  const failed = run.summary.scenarios.filter((s) => s.outcome === 'failed');
  if (!failed.length) return `exit ${run.exitCode} without a failed scenario (${countsLine(run)})`;
  return `${failed.length} scenario${failed.length > 1 ? 's' : ''} failed: ${failed.map((s) => `${s.name} (${firstLine(s.message)})`).join('; ')}`;
}

// ---- stability (--repeat) ----

export interface UnstableScenario {
  name: string;
  uri: string;
  /** Outcome per run number (1-based); "missing" when the run did not report it. */
  outcomes: Record<number, string>;
  /** Run numbers in which it did not have its usual outcome (failed, missing, or different). */
  runs: number[];
  message: string;
}

export interface StabilityReport {
  unstable: UnstableScenario[];
  /** Runs that ended without their scenarios reporting it (exit 2, timeout, …). */
  brokenRuns: Array<{ run: number; reason: string }>;
}

/**
 * A scenario is stable when every run gives it the same outcome and that
 * outcome is passed, a known divergence or skipped. Anything else is listed,
 * with the runs in which it failed, was missing or changed its outcome.
 */
export function stability(runs: SuiteRunResult[]): StabilityReport {
  const byKey = new Map<string, { name: string; uri: string; outcomes: Record<number, string>; messages: Record<number, string> }>();
  const brokenRuns: StabilityReport['brokenRuns'] = [];
  runs.forEach((run, i) => {
    const n = i + 1;
    const abnormal = abnormalEnd(run);
    if (abnormal) brokenRuns.push({ run: n, reason: abnormal });
    else if (run.exitCode !== 0 && !run.summary.scenarios.some((s) => s.outcome === 'failed')) brokenRuns.push({ run: n, reason: `exit ${run.exitCode} without a failed scenario` });
    // Scenario outlines give several pickles one name: count repeats within a run.
    const seen = new Map<string, number>();
    for (const s of run.summary.scenarios) {
      const base = `${s.uri}\u0000${s.name}`;
      const k = seen.get(base) ?? 0;
      seen.set(base, k + 1);
      const key = `${base}\u0000${k}`;
      const entry = byKey.get(key) ?? { name: s.name, uri: s.uri, outcomes: {}, messages: {} };
      entry.outcomes[n] = s.outcome;
      if (s.message) entry.messages[n] = firstLine(s.message);
      byKey.set(key, entry);
    }
  });
  const unstable: UnstableScenario[] = [];
  for (const e of byKey.values()) {
    for (let n = 1; n <= runs.length; n++) e.outcomes[n] ??= 'missing';
    const values = Object.values(e.outcomes);
    const tally = new Map<string, number>();
    for (const v of values) tally.set(v, (tally.get(v) ?? 0) + 1);
    const usual = [...tally.entries()].filter(([v]) => v !== 'failed' && v !== 'missing').sort((a, b) => b[1] - a[1])[0]?.[0];
    const bad = Object.entries(e.outcomes)
      .filter(([, v]) => v === 'failed' || v === 'missing' || v !== usual)
      .map(([n]) => Number(n));
    // A scenario missing from every run of a broken run only is that run's problem, listed once there.
    const onlyMissingInBroken = bad.every((n) => e.outcomes[n] === 'missing' && brokenRuns.some((b) => b.run === n));
    if (!bad.length || onlyMissingInBroken) continue;
    const message = bad.map((n) => e.messages[n]).find(Boolean) ?? (bad.some((n) => e.outcomes[n] !== 'missing') ? `outcome ${bad.map((n) => e.outcomes[n]).join('/')} instead of ${usual ?? 'passed'}` : 'not reported by the run');
    unstable.push({ name: e.name, uri: e.uri, outcomes: e.outcomes, runs: bad, message });
  }
  return { unstable, brokenRuns };
}
