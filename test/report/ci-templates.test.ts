// The nightly CI templates (ci/): both keep the reports a stakeholder reads,
// the conformance statement among them, and GitHub's run summary shows it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..');
const STATEMENT = ['reports/conformance-statement.html', 'reports/conformance-statement.json', 'reports/conformance-statement.md'];

interface Step { name?: string; run?: string; uses?: string; if?: string; with?: Record<string, string> }

test('GitHub: the report step runs always and puts the statement in the run summary; the artifact keeps it', () => {
  const wf = parse(fs.readFileSync(path.join(ROOT, 'ci/github/uma-conformance.yml'), 'utf8')) as { jobs: Record<string, { steps: Step[] }> };
  const steps = Object.values(wf.jobs).flatMap((j) => j.steps);
  const report = steps.find((s) => s.run?.includes('npm run report'));
  assert.ok(report, 'no step runs npm run report');
  assert.equal(report.if, 'always()');
  assert.match(report.run!, /cat reports\/conformance-statement\.md; \} >> "\$GITHUB_STEP_SUMMARY"/);
  const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact'));
  const paths = (upload?.with?.path ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
  for (const p of ['reports/allure-report', 'reports/junit.xml', ...STATEMENT]) assert.ok(paths.includes(p), `the artifact lacks ${p}`);
});

test('GitLab: the artifacts keep the statement, whatever the result', () => {
  const ci = parse(fs.readFileSync(path.join(ROOT, 'ci/gitlab/uma-conformance.gitlab-ci.yml'), 'utf8')) as Record<string, { artifacts?: { when?: string; paths?: string[] }; after_script?: string[] }>;
  const job = Object.values(ci).find((j) => j && typeof j === 'object' && j.artifacts);
  assert.ok(job, 'no job with artifacts');
  assert.equal(job.artifacts!.when, 'always');
  for (const p of ['reports/allure-report/', 'reports/junit.xml', ...STATEMENT]) assert.ok(job.artifacts!.paths!.includes(p), `the artifacts lack ${p}`);
  assert.ok(job.after_script?.includes('npm run report'));
});

test('both templates keep the previous statement with the Allure history, so the new one lists the changes', () => {
  const wf = parse(fs.readFileSync(path.join(ROOT, 'ci/github/uma-conformance.yml'), 'utf8')) as { jobs: Record<string, { steps: Step[] }> };
  const caches = Object.values(wf.jobs).flatMap((j) => j.steps).filter((s) => s.uses?.startsWith('actions/cache/'));
  assert.equal(caches.length, 2, 'restore and save');
  for (const c of caches) assert.ok((c.with?.path ?? '').split('\n').map((l) => l.trim()).includes('reports/conformance-statement.json'), `${c.name}: no statement`);
  const ci = parse(fs.readFileSync(path.join(ROOT, 'ci/gitlab/uma-conformance.gitlab-ci.yml'), 'utf8')) as Record<string, { cache?: { paths?: string[] } }>;
  const job = Object.values(ci).find((j) => j && typeof j === 'object' && j.cache);
  assert.ok(job?.cache?.paths?.includes('reports/conformance-statement.json'));
});
