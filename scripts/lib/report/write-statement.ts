// Builds the conformance statement of a results folder and writes it next to
// the reports: conformance-statement.{json,html,md}.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readScenarios, type ScenarioRecord } from './allure-results';
import { Ledger, divergenceLedgerFile, weaknessLedgerFile } from './ledgers';
import { runFacts } from './run-facts';
import { buildStatement, type Statement } from './statement';
import { changesSince, previousStatement } from './statement-history';
import { renderHtml, renderJson, renderMarkdown } from './statement-render';
import { caseKey, testCaseLink, testCaseUids } from './allure-links';

export interface StatementPaths {
  root: string;
  reports: string;
  results: string;
  /** The generated Allure report, for the scenario links; absent when it was not built. */
  report?: string;
}

export function statementFiles(reports: string): { json: string; html: string; md: string; kept: string } {
  return {
    json: path.join(reports, 'conformance-statement.json'),
    html: path.join(reports, 'conformance-statement.html'),
    md: path.join(reports, 'conformance-statement.md'),
    kept: path.join(reports, 'conformance-statement.previous.json'),
  };
}

export function ledgers(root: string, env: NodeJS.ProcessEnv = process.env): { divergences: Ledger; weaknesses: Ledger } {
  return { divergences: Ledger.read(divergenceLedgerFile(root, env)), weaknesses: Ledger.read(weaknessLedgerFile(root)) };
}

export function makeStatement(p: StatementPaths, env: NodeJS.ProcessEnv = process.env, scenarios: ScenarioRecord[] = readScenarios(p.results)): Statement {
  const pkg = JSON.parse(fs.readFileSync(path.join(p.root, 'package.json'), 'utf8')) as { version: string };
  const preflightFailed = scenarios.some((s) => s.feature === 'Preflight' && s.result.status !== 'passed');
  const { divergences, weaknesses } = ledgers(p.root, env);
  return buildStatement(scenarios, runFacts(p.results, `uma-claims-conformance ${pkg.version}`, preflightFailed), divergences, weaknesses);
}

export function linkScenarios(s: Statement, reports: string, report: string): void {
  const uids = testCaseUids(report);
  for (const row of [...s.requirements, ...s.findings]) {
    for (const sc of row.scenarios) {
      const uid = uids.get(caseKey(sc.fullName, sc.start));
      if (uid) sc.link = testCaseLink(reports, report, uid);
    }
  }
}

export function writeStatement(s: Statement, reports: string, env: NodeJS.ProcessEnv = process.env): ReturnType<typeof statementFiles> {
  const files = statementFiles(reports);
  const previous = previousStatement(s.runStartedAt, { current: files.json, kept: files.kept, fromCi: env.UMA_PREVIOUS_STATEMENT || undefined });
  if (previous) s.changes = changesSince(previous, s);
  fs.mkdirSync(reports, { recursive: true });
  fs.writeFileSync(files.json, renderJson(s));
  fs.writeFileSync(files.html, renderHtml(s));
  fs.writeFileSync(files.md, renderMarkdown(s));
  return files;
}
