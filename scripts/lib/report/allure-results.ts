// Reads a run's allure-results folder into one record per scenario: its
// name, status, tags, first failure, the checks it recorded (the After
// hook's checks.txt) and, when a Before hook skipped it, the reason it
// logged. The statement and the Allure rewrite both start from here.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The parts of an Allure result file this project reads and writes (allure-js-commons TestResult). */
export interface AllureLabel {
  name: string;
  value: string;
}
export interface AllureAttachmentRef {
  name: string;
  source: string;
  type?: string;
}
export interface AllureStep {
  name?: string;
  status?: string;
  attachments?: AllureAttachmentRef[];
  steps?: AllureStep[];
}
export interface AllureResult {
  uuid: string;
  name: string;
  fullName?: string;
  historyId?: string;
  status?: string;
  statusDetails?: { message?: string; trace?: string; known?: boolean };
  labels?: AllureLabel[];
  links?: Array<{ name?: string; url: string; type?: string }>;
  parameters?: Array<{ name: string; value: string; excluded?: boolean }>;
  attachments?: AllureAttachmentRef[];
  steps?: AllureStep[];
  description?: string;
  start?: number;
  stop?: number;
}
interface AllureContainer {
  children?: string[];
  befores?: AllureStep[];
  afters?: AllureStep[];
}

/** One line of checks.txt (support/hooks.ts): the outcome, the requirement id when the check has one. */
export interface RecordedCheck {
  outcome: string;
  requirement?: string;
  line: string;
}

export interface ScenarioRecord {
  file: string;
  result: AllureResult;
  feature: string;
  tags: string[];
  checks: RecordedCheck[];
  /** The Before hook's "Skipped: …" reason, without the prefix. */
  skipReason?: string;
}

const CHECK_OUTCOMES = ['weakness not found', 'known divergence', 'divergence gone', 'known weakness', 'passed', 'failed'];

export function parseChecks(text: string): RecordedCheck[] {
  const out: RecordedCheck[] = [];
  for (const line of text.split('\n')) {
    const outcome = CHECK_OUTCOMES.find((o) => line.startsWith(`${o} `) || line === o);
    if (!outcome) continue;
    const rest = line.slice(outcome.length).trim();
    const first = /^(\S+) /.exec(rest)?.[1];
    const requirement = first && /^(UMA|OIDC|RFC|SEC)[A-Z0-9]*-/.test(first) && !first.endsWith(':') ? first : undefined;
    out.push({ outcome, requirement, line });
  }
  return out;
}

function attachmentsOf(steps: AllureStep[] | undefined, into: AllureAttachmentRef[] = []): AllureAttachmentRef[] {
  for (const s of steps ?? []) {
    into.push(...(s.attachments ?? []));
    attachmentsOf(s.steps, into);
  }
  return into;
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export function resultFiles(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('-result.json')).sort() : [];
}

export function readScenarios(dir: string): ScenarioRecord[] {
  const fixtures = new Map<string, AllureAttachmentRef[]>();
  for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    if (!f.endsWith('-container.json')) continue;
    const c = readJson<AllureContainer>(path.join(dir, f));
    if (!c) continue;
    const refs = [...attachmentsOf(c.befores), ...attachmentsOf(c.afters)];
    for (const child of c.children ?? []) fixtures.set(child, [...(fixtures.get(child) ?? []), ...refs]);
  }
  const text = (ref: AllureAttachmentRef) => {
    try {
      return fs.readFileSync(path.join(dir, ref.source), 'utf8');
    } catch {
      return '';
    }
  };
  const byHistory = new Map<string, ScenarioRecord>();
  for (const f of resultFiles(dir)) {
    const result = readJson<AllureResult>(path.join(dir, f));
    if (!result || typeof result.name !== 'string') continue;
    const labels = result.labels ?? [];
    const refs = [...(result.attachments ?? []), ...attachmentsOf(result.steps), ...(fixtures.get(result.uuid) ?? [])];
    const checks = refs.filter((r) => r.name === 'checks.txt').flatMap((r) => parseChecks(text(r)));
    const skipLog = refs.filter((r) => !/\.(zip|png|html)$/.test(r.source)).map(text).find((t) => t.startsWith('Skipped: '));
    const record: ScenarioRecord = {
      file: f,
      result,
      feature: labels.find((l) => l.name === 'feature')?.value ?? '',
      tags: labels.filter((l) => l.name === 'tag').map((l) => l.value.replace(/^@/, '')),
      checks,
      skipReason: skipLog?.replace(/^Skipped: /, '').trim(),
    };
    // A retried scenario: the last attempt is the one that counts.
    const key = result.historyId ?? result.uuid;
    const before = byHistory.get(key);
    if (!before || (before.result.stop ?? 0) <= (result.stop ?? 0)) byHistory.set(key, record);
  }
  return [...byHistory.values()];
}
