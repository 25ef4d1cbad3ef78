// Makes the Allure results tell the truth before a report is built from them:
// a known divergence (and a recorded security finding) is not a failure, so
// its result becomes "skipped" with Allure's "known" flag, a label and three
// parameters (record id, reason, source), as JUnit calls it skipped with its
// reason (scripts/lib/junit-divergences.ts). Its message keeps the error
// class, so the categories (allure-files.ts) file it under "Known
// divergences" or "Security findings", never under failures. A conformant
// run's overview then shows no red. Idempotent: a result already rewritten
// is left as it is. README "Reading the reports" says why this mechanism.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { meaningOf } from './outcomes';
import { Ledger, divergenceLedgerFile, weaknessLedgerFile } from './ledgers';
import { resultFiles, type AllureResult } from './allure-results';

export const DIVERGENCE_LABEL = 'known divergence';
export const WEAKNESS_LABEL = 'security finding';

export interface Rewritten {
  divergences: number;
  weaknesses: number;
}

function setParameter(r: AllureResult, name: string, value: string): void {
  r.parameters = (r.parameters ?? []).filter((p) => p.name !== name);
  // excluded: not part of the history id, so the trend of an outline row stays one line.
  if (value) r.parameters.push({ name, value, excluded: true });
}

export function rewriteResult(r: AllureResult, divergences: Ledger, weaknesses: Ledger): 'known divergence' | 'known weakness' | undefined {
  const message = r.statusDetails?.message ?? '';
  if (!message || (r.status !== 'failed' && r.status !== 'broken' && r.status !== 'skipped')) return undefined;
  const meaning = meaningOf(message);
  if (meaning.kind === 'failed' || !meaning.recordId) return undefined;
  const divergence = meaning.kind === 'known divergence';
  const entry = (divergence ? divergences : weaknesses).find(meaning.recordId, meaning.requirement);
  r.status = 'skipped';
  r.statusDetails = { ...r.statusDetails, known: true };
  const label = divergence ? DIVERGENCE_LABEL : WEAKNESS_LABEL;
  r.labels = (r.labels ?? []).filter((l) => !(l.name === 'tag' && (l.value === label || l.value === DIVERGENCE_LABEL || l.value === WEAKNESS_LABEL)));
  r.labels.push({ name: 'tag', value: label });
  setParameter(r, divergence ? 'Known divergence' : 'Security finding', meaning.recordId);
  if (meaning.requirement) setParameter(r, 'Requirement', meaning.requirement);
  setParameter(r, 'Why', entry?.reason ?? '');
  setParameter(r, 'Source', entry?.source ?? '');
  return meaning.kind;
}

export function rewriteResults(dir: string, divergences: Ledger, weaknesses: Ledger): Rewritten {
  const done: Rewritten = { divergences: 0, weaknesses: 0 };
  for (const f of resultFiles(dir)) {
    const file = path.join(dir, f);
    let r: AllureResult;
    try {
      r = JSON.parse(fs.readFileSync(file, 'utf8')) as AllureResult;
    } catch {
      continue;
    }
    const before = JSON.stringify(r);
    const kind = rewriteResult(r, divergences, weaknesses);
    if (kind === 'known divergence') done.divergences++;
    if (kind === 'known weakness') done.weaknesses++;
    if (kind && JSON.stringify(r) !== before) fs.writeFileSync(file, JSON.stringify(r));
  }
  return done;
}

/** The launcher's call at the end of a run (scripts/run.ts): the results on disk tell the truth to any Allure tool. */
export function rewriteRunResults(resultsDir: string, root: string, env: NodeJS.ProcessEnv = process.env): Rewritten {
  return rewriteResults(resultsDir, Ledger.read(divergenceLedgerFile(root, env)), Ledger.read(weaknessLedgerFile(root)));
}
