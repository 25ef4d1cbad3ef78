// The reports of a run that was interrupted (or whose Cucumber died), written
// by the launcher from Cucumber's message stream, which Cucumber writes as
// the run goes and which a kill cuts at most by its last line.
//
// A scenario is "cut short" when the interrupt stopped it: it had started and
// never finished (Cucumber was stopped under it), or it had not started (never
// begun, or skipped by support/interrupt.ts with its "Skipped: interrupted" line). A
// scenario that finished keeps its own verdict. JUnit names every cut-short
// scenario with <skipped message="interrupted">, never a failure; Allure gets
// a "skipped" result for it whose message starts with "interrupted", which
// the "Interrupted run" category matches (scripts/lib/allure-files.ts).
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { markKnownDivergences } from './junit-divergences';

// The same printer as Cucumber's own junit formatter (@cucumber/cucumber 12.9
// pins @cucumber/junit-xml-formatter 0.13.3), so names and layout match a complete run's file.
const { JUnitXmlPrinter } = require('@cucumber/junit-xml-formatter') as {
  JUnitXmlPrinter: new (options: { suiteName?: string }, write: (xml: string) => void) => { update(envelope: Envelope): void };
};
const { md5, getProjectName } = require('allure-js-commons/sdk/reporter') as { md5(s: string): string; getProjectName(): string | undefined };

interface Timestamp {
  seconds: number;
  nanos: number;
}

interface StepResult {
  status: string;
  message?: string;
  duration: Timestamp;
  exception?: { type: string; message?: string; stackTrace?: string };
}

/** The envelopes of Cucumber's message protocol this module reads or completes. */
export interface Envelope {
  gherkinDocument?: { uri?: string; feature?: { name: string; tags?: Array<{ name: string }> } };
  pickle?: { id: string; name: string; uri: string; tags?: Array<{ name: string }> };
  testCase?: { id: string; pickleId: string; testSteps: Array<{ id: string; pickleStepId?: string; hookId?: string }> };
  testCaseStarted?: { id: string; testCaseId: string; attempt: number; timestamp: Timestamp };
  testStepFinished?: { testCaseStartedId: string; testStepId: string; testStepResult: StepResult; timestamp: Timestamp };
  testCaseFinished?: { testCaseStartedId: string; timestamp: Timestamp; willBeRetried: boolean };
  attachment?: { testCaseStartedId?: string; body?: string; mediaType?: string };
  testRunStarted?: { timestamp: Timestamp };
  testRunFinished?: { timestamp: Timestamp; success: boolean };
  [other: string]: unknown;
}

export type CutShort = 'in flight' | 'not started';

export interface InterruptedScenario {
  name: string;
  uri: string;
  feature?: string;
  tags: string[];
  cut: CutShort;
}

export interface CompletedRun {
  /** The message stream with what the interrupt cut off added: every test case finished, the run finished. */
  envelopes: Envelope[];
  interrupted: InterruptedScenario[];
}

/** The log line support/interrupt.ts writes on a scenario it did not start. */
const NOT_STARTED_LOG = /^Skipped: interrupted\b/;
const IN_FLIGHT_MESSAGE = 'interrupted: the run was stopped while this scenario ran';
const NOT_STARTED_MESSAGE = 'interrupted: the run was stopped before this scenario started';

export function readEnvelopes(messagesFile: string): Envelope[] {
  const text = fs.existsSync(messagesFile) ? fs.readFileSync(messagesFile, 'utf8') : '';
  const envelopes: Envelope[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      envelopes.push(JSON.parse(line) as Envelope);
    } catch {
      // the last line, cut by a kill
    }
  }
  return envelopes;
}

function now(): Timestamp {
  const ms = Date.now();
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
}

/** Finishes, as interrupted, whatever the interrupt left unfinished in a message stream. */
export function completeInterruptedRun(original: Envelope[]): CompletedRun {
  const envelopes = original.map((e) => structuredClone(e));
  const pickles = new Map<string, NonNullable<Envelope['pickle']>>();
  const features = new Map<string, NonNullable<Envelope['gherkinDocument']>['feature']>();
  const testCases = new Map<string, NonNullable<Envelope['testCase']>>();
  const attempts = new Map<string, NonNullable<Envelope['testCaseStarted']>>();
  const finished = new Set<string>();
  const stepsDone = new Map<string, Set<string>>();
  const notStartedByHook = new Set<string>();
  for (const e of envelopes) {
    if (e.gherkinDocument?.uri) features.set(e.gherkinDocument.uri, e.gherkinDocument.feature);
    else if (e.pickle) pickles.set(e.pickle.id, e.pickle);
    else if (e.testCase) testCases.set(e.testCase.id, e.testCase);
    else if (e.testCaseStarted) attempts.set(e.testCaseStarted.id, e.testCaseStarted);
    else if (e.testStepFinished) {
      const done = stepsDone.get(e.testStepFinished.testCaseStartedId) ?? new Set<string>();
      done.add(e.testStepFinished.testStepId);
      stepsDone.set(e.testStepFinished.testCaseStartedId, done);
    } else if (e.testCaseFinished && !e.testCaseFinished.willBeRetried) finished.add(e.testCaseFinished.testCaseStartedId);
    else if (e.attachment?.testCaseStartedId && NOT_STARTED_LOG.test(e.attachment.body ?? '')) notStartedByHook.add(e.attachment.testCaseStartedId);
  }
  const interrupted: InterruptedScenario[] = [];
  const describe = (testCaseId: string, cut: CutShort): void => {
    const pickle = pickles.get(testCases.get(testCaseId)?.pickleId ?? '');
    if (!pickle) return;
    interrupted.push({ name: pickle.name, uri: pickle.uri, feature: features.get(pickle.uri)?.name, tags: (pickle.tags ?? []).map((t) => t.name), cut });
  };
  // A skip by support/interrupt.ts: its skipped steps carry the reason, which the JUnit and Allure messages show.
  for (const e of envelopes) {
    const f = e.testStepFinished;
    if (f && notStartedByHook.has(f.testCaseStartedId) && f.testStepResult.status === 'SKIPPED') f.testStepResult.message = NOT_STARTED_MESSAGE;
  }
  const lastAttempt = new Map<string, string>();
  for (const a of attempts.values()) lastAttempt.set(a.testCaseId, a.id);
  const added: Envelope[] = [];
  const stopTestCase = (startedId: string, testCase: NonNullable<Envelope['testCase']>, message: string): void => {
    const done = stepsDone.get(startedId) ?? new Set<string>();
    const next = testCase.testSteps.find((s) => !done.has(s.id)) ?? testCase.testSteps[0];
    if (next) added.push({ testStepFinished: { testCaseStartedId: startedId, testStepId: next.id, testStepResult: { status: 'SKIPPED', message, duration: { seconds: 0, nanos: 0 } }, timestamp: now() } });
    added.push({ testCaseFinished: { testCaseStartedId: startedId, timestamp: now(), willBeRetried: false } });
  };
  for (const testCase of testCases.values()) {
    const startedId = lastAttempt.get(testCase.id);
    if (startedId === undefined) {
      const id = crypto.randomUUID();
      added.push({ testCaseStarted: { id, testCaseId: testCase.id, attempt: 0, timestamp: now() } });
      stopTestCase(id, testCase, NOT_STARTED_MESSAGE);
      describe(testCase.id, 'not started');
    } else if (!finished.has(startedId)) {
      stopTestCase(startedId, testCase, IN_FLIGHT_MESSAGE);
      describe(testCase.id, 'in flight');
    } else if (notStartedByHook.has(startedId)) describe(testCase.id, 'not started');
  }
  // What was added goes before the run's end, which the JUnit printer writes its file on.
  const end = envelopes.findIndex((e) => e.testRunFinished);
  const runFinished = end >= 0 ? envelopes.splice(end, 1)[0] : { testRunFinished: { timestamp: now(), success: false } };
  envelopes.push(...added, runFinished);
  return { envelopes, interrupted };
}

/** Cucumber's JUnit XML for a message stream, with interrupted and known-divergent scenarios and security findings (known weaknesses) marked as skipped. */
export function junitXml(envelopes: Envelope[]): string {
  let xml = '';
  const printer = new JUnitXmlPrinter({}, (out) => (xml = out));
  for (const e of envelopes) printer.update(e);
  if (!xml) printer.update({ testRunFinished: { timestamp: now(), success: false } });
  // The printer gives a skip only the reason's text; JUnit readers show the message attribute.
  xml = xml.replace(/<skipped>\s*<!\[CDATA\[(interrupted: [^\]]*)\]\]>\s*<\/skipped>/g, (_all, text: string) => `<skipped message="interrupted"><![CDATA[${text}]]></skipped>`);
  return markKnownDivergences(xml).xml;
}

/** Writes junit.xml whole (temporary file, then rename): a kill never leaves half a file. */
export function writeJunit(file: string, envelopes: Envelope[]): void {
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, junitXml(envelopes));
  fs.renameSync(tmp, file);
}

/** True when the file ends as Cucumber's JUnit formatter ends it (written at the run's very end). */
export function junitComplete(file: string): boolean {
  try {
    return /<\/testsuite>\s*$/.test(fs.readFileSync(file, 'utf8'));
  } catch {
    return false;
  }
}

interface AllureResult {
  uuid: string;
  name?: string;
  fullName?: string;
  status?: string;
  statusDetails?: { message?: string; trace?: string };
  [other: string]: unknown;
}

function allureFullName(s: InterruptedScenario): string {
  const project = getProjectName();
  return `${project ? `${project}:` : ''}${s.uri}#${s.name}`;
}

/**
 * Gives every cut-short scenario an Allure result "skipped" with the
 * interruption as its message: the one allure-cucumberjs wrote when the
 * scenario was skipped, else (stopped under it, or never begun) a new one.
 */
export function markAllureInterrupted(resultsDir: string, interrupted: InterruptedScenario[]): void {
  fs.mkdirSync(resultsDir, { recursive: true });
  const byFullName = new Map<string, Array<{ file: string; result: AllureResult }>>();
  for (const name of fs.readdirSync(resultsDir).filter((n) => n.endsWith('-result.json'))) {
    const file = path.join(resultsDir, name);
    try {
      const result = JSON.parse(fs.readFileSync(file, 'utf8')) as AllureResult;
      if (result.fullName) byFullName.set(result.fullName, [...(byFullName.get(result.fullName) ?? []), { file, result }]);
    } catch {
      // not a result this run wrote whole: Allure skips it too
    }
  }
  for (const s of interrupted) {
    const fullName = allureFullName(s);
    const message = s.cut === 'in flight' ? IN_FLIGHT_MESSAGE : NOT_STARTED_MESSAGE;
    const written = (byFullName.get(fullName) ?? []).find((r) => r.result.status !== 'passed' && r.result.status !== 'failed' && !r.result.statusDetails?.message?.startsWith('interrupted'));
    if (written) {
      written.result.status = 'skipped';
      written.result.statusDetails = { message };
      fs.writeFileSync(written.file, JSON.stringify(written.result));
      continue;
    }
    const uuid = crypto.randomUUID();
    const at = Date.now();
    const result = {
      uuid,
      name: s.name,
      fullName,
      testCaseId: md5(fullName),
      historyId: `${md5(fullName)}:${md5('')}`,
      status: 'skipped',
      statusDetails: { message },
      stage: 'finished',
      steps: [],
      attachments: [],
      parameters: [],
      labels: [
        { name: 'framework', value: 'cucumberjs' },
        ...(s.feature ? [{ name: 'feature', value: s.feature }] : []),
        ...s.tags.map((t) => ({ name: 'tag', value: t })),
      ],
      links: [],
      start: at,
      stop: at,
    };
    fs.writeFileSync(path.join(resultsDir, `${uuid}-result.json`), JSON.stringify(result));
  }
}
