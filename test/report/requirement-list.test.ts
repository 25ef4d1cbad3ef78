// The one list of requirement ids (support/requirement-list.ts) holds every id
// a feature tags and every id a check names, once each, and, when the shared
// reference is at hand, exactly the ids of uma2-requirements.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listedRequirements } from '../../support/requirement-list';
import { isRequirementId } from '../../support/requirements';
import { WeaknessLedger } from '../../support/weaknesses';

const ROOT = path.resolve(__dirname, '..', '..');

function filesUnder(dir: string, ext: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name), ext) : e.name.endsWith(ext) ? [path.join(dir, e.name)] : []));
}

const ids = new Set(listedRequirements().map((r) => r.id));

test('every id is listed once, with its text and a link', () => {
  assert.equal(ids.size, listedRequirements().length, 'an id is listed twice');
  for (const r of listedRequirements()) {
    assert.ok(isRequirementId(r.id), r.id);
    assert.ok(r.text.length > 5, `${r.id} has no text`);
    assert.match(r.url, /^https:\/\//, r.id);
  }
});

test("every requirement id a feature tags is in the list", () => {
  const tagged = filesUnder(path.join(ROOT, 'features'), '.feature').flatMap((f) => [...fs.readFileSync(f, 'utf8').matchAll(/@((?:UMA|OIDC|RFC)[A-Za-z0-9.-]+)/g)].map((m) => m[1]));
  assert.ok(tagged.length > 50);
  assert.deepEqual([...new Set(tagged.filter((t) => !ids.has(t)))], []);
});

test('every requirement id a check or step names is in the list', () => {
  const named = [...filesUnder(path.join(ROOT, 'support'), '.ts'), ...filesUnder(path.join(ROOT, 'steps'), '.ts')].flatMap((f) =>
    [...fs.readFileSync(f, 'utf8').matchAll(/requirement: '([^']+)'/g)].map((m) => m[1]),
  );
  assert.ok(named.length > 20);
  // SEC- ids are the security probes' own: the statement gives each its row from the weaknesses ledger.
  const security = new Set(WeaknessLedger.load().entries.map((w) => w.requirement));
  assert.deepEqual([...new Set(named.filter((t) => !ids.has(t) && !(t.startsWith('SEC-') && security.has(t))))], []);
});

test('the UMA ids are those of uma2-requirements.md (when the shared reference is present)', (t) => {
  const file = path.join(ROOT, '..', 'shared', 'reference', 'uma2-requirements.md');
  if (!fs.existsSync(file)) return t.skip('no ../shared/reference in this checkout');
  const md = fs.readFileSync(file, 'utf8');
  const inMd = new Set([...md.matchAll(/^\| (UMA-(?:GRANT|FEDAUTHZ)-[0-9.]+-[A-Z0-9-]+) \|/gm)].map((m) => m[1]));
  const uma = [...ids].filter((i) => i.startsWith('UMA-'));
  assert.deepEqual(uma.filter((i) => !inMd.has(i)), []);
  assert.deepEqual([...inMd].filter((i) => !ids.has(i)), []);
});
