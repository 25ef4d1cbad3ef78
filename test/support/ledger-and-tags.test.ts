// The ledger and the features may only name requirement ids that exist in the
// reference's checklist, and the ledger's divergence ids must exist there too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DivergenceLedger } from '../../support/divergences';
import { ConfigError } from '../../support/config';

const ROOT = path.resolve(__dirname, '..', '..');
const REFERENCE = path.resolve(ROOT, '..', 'shared', 'reference', 'uma2-requirements.md');

function referenceIds(): { requirements: Set<string>; divergences: Set<string> } {
  const text = fs.readFileSync(REFERENCE, 'utf8');
  return {
    requirements: new Set(text.match(/UMA-(?:GRANT|FEDAUTHZ)-[0-9.]+-[A-Z0-9-]+[A-Z0-9]/g) ?? []),
    divergences: new Set(text.match(/DIV-(?:AS|RS|CL)-\d+/g) ?? []),
  };
}

function featureFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? featureFiles(path.join(dir, e.name)) : e.name.endsWith('.feature') ? [path.join(dir, e.name)] : []));
}

test('the shipped ledger loads and names only known requirements and divergences', { skip: !fs.existsSync(REFERENCE) && 'reference not present' }, () => {
  const ids = referenceIds();
  const ledger = DivergenceLedger.load();
  assert.ok(ledger.entries.length > 0);
  for (const d of ledger.entries) {
    assert.ok(ids.requirements.has(d.requirement), `${d.id}: unknown requirement ${d.requirement}`);
    assert.ok(ids.divergences.has(d.id), `unknown divergence ${d.id}`);
  }
});

test('every requirement tag in the features exists in the reference checklist', { skip: !fs.existsSync(REFERENCE) && 'reference not present' }, () => {
  const ids = referenceIds();
  const tags = featureFiles(path.join(ROOT, 'features')).flatMap((f) => fs.readFileSync(f, 'utf8').match(/@UMA-[A-Z0-9.-]+/g) ?? []);
  assert.ok(tags.length > 10);
  for (const tag of tags) assert.ok(ids.requirements.has(tag.slice(1)), `unknown requirement tag ${tag}`);
});

test('a malformed ledger is a configuration error that says what is wrong', () => {
  const file = path.join(fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'ledger-')), 'l.json');
  fs.writeFileSync(file, '[{"id":"DIV-AS-01","observed":"x"}]');
  assert.throws(
    () => DivergenceLedger.load(file),
    (err: unknown) => err instanceof ConfigError && err.problems.some((p) => p.includes('needs a non-empty "requirement"')) && err.problems.some((p) => p.includes('"observed": a non-empty array')),
  );
  fs.writeFileSync(file, '{not json');
  assert.throws(() => DivergenceLedger.load(file), ConfigError);
});
