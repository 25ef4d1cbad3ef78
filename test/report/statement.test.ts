// The Allure rewrite and the conformance statement, from a hand-made results
// folder: a pass, a known divergence, a failure, a skip with its reason and a
// recorded security finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readScenarios, parseChecks, type AllureResult } from '../../scripts/lib/report/allure-results';
import { rewriteResults } from '../../scripts/lib/report/allure-truth';
import { Ledger } from '../../scripts/lib/report/ledgers';
import { runFacts, parseProperties } from '../../scripts/lib/report/run-facts';
import { buildStatement, verdictOf, type Statement } from '../../scripts/lib/report/statement';
import { changesSince, previousStatement } from '../../scripts/lib/report/statement-history';
import { renderHtml, renderMarkdown } from '../../scripts/lib/report/statement-render';
import { CATEGORIES, propertyLine } from '../../scripts/lib/allure-files';
import { listedRequirements } from '../../support/requirement-list';
import { KnownWeaknessAssertionError, probe } from '../../support/checks/core';
import { DivergenceLedger } from '../../support/divergences';
import { Secrets } from '../../support/mask';
import { WeaknessLedger, type Weakness } from '../../support/weaknesses';

const DIV_MESSAGE =
  'KnownDivergenceAssertionError: KNOWN DIVERGENCE DIV-AS-01: The ticket was refused with a vendor code.\n  requirement: UMA-GRANT-3.3.6-INVALID-GRANT  https://x\n  UMA 2.0 expects: "invalid_grant"\n  deployment does: "invalid_ticket" (as recorded)';
const FAIL_MESSAGE = 'ConformanceAssertionError: The gateway let the request through without an RPT.\n  requirement: UMA-GRANT-3.2.1-STATUS-401  https://x\n  expected: 401\n  actual:   200';
// The message exactly as a probe throws it (support/checks/core.ts probe()): the report readers
// once missed every finding because the severity after the id was added there and not here.
function probeMessage(): string {
  const ledger = new WeaknessLedger('w.json', [
    { id: 'SEC-GW-01', requirement: 'RFC7239-8.1-HEADER-INTEGRITY', aspect: 'client-sent header', observed: ['forwarded'], severity: 'high', reason: 'r', source: 's', status: 'verified' },
  ] as Weakness[]);
  const ctx = { secrets: new Secrets(), ledger: new DivergenceLedger('d.json', []), weaknesses: ledger, record: () => undefined };
  try {
    probe(ctx, { requirement: 'RFC7239-8.1-HEADER-INTEGRITY', aspect: 'client-sent header', failure: 'The gateway trusts a client-sent header.', expected: 'replaced', actual: 'forwarded', pass: false });
  } catch (err) {
    if (err instanceof KnownWeaknessAssertionError) return `${err.name}: ${err.message}`;
    throw err;
  }
  throw new Error('probe() did not throw');
}
const SEC_MESSAGE = probeMessage();

const divergences = new Ledger([{ id: 'DIV-AS-01', requirement: 'UMA-GRANT-3.3.6-INVALID-GRANT', reason: 'Gluu 4.2 says invalid_ticket.', source: 'oxAuth UmaValidationService' }]);
const weaknesses = new Ledger([
  { id: 'SEC-GW-01', reason: 'Client-sent X-Forwarded headers reach the API.', source: 'kong nginx template' },
  { id: 'SEC-GW-02', reason: 'Never checked here.', source: 's' },
]);

let n = 0;
function write(dir: string, r: Partial<AllureResult> & { name: string }, extras: { checks?: string; log?: string } = {}): string {
  const uuid = `u${++n}`;
  const tags = (r.labels ?? []).length ? r.labels! : [];
  const result = { uuid, historyId: `h${n}`, fullName: `f#${r.name}`, start: 1000 + n, stop: 2000 + n, statusDetails: {}, ...r, labels: [{ name: 'feature', value: 'Some feature' }, ...tags] };
  fs.writeFileSync(path.join(dir, `${uuid}-result.json`), JSON.stringify(result));
  const afters = [];
  const befores = [];
  if (extras.checks) {
    fs.writeFileSync(path.join(dir, `${uuid}-checks-attachment.txt`), extras.checks);
    afters.push({ steps: [{ name: 'checks.txt', attachments: [{ name: 'checks.txt', source: `${uuid}-checks-attachment.txt` }] }] });
  }
  if (extras.log) {
    fs.writeFileSync(path.join(dir, `${uuid}-log-attachment.txt`), extras.log);
    befores.push({ steps: [{ name: 'Attachment', attachments: [{ name: 'Attachment', source: `${uuid}-log-attachment.txt` }] }] });
  }
  fs.writeFileSync(path.join(dir, `c${uuid}-container.json`), JSON.stringify({ uuid: `c${uuid}`, children: [uuid], befores, afters }));
  return uuid;
}
const tag = (...ids: string[]) => ids.map((id) => ({ name: 'tag', value: `@${id}` }));

function fixture(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uma-statement-'));
  write(dir, { name: 'A tokenless request gets a ticket', status: 'passed', labels: tag('UMA-GRANT-3.2.1-TICKET-PARAM', 'UMA-GRANT-3.2-TICKET-OBTAINED') });
  write(
    dir,
    { name: 'An unknown ticket is refused', status: 'failed', statusDetails: { message: DIV_MESSAGE }, labels: tag('UMA-GRANT-3.3.6-INVALID-GRANT', 'UMA-GRANT-3.3.6-ERROR-JSON', 'UMA-GRANT-5.5-EXPIRY') },
    { checks: 'passed           UMA-GRANT-3.3.6-ERROR-JSON error body: {"error":"invalid_ticket"}\nknown divergence UMA-GRANT-3.3.6-INVALID-GRANT ticket error code: invalid_ticket' },
  );
  write(dir, { name: 'Without a token no access', status: 'failed', statusDetails: { message: FAIL_MESSAGE }, labels: tag('UMA-GRANT-3.2.1-STATUS-401', 'UMA-GRANT-3.2.1-TICKET-PARAM') });
  write(dir, { name: 'The echo shows the headers', status: 'skipped', labels: tag('UMA-GRANT-3.4-BEARER') }, { log: 'Skipped: this scenario needs an echo upstream (ECHO_UPSTREAM_URL) to see what reaches the API.' });
  write(dir, { name: 'Forwarded headers are replaced', status: 'failed', statusDetails: { message: SEC_MESSAGE }, labels: tag('security', 'SEC-GW-01') });
  fs.writeFileSync(
    path.join(dir, 'environment.properties'),
    [
      propertyLine('Target', 'external deployment'),
      propertyLine('Provisioning', 'existing'),
      propertyLine('Kong Admin API', 'Kong 2.2.1 at https://gg.example:8001/secret-path?token=abc'),
      propertyLine('oxd', 'oxd 4.2.2 running at https://gg.example:8443'),
      propertyLine('Authorization server (issuer)', 'https://ce.example'),
    ].join('\n'),
  );
  return dir;
}

function statementOf(dir: string): Statement {
  rewriteResults(dir, divergences, weaknesses);
  return buildStatement(readScenarios(dir), runFacts(dir, 'suite 0.1.0'), divergences, weaknesses);
}
const row = (s: Statement, id: string) => [...s.requirements, ...s.findings].find((r) => r.id === id)!;

test('a known divergence and a security finding become skipped results with the known flag, a label and their reason and source', () => {
  const dir = fixture();
  const done = rewriteResults(dir, divergences, weaknesses);
  assert.deepEqual(done, { divergences: 1, weaknesses: 1 });
  const results = readScenarios(dir).map((s) => s.result);
  const div = results.find((r) => r.name === 'An unknown ticket is refused')!;
  assert.equal(div.status, 'skipped');
  assert.equal(div.statusDetails?.known, true);
  assert.ok(div.labels!.some((l) => l.name === 'tag' && l.value === 'known divergence'));
  assert.deepEqual(
    div.parameters!.map((p) => [p.name, p.value]),
    [
      ['Known divergence', 'DIV-AS-01'],
      ['Requirement', 'UMA-GRANT-3.3.6-INVALID-GRANT'],
      ['Why', 'Gluu 4.2 says invalid_ticket.'],
      ['Source', 'oxAuth UmaValidationService'],
    ],
  );
  const sec = results.find((r) => r.name === 'Forwarded headers are replaced')!;
  assert.equal(sec.status, 'skipped');
  assert.ok(sec.labels!.some((l) => l.value === 'security finding'));
  // The real failure stays red; a second rewrite changes nothing.
  assert.equal(results.find((r) => r.name === 'Without a token no access')!.status, 'failed');
  const before = fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
  assert.deepEqual(rewriteResults(dir, divergences, weaknesses), { divergences: 1, weaknesses: 1 });
  assert.deepEqual(fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')), before);
});

test('Allure files the rewritten results under their own categories, never under failures', () => {
  const whole = (pattern: string | undefined, text: string) => pattern === undefined || new RegExp(`^(?:${pattern.replace('(?s)', '')})$`, 's').test(text);
  const category = (status: string, message: string) =>
    CATEGORIES.find((c) => c.matchedStatuses.includes(status) && whole('messageRegex' in c ? c.messageRegex : undefined, message) && whole('traceRegex' in c ? c.traceRegex : undefined, message))?.name;
  assert.equal(category('skipped', DIV_MESSAGE), 'Known divergences (Gluu 4.2 departs from UMA 2.0 as recorded)');
  assert.equal(category('skipped', SEC_MESSAGE), 'Security findings (known weaknesses, recorded)');
  assert.equal(category('failed', FAIL_MESSAGE), 'Conformance failures');
  assert.equal(category('skipped', ''), 'Not run here (skipped for this configuration)');
});

test('the statement has one row per listed requirement, and each verdict says why', () => {
  const s = statementOf(fixture());
  const ids = s.requirements.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length, 'a requirement has two rows');
  for (const r of listedRequirements()) assert.ok(ids.includes(r.id), `${r.id} has no row`);
  assert.equal(row(s, 'UMA-GRANT-3.2-TICKET-OBTAINED').verdict, 'met');
  // Met by one scenario; the other failed on another requirement before checking it: met.
  assert.equal(row(s, 'UMA-GRANT-3.2.1-TICKET-PARAM').verdict, 'met');
  // The failing check names the requirement: failed, with its first line.
  const failed = row(s, 'UMA-GRANT-3.2.1-STATUS-401');
  assert.equal(failed.verdict, 'failed');
  assert.equal(failed.detail, 'The gateway let the request through without an RPT.');
  const departs = row(s, 'UMA-GRANT-3.3.6-INVALID-GRANT');
  assert.equal(departs.verdict, 'departs as recorded');
  assert.deepEqual(departs.records, [{ id: 'DIV-AS-01', reason: 'Gluu 4.2 says invalid_ticket.', source: 'oxAuth UmaValidationService' }]);
  // The divergence's scenario passed this check before it stopped; and never reached that one.
  assert.equal(row(s, 'UMA-GRANT-3.3.6-ERROR-JSON').verdict, 'met');
  assert.equal(row(s, 'UMA-GRANT-5.5-EXPIRY').verdict, 'not tested');
  assert.match(row(s, 'UMA-GRANT-5.5-EXPIRY').detail, /stopped earlier, at DIV-AS-01/);
  assert.equal(row(s, 'UMA-GRANT-3.4-BEARER').verdict, 'not tested');
  assert.match(row(s, 'UMA-GRANT-3.4-BEARER').detail, /^skipped: this scenario needs an echo upstream/);
  assert.equal(row(s, 'UMA-GRANT-3.3.2-STATE').detail, 'no scenario checks it');
});

test('security findings have rows of their own: found, or not tested', () => {
  const s = statementOf(fixture());
  assert.deepEqual(
    s.findings.map((r) => [r.id, r.verdict]),
    [
      ['SEC-GW-01', 'found, as recorded'],
      ['SEC-GW-02', 'not tested'],
    ],
  );
  assert.ok(!s.requirements.some((r) => r.id.startsWith('SEC-')));
});

test('the target shows origins only, the versions found and the mode; the verdict counts', () => {
  const s = statementOf(fixture());
  assert.deepEqual(s.target.origins, [
    { name: 'Kong Admin API', origin: 'https://gg.example:8001' },
    { name: 'oxd', origin: 'https://gg.example:8443' },
    { name: 'Authorization server (issuer)', origin: 'https://ce.example' },
  ]);
  assert.deepEqual(s.target.versions, ['Kong 2.2.1', 'oxd 4.2.2']);
  assert.equal(s.target.mode, 'existing');
  assert.deepEqual(s.verdict, { conformant: false, headline: 'not conformant: 1 scenario failed, 1 known divergence, 1 security finding, 1 not run here' });
  const html = renderHtml(s);
  assert.ok(!html.includes('secret-path') && !html.includes('token=abc'));
  assert.match(html, /<p class="headline bad" id="verdict">not conformant: 1 scenario failed/);
  assert.ok(!/<script|<link /.test(html), 'self-contained');
  const md = renderMarkdown(s);
  assert.match(md, /^## UMA conformance: not conformant/);
  // Counts in plain English, in both renderings (issue 14 item 16).
  assert.match(html, /<dd>\d+: \d+ passed, 1 failed, 1 known divergence, 1 security finding, \d+ skipped/);
  assert.match(md, /Scenarios: \d+: \d+ passed, 1 failed, 1 known divergence, 1 security finding, \d+ skipped\./);
  // Failures first in the job summary.
  assert.match(md.split('### Requirements')[1], /^\s*\n\| Id \| Verdict \| Why \|\n\|---\|---\|---\|\n\| UMA-GRANT-3.2.1-STATUS-401 \| failed/);
});

test('a conformant run reads conformant', () => {
  const counts = { scenarios: 105, passed: 77, failed: 0, 'known divergence': 28, 'known weakness': 0, skipped: 0, interrupted: 0 };
  assert.deepEqual(verdictOf(counts, { preflightFailed: false }), { conformant: true, headline: 'conformant, 28 known divergences' });
  assert.equal(verdictOf({ ...counts, passed: 0, 'known divergence': 0, skipped: 105 }, { preflightFailed: false }).headline, 'nothing tested: no scenario ran');
  assert.equal(verdictOf(counts, { preflightFailed: true }).conformant, false);
});

test('the statement says what changed since the previous run, and regenerating keeps the comparison', () => {
  const dir = fixture();
  const s = statementOf(dir);
  const old: Statement = JSON.parse(JSON.stringify(s));
  old.runStartedAt = '2026-12-01T02:17:00.000Z';
  old.requirements.find((r) => r.id === 'UMA-GRANT-3.2.1-STATUS-401')!.verdict = 'met';
  Object.assign(old.requirements.find((r) => r.id === 'UMA-GRANT-3.3.6-ERROR-JSON')!, { verdict: 'departs as recorded' });
  const changes = changesSince(old, s);
  assert.deepEqual(
    changes.list.map((c) => [c.id, c.what]),
    [
      ['UMA-GRANT-3.2.1-STATUS-401', 'newly failed'],
      ['UMA-GRANT-3.3.6-ERROR-JSON', 'divergence gone'],
    ],
  );
  const files = { current: path.join(dir, 'statement.json'), kept: path.join(dir, 'previous.json') };
  fs.writeFileSync(files.current, JSON.stringify(old));
  assert.equal(previousStatement(s.runStartedAt, files)?.runStartedAt, old.runStartedAt);
  // The report of the same run again: the current file is this run's, the kept one is still the run before.
  fs.writeFileSync(files.current, JSON.stringify(s));
  assert.equal(previousStatement(s.runStartedAt, files)?.runStartedAt, old.runStartedAt);
});

test('checks.txt lines and environment.properties read back', () => {
  assert.deepEqual(parseChecks('known divergence UMA-GRANT-3.3.6-INVALID-GRANT ticket error code: x\nweakness not found SEC-GW-01 header: y\npassed           aspect only: z'), [
    { outcome: 'known divergence', requirement: 'UMA-GRANT-3.3.6-INVALID-GRANT', line: 'known divergence UMA-GRANT-3.3.6-INVALID-GRANT ticket error code: x' },
    { outcome: 'weakness not found', requirement: 'SEC-GW-01', line: 'weakness not found SEC-GW-01 header: y' },
    { outcome: 'passed', requirement: undefined, line: 'passed           aspect only: z' },
  ]);
  assert.deepEqual(parseProperties(`${propertyLine('Kong Admin API', 'Kong 2.2.1 at http://h:1/')}\n${propertyLine('Run', 'interrupted (SIGINT)')}`), { 'Kong Admin API': 'Kong 2.2.1 at http://h:1/', Run: 'interrupted (SIGINT)' });
});
