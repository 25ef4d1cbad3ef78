// Reads Cucumber's message stream and says, per scenario, what happened:
// passed, failed, a known divergence (every failure is a recorded one), a
// known weakness (a security probe found a recorded weakness: a finding, not a
// failure), or skipped. The launcher's exit code and summary line come from here.
import * as fs from 'node:fs';

// Shared with the console formatter, which is plain JavaScript (it says why).
const { plural } = require('../../support/console-lines.js') as { plural(n: number, one: string, many?: string): string };
export { plural };

export type ScenarioOutcome = 'passed' | 'failed' | 'known divergence' | 'known weakness' | 'skipped';

export interface ScenarioResult {
  name: string;
  uri: string;
  outcome: ScenarioOutcome;
  /** The first failure message, when failed or a known divergence. */
  message?: string;
}

export interface RunSummary {
  scenarios: ScenarioResult[];
  counts: Record<ScenarioOutcome, number>;
}

/**
 * A known divergence is the error class the checks throw for it, at the very
 * start of the message: evidence quoting the words elsewhere cannot turn a
 * real failure into one.
 */
export const KNOWN_DIVERGENCE_MESSAGE = /^KnownDivergenceAssertionError: KNOWN DIVERGENCE /;
/** A recorded security weakness (support/checks/core.ts `probe`), told the same way. */
export const KNOWN_WEAKNESS_MESSAGE = /^KnownWeaknessAssertionError: KNOWN WEAKNESS /;

/**
 * What a scenario's failed steps amount to: every one a recorded weakness →
 * 'known weakness'; every one a recorded divergence or weakness → 'known
 * divergence'; anything else → 'failed'. Shared with the bench and the console.
 */
export function knownOutcome(messages: Array<string | undefined>): 'known divergence' | 'known weakness' | undefined {
  if (!messages.length) return undefined;
  if (messages.every((m) => KNOWN_WEAKNESS_MESSAGE.test(m ?? ''))) return 'known weakness';
  if (messages.every((m) => KNOWN_WEAKNESS_MESSAGE.test(m ?? '') || KNOWN_DIVERGENCE_MESSAGE.test(m ?? ''))) return 'known divergence';
  return undefined;
}

interface Envelope {
  pickle?: { id: string; name: string; uri: string };
  testCase?: { id: string; pickleId: string };
  testCaseStarted?: { id: string; testCaseId: string };
  testStepFinished?: { testCaseStartedId: string; testStepResult: { status: string; message?: string } };
  testCaseFinished?: { testCaseStartedId: string; willBeRetried: boolean };
}

export function summarize(messagesFile: string): RunSummary {
  const pickles = new Map<string, { name: string; uri: string }>();
  const testCases = new Map<string, string>();
  const started = new Map<string, string>();
  const steps = new Map<string, Array<{ status: string; message?: string }>>();
  const finished: string[] = [];
  const text = fs.existsSync(messagesFile) ? fs.readFileSync(messagesFile, 'utf8') : '';
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let e: Envelope;
    try {
      e = JSON.parse(line) as Envelope;
    } catch {
      continue;
    }
    if (e.pickle) pickles.set(e.pickle.id, { name: e.pickle.name, uri: e.pickle.uri });
    else if (e.testCase) testCases.set(e.testCase.id, e.testCase.pickleId);
    else if (e.testCaseStarted) started.set(e.testCaseStarted.id, e.testCaseStarted.testCaseId);
    else if (e.testStepFinished) {
      const list = steps.get(e.testStepFinished.testCaseStartedId) ?? [];
      list.push(e.testStepFinished.testStepResult);
      steps.set(e.testStepFinished.testCaseStartedId, list);
    } else if (e.testCaseFinished && !e.testCaseFinished.willBeRetried) finished.push(e.testCaseFinished.testCaseStartedId);
  }
  const scenarios: ScenarioResult[] = [];
  for (const startedId of finished) {
    const pickle = pickles.get(testCases.get(started.get(startedId) ?? '') ?? '');
    const results = steps.get(startedId) ?? [];
    const bad = results.filter((r) => r.status !== 'PASSED' && r.status !== 'SKIPPED');
    // Nothing failed but something was skipped: a Before hook skipped the scenario
    // (a passing scenario runs every step; hooks around it may still pass).
    let outcome: ScenarioOutcome;
    if (bad.length === 0) outcome = results.some((r) => r.status === 'SKIPPED') ? 'skipped' : 'passed';
    else outcome = (bad.every((r) => r.status === 'FAILED') && knownOutcome(bad.map((r) => r.message))) || 'failed';
    const message = bad.find((r) => r.message)?.message ?? (bad[0] ? `step ${bad[0].status.toLowerCase()}` : undefined);
    scenarios.push({ name: pickle?.name ?? '(unknown scenario)', uri: pickle?.uri ?? '', outcome, message });
  }
  const counts: Record<ScenarioOutcome, number> = { passed: 0, failed: 0, 'known divergence': 0, 'known weakness': 0, skipped: 0 };
  for (const s of scenarios) counts[s.outcome]++;
  return { scenarios, counts };
}

/**
 * The run's one summary line (the console formatter prints none). It starts
 * "N passed, N failed": .ci/run greps that.
 */
export function summaryLine(s: RunSummary): string {
  const extra = [
    s.counts['known divergence'] ? plural(s.counts['known divergence'], 'known divergence') : '',
    // A finding is neither a pass nor a failure: counted apart, never in "failed".
    s.counts['known weakness'] ? plural(s.counts['known weakness'], 'known weakness present', 'known weaknesses present') : '',
    s.counts.skipped ? `${s.counts.skipped} skipped` : '',
  ].filter(Boolean);
  return `${s.counts.passed} passed, ${s.counts.failed} failed${extra.length ? ` (${extra.join(', ')})` : ''}`;
}

/**
 * Where a failing run's details are (the console shows each failure's words
 * only): the reports folder as the user reaches it, and the command that
 * makes the HTML report from it. `reportsDir`: UMA_REPORTS_DIR when set.
 */
export function reportsPointer(shownReports: string, reportsDir: string | undefined): string {
  const dir = shownReports.endsWith('/') ? shownReports : `${shownReports}/`;
  const shownDir = reportsDir && /[^\w./-]/.test(reportsDir) ? `'${reportsDir.replace(/'/g, `'\\''`)}'` : reportsDir;
  const report = shownDir ? `UMA_REPORTS_DIR=${shownDir} npm run report` : 'npm run report';
  return `Every step's HTTP exchanges, screenshots and traces are in ${dir}allure-results/ (JUnit: ${dir}junit.xml); \`${report}\` makes the HTML report and the conformance statement from them.`;
}

/** The launcher's last line after an interrupt, instead of the summary line: what was cut short, what finished before. */
export function interruptedLine(signal: string, cut: Array<{ cut: string }>, summary: RunSummary): string {
  const inFlight = cut.filter((s) => s.cut === 'in flight').length;
  const c = summary.counts;
  return (
    `Interrupted (${signal}): ${plural(cut.length, 'scenario')} cut short (${inFlight} stopped while running, ${cut.length - inFlight} not started), marked "interrupted" in junit.xml and Allure; ` +
    `before that ${c.passed} passed, ${c.failed} failed, ${plural(c['known divergence'], 'known divergence')}, ${plural(c['known weakness'], 'known weakness', 'known weaknesses')}. Judge only a complete run.`
  );
}
