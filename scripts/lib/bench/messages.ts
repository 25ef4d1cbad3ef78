// Reads a Cucumber messages file (NDJSON) for timings: when the run and each
// scenario started and finished, and where a scenario's time went, step by
// step and hook by hook.
import * as fs from 'node:fs';
import { KNOWN_DIVERGENCE_MESSAGE, KNOWN_WEAKNESS_MESSAGE } from '../run-summary';

interface Timestamp {
  seconds: number;
  nanos: number;
}

const ms = (t: Timestamp) => t.seconds * 1000 + t.nanos / 1e6;

export interface ScenarioTiming {
  /** Stable across runs: feature file, line of the scenario or example row. */
  key: string;
  name: string;
  uri: string;
  /** passed, failed, known divergence, known weakness, skipped, … */
  status: string;
  startedAt: number;
  durationMs: number;
  workerId?: string;
}

export interface StepTiming {
  /** Step text, or "Before hook"/"After hook" with its source. */
  what: string;
  totalMs: number;
  count: number;
}

export interface RunTimings {
  /** Epoch milliseconds. */
  testRunStartedAt?: number;
  testRunFinishedAt?: number;
  firstScenarioStartedAt?: number;
  lastScenarioFinishedAt?: number;
  /** BeforeAll / AfterAll hooks of the run. */
  runHooks: Array<{ what: string; startedAt: number; durationMs: number }>;
  pickles: Array<{ key: string; name: string; uri: string; id: string }>;
  scenarios: ScenarioTiming[];
  steps: StepTiming[];
}

type Envelope = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const WORST = ['failed', 'ambiguous', 'undefined', 'pending', 'skipped', 'passed', 'unknown'];

function worst(a: string, b: string): string {
  return WORST.indexOf(a) <= WORST.indexOf(b) ? a : b;
}

export function readMessages(file: string): Envelope[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Envelope);
}

/** Line of each scenario / example row, by AST node id, so that pickles have a key that survives runs. */
function astLines(envelopes: Envelope[]): Map<string, number> {
  const lines = new Map<string, number>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const n = node as Record<string, unknown>;
    if (typeof n.id === 'string' && n.location && typeof (n.location as { line?: number }).line === 'number') lines.set(n.id, (n.location as { line: number }).line);
    for (const v of Object.values(n)) if (v && typeof v === 'object') visit(v);
  };
  for (const e of envelopes) if (e.gherkinDocument) visit(e.gherkinDocument.feature);
  return lines;
}

export function pickleKey(uri: string, astNodeIds: string[], lines: Map<string, number>): string {
  // A scenario has one AST node id; an example row adds the row's.
  return `${uri}:${astNodeIds.map((id) => lines.get(id) ?? '?').join(':')}`;
}

export function runTimings(envelopes: Envelope[]): RunTimings {
  const lines = astLines(envelopes);
  const pickles = new Map<string, { key: string; name: string; uri: string; id: string; steps: Map<string, string> }>();
  const testCases = new Map<string, { pickleId: string; steps: Map<string, string> }>();
  const hooks = new Map<string, string>();
  const started = new Map<string, { testCaseId: string; at: number; workerId?: string; status: string; onlyKnown: boolean; onlyWeakness: boolean }>();
  const stepStarts = new Map<string, number>();
  const stepTotals = new Map<string, StepTiming>();
  const runHookStarts = new Map<string, { what: string; at: number }>();
  const out: RunTimings = { runHooks: [], pickles: [], scenarios: [], steps: [] };

  for (const e of envelopes) {
    if (e.pickle) {
      const p = e.pickle;
      const steps = new Map<string, string>((p.steps as Array<{ id: string; text: string }>).map((s) => [s.id, s.text]));
      const entry = { key: pickleKey(p.uri, p.astNodeIds, lines), name: p.name, uri: p.uri, id: p.id, steps };
      pickles.set(p.id, entry);
      out.pickles.push({ key: entry.key, name: entry.name, uri: entry.uri, id: entry.id });
    } else if (e.hook) {
      const h = e.hook;
      const where = h.sourceReference?.uri ? `${String(h.sourceReference.uri).replace(/^.*?(support|steps)\//, '$1/')}:${h.sourceReference.location?.line ?? '?'}` : h.id;
      hooks.set(h.id, `${h.type ? String(h.type).replace(/_/g, ' ').toLowerCase() : 'hook'} ${where}`);
    } else if (e.testCase) {
      const tc = e.testCase;
      const pickle = pickles.get(tc.pickleId);
      const steps = new Map<string, string>();
      for (const s of tc.testSteps as Array<{ id: string; pickleStepId?: string; hookId?: string }>) {
        steps.set(s.id, s.pickleStepId ? (pickle?.steps.get(s.pickleStepId) ?? 'step') : (hooks.get(s.hookId ?? '') ?? 'hook'));
      }
      testCases.set(tc.id, { pickleId: tc.pickleId, steps });
    } else if (e.testRunStarted) {
      out.testRunStartedAt = ms(e.testRunStarted.timestamp);
    } else if (e.testRunFinished) {
      out.testRunFinishedAt = ms(e.testRunFinished.timestamp);
    } else if (e.testRunHookStarted) {
      runHookStarts.set(e.testRunHookStarted.id, { what: hooks.get(e.testRunHookStarted.hookId) ?? 'run hook', at: ms(e.testRunHookStarted.timestamp) });
    } else if (e.testRunHookFinished) {
      const s = runHookStarts.get(e.testRunHookFinished.testRunHookStartedId);
      if (s) out.runHooks.push({ what: s.what, startedAt: s.at, durationMs: ms(e.testRunHookFinished.timestamp) - s.at });
    } else if (e.testCaseStarted) {
      const s = e.testCaseStarted;
      const at = ms(s.timestamp);
      started.set(s.id, { testCaseId: s.testCaseId, at, workerId: s.workerId, status: 'passed', onlyKnown: true, onlyWeakness: true });
      out.firstScenarioStartedAt = Math.min(out.firstScenarioStartedAt ?? Infinity, at);
    } else if (e.testStepStarted) {
      stepStarts.set(`${e.testStepStarted.testCaseStartedId}/${e.testStepStarted.testStepId}`, ms(e.testStepStarted.timestamp));
    } else if (e.testStepFinished) {
      const f = e.testStepFinished;
      const s = started.get(f.testCaseStartedId);
      if (s) {
        const status = String(f.testStepResult.status).toLowerCase();
        s.status = worst(status, s.status);
        // As the console formatter counts: a failure that is exactly a recorded divergence (or a recorded weakness: a finding).
        const message = String(f.testStepResult.message ?? '');
        if (status === 'failed' && !KNOWN_DIVERGENCE_MESSAGE.test(message) && !KNOWN_WEAKNESS_MESSAGE.test(message)) s.onlyKnown = false;
        if (status === 'failed' && !KNOWN_WEAKNESS_MESSAGE.test(message)) s.onlyWeakness = false;
      }
      const at = stepStarts.get(`${f.testCaseStartedId}/${f.testStepId}`);
      const what = s ? testCases.get(s.testCaseId)?.steps.get(f.testStepId) : undefined;
      if (at !== undefined && what) {
        const t = stepTotals.get(what) ?? { what, totalMs: 0, count: 0 };
        t.totalMs += ms(f.timestamp) - at;
        t.count++;
        stepTotals.set(what, t);
      }
    } else if (e.testCaseFinished) {
      const f = e.testCaseFinished;
      const s = started.get(f.testCaseStartedId);
      if (!s || f.willBeRetried) continue;
      const end = ms(f.timestamp);
      out.lastScenarioFinishedAt = Math.max(out.lastScenarioFinishedAt ?? 0, end);
      const pickle = pickles.get(testCases.get(s.testCaseId)?.pickleId ?? '');
      out.scenarios.push({
        key: pickle?.key ?? s.testCaseId,
        name: pickle?.name ?? '?',
        uri: pickle?.uri ?? '?',
        status: s.status !== 'failed' ? s.status : s.onlyWeakness ? 'known weakness' : s.onlyKnown ? 'known divergence' : s.status,
        startedAt: s.at,
        durationMs: end - s.at,
        workerId: s.workerId,
      });
    }
  }
  out.steps = [...stepTotals.values()].map((s) => ({ ...s, totalMs: Math.round(s.totalMs) })).sort((a, b) => b.totalMs - a.totalMs);
  return out;
}
