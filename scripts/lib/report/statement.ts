// The conformance statement's content: where the deployment stands, one row
// per requirement id of the project's one list (support/requirement-list.ts)
// plus any id a scenario used that the list lacks, and one row per recorded
// security finding (SEC-…). Rendering is statement-render.ts's job.
import { isRequirementId } from '../../../support/requirements';
import { listedRequirements, specOf } from '../../../support/requirement-list';
import { firstLine, meaningOf } from './outcomes';
import type { Ledger } from './ledgers';
import type { ScenarioRecord } from './allure-results';
import type { RunFacts } from './run-facts';

export type ScenarioOutcome = 'passed' | 'failed' | 'known divergence' | 'known weakness' | 'skipped' | 'interrupted';
export type RequirementVerdict = 'met' | 'departs as recorded' | 'failed' | 'not tested';
export type FindingVerdict = 'found, as recorded' | 'not found' | 'failed' | 'not tested';

export interface ScenarioRef {
  name: string;
  feature: string;
  outcome: ScenarioOutcome;
  /** The Allure report's page of this scenario, relative to the statement (set once the report is built). */
  link?: string;
  /** Allure's full name and start time: what finds the scenario's page in the generated report. */
  fullName?: string;
  start?: number;
}

export interface RecordRef {
  id: string;
  reason: string;
  source: string;
}

export interface StatementRow {
  id: string;
  spec: string;
  level: string;
  text: string;
  url: string;
  verdict: RequirementVerdict | FindingVerdict;
  /** Why, in words: the failure's first line, the divergence's reason, or why it was not tested. */
  detail: string;
  records: RecordRef[];
  scenarios: ScenarioRef[];
}

export interface StatementChange {
  id: string;
  from: string;
  to: string;
  /** In words: "newly failed", "divergence gone", … */
  what: string;
}

export interface Statement {
  schema: 'uma-claims-conformance/statement@1';
  generatedAt: string;
  /** When the run started (its first scenario), to tell a new run from a regenerated report. */
  runStartedAt?: string;
  suiteVersion: string;
  target: RunFacts;
  verdict: { conformant: boolean; headline: string };
  counts: Record<ScenarioOutcome, number> & { scenarios: number };
  requirements: StatementRow[];
  findings: StatementRow[];
  /** Since the previous statement of this reports folder (or the one CI kept); absent for a first run. */
  changes?: { since: string; list: StatementChange[] };
}

export function scenarioOutcome(s: ScenarioRecord): ScenarioOutcome {
  const r = s.result;
  const message = r.statusDetails?.message ?? '';
  if (/^interrupted: /.test(message)) return 'interrupted';
  const meaning = message ? meaningOf(message) : undefined;
  if (meaning && meaning.kind !== 'failed' && (r.status === 'skipped' || r.status === 'failed')) return meaning.kind;
  if (r.status === 'passed') return 'passed';
  if (r.status === 'skipped') return 'skipped';
  return 'failed';
}

const RANK: Record<RequirementVerdict, number> = { failed: 3, 'departs as recorded': 2, met: 1, 'not tested': 0 };

interface Contribution {
  verdict: RequirementVerdict;
  detail: string;
  record?: string;
}

function notTestedReason(s: ScenarioRecord, outcome: ScenarioOutcome): string {
  if (outcome === 'interrupted') return 'the run was interrupted before it finished';
  return s.skipReason ? `skipped: ${s.skipReason}` : 'skipped';
}

/** What one scenario says about one requirement it names. */
function contribution(s: ScenarioRecord, outcome: ScenarioOutcome, id: string): Contribution {
  if (outcome === 'skipped' || outcome === 'interrupted') return { verdict: 'not tested', detail: notTestedReason(s, outcome) };
  if (outcome === 'passed') return { verdict: 'met', detail: '' };
  const message = s.result.statusDetails?.message ?? '';
  const m = meaningOf(message);
  const checks = s.checks.filter((c) => c.requirement === id);
  if (m.requirement === id || (outcome === 'failed' && !m.requirement)) {
    if (outcome === 'known divergence') return { verdict: 'departs as recorded', detail: firstLine(message), record: m.recordId };
    if (outcome === 'failed') return { verdict: 'failed', detail: firstLine(message) || 'the scenario failed' };
  }
  if (checks.some((c) => c.outcome === 'failed' || c.outcome === 'divergence gone')) return { verdict: 'failed', detail: firstLine(message) };
  if (checks.some((c) => c.outcome === 'passed')) return { verdict: 'met', detail: '' };
  return { verdict: 'not tested', detail: `its scenario stopped earlier, at ${m.recordId ?? m.requirement ?? 'another check'}` };
}

function requirementIdsOf(s: ScenarioRecord): string[] {
  const m = meaningOf(s.result.statusDetails?.message ?? '');
  const ids = [...s.tags.filter(isRequirementId), ...(m.requirement && isRequirementId(m.requirement) ? [m.requirement] : []), ...s.checks.map((c) => c.requirement ?? '').filter(isRequirementId)];
  return [...new Set(ids)];
}

function ref(s: ScenarioRecord, outcome: ScenarioOutcome): ScenarioRef {
  return { name: s.result.name, feature: s.feature, outcome, fullName: s.result.fullName, start: s.result.start };
}

export function buildRequirementRows(scenarios: ScenarioRecord[], divergences: Ledger): StatementRow[] {
  const listed = listedRequirements();
  const rows = new Map<string, StatementRow>(
    listed.map((r) => [r.id, { id: r.id, spec: r.spec, level: r.level, text: r.text, url: r.url, verdict: 'not tested', detail: '', records: [], scenarios: [] }]),
  );
  const contributions = new Map<string, Contribution[]>();
  for (const s of scenarios) {
    const outcome = scenarioOutcome(s);
    for (const id of requirementIdsOf(s)) {
      if (!rows.has(id)) rows.set(id, { id, spec: specOf(id), level: '', text: '(not in the requirements list: add it to support/uma2-requirements.ts or support/requirements.ts)', url: '', verdict: 'not tested', detail: '', records: [], scenarios: [] });
      rows.get(id)!.scenarios.push(ref(s, outcome));
      contributions.set(id, [...(contributions.get(id) ?? []), contribution(s, outcome, id)]);
    }
  }
  for (const row of rows.values()) {
    const list = contributions.get(row.id) ?? [];
    if (!list.length) {
      row.detail = 'no scenario checks it';
      continue;
    }
    const worst = list.reduce((a, b) => (RANK[b.verdict] > RANK[a.verdict] ? b : a));
    row.verdict = worst.verdict;
    const recordIds = [...new Set(list.filter((c) => c.verdict === 'departs as recorded' && c.record).map((c) => c.record!))];
    row.records = recordIds.map((id) => {
      const e = divergences.find(id, row.id);
      return { id, reason: e?.reason ?? '', source: e?.source ?? '' };
    });
    if (worst.verdict === 'departs as recorded') row.detail = row.records.map((r) => `${r.id}: ${r.reason || worst.detail}`).join(' ');
    else if (worst.verdict === 'not tested') row.detail = [...new Set(list.map((c) => c.detail))].join('; ');
    else row.detail = worst.detail;
  }
  return [...rows.values()];
}

/** One row per security finding: every SEC- id of the ledger, and any a scenario recorded. */
export function buildFindingRows(scenarios: ScenarioRecord[], weaknesses: Ledger): StatementRow[] {
  const rows = new Map<string, StatementRow>();
  const row = (id: string) => {
    if (!rows.has(id)) {
      const e = weaknesses.find(id);
      rows.set(id, { id, spec: 'Security finding', level: e?.severity ?? '', text: e?.reason ?? '', url: '', verdict: 'not tested', detail: 'no scenario checks it', records: e ? [{ id, reason: e.reason, source: e.source }] : [], scenarios: [] });
    }
    return rows.get(id)!;
  };
  for (const e of weaknesses.entries) row(e.id);
  for (const s of scenarios) {
    const outcome = scenarioOutcome(s);
    const message = s.result.statusDetails?.message ?? '';
    const m = meaningOf(message);
    const ids = new Set([...s.tags.filter((t) => /^SEC-/.test(t)), ...(m.recordId?.startsWith('SEC-') ? [m.recordId] : []), ...s.checks.map((c) => c.requirement ?? '').filter((id) => /^SEC-/.test(id))]);
    for (const id of ids) {
      const r = row(id);
      r.scenarios.push(ref(s, outcome));
      const found = (outcome === 'known weakness' && m.recordId === id) || s.checks.some((c) => c.requirement === id && c.outcome === 'known weakness');
      const verdict: FindingVerdict = found ? 'found, as recorded' : outcome === 'failed' ? 'failed' : outcome === 'passed' ? 'not found' : 'not tested';
      const rank = (v: string) => ['not tested', 'not found', 'found, as recorded', 'failed'].indexOf(v);
      if (rank(verdict) >= rank(r.verdict)) {
        r.verdict = verdict;
        r.detail = verdict === 'failed' ? firstLine(message) : verdict === 'not tested' ? notTestedReason(s, outcome) : verdict === 'not found' ? 'the weakness did not show in this run' : firstLine(message) || (r.text ?? '');
      }
    }
  }
  return [...rows.values()];
}

export function countOutcomes(scenarios: ScenarioRecord[]): Statement['counts'] {
  const counts = { scenarios: 0, passed: 0, failed: 0, 'known divergence': 0, 'known weakness': 0, skipped: 0, interrupted: 0 };
  for (const s of scenarios) {
    counts.scenarios++;
    counts[scenarioOutcome(s)]++;
  }
  return counts;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The verdict in one line, as the Allure report's name and the statement's headline say it. */
export function verdictOf(counts: Statement['counts'], facts: Pick<RunFacts, 'interrupted' | 'preflightFailed'>): Statement['verdict'] {
  const ran = counts.scenarios - counts.skipped - counts.interrupted;
  const extras = [
    counts['known divergence'] ? plural(counts['known divergence'], 'known divergence') : '',
    counts['known weakness'] ? plural(counts['known weakness'], 'security finding') : '',
    counts.skipped ? `${counts.skipped} not run here` : '',
  ].filter(Boolean);
  const tail = extras.length ? `, ${extras.join(', ')}` : '';
  if (facts.preflightFailed) return { conformant: false, headline: 'nothing tested: the preflight found an environment or configuration problem' };
  if (counts.failed) return { conformant: false, headline: `not conformant: ${plural(counts.failed, 'scenario')} failed${tail}` };
  if (facts.interrupted || counts.interrupted) return { conformant: false, headline: `incomplete: the run was interrupted (${counts.interrupted} cut short)${tail}` };
  if (ran === 0) return { conformant: false, headline: 'nothing tested: no scenario ran' };
  return { conformant: true, headline: `conformant${tail}` };
}

export function buildStatement(scenarios: ScenarioRecord[], facts: RunFacts, divergences: Ledger, weaknesses: Ledger, now = new Date()): Statement {
  const counts = countOutcomes(scenarios.filter((s) => s.feature !== 'Preflight'));
  const starts = scenarios.map((s) => s.result.start ?? 0).filter((n) => n > 0);
  return {
    schema: 'uma-claims-conformance/statement@1',
    generatedAt: now.toISOString(),
    runStartedAt: starts.length ? new Date(Math.min(...starts)).toISOString() : undefined,
    suiteVersion: facts.suiteVersion,
    target: facts,
    verdict: verdictOf(counts, facts),
    counts,
    requirements: buildRequirementRows(scenarios, divergences),
    findings: buildFindingRows(scenarios, weaknesses),
  };
}
