// The ledger and the features may only name requirement ids that exist in the
// reference's checklist, and the ledger's divergence ids must exist there too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DivergenceLedger } from '../../support/divergences';
import { ConfigError } from '../../support/config';
import { OTHER_REQUIREMENTS } from '../../support/requirements';

const ROOT = path.resolve(__dirname, '..', '..');
const REFERENCE = path.resolve(ROOT, '..', 'shared', 'reference', 'uma2-requirements.md');
/** The second tutorial's weaknesses and their proposed divergence ids (§6). */
const OIDC_REFERENCE = path.resolve(ROOT, '..', 'shared', 'reference', 'oidc-uma.md');

/**
 * UMA 2.0 ids from the checklist, the second tutorial's OIDC/RFC ids from
 * support/requirements.ts (each with its specification link), divergence ids
 * from the checklist and from oidc-uma.md §6.
 */
function referenceIds(): { requirements: Set<string>; divergences: Set<string> } {
  const text = fs.readFileSync(REFERENCE, 'utf8');
  const oidc = fs.existsSync(OIDC_REFERENCE) ? fs.readFileSync(OIDC_REFERENCE, 'utf8') : '';
  return {
    requirements: new Set([...(text.match(/UMA-(?:GRANT|FEDAUTHZ)-[0-9.]+-[A-Z0-9-]+[A-Z0-9]/g) ?? []), ...Object.keys(OTHER_REQUIREMENTS)]),
    divergences: new Set([...(text.match(/DIV-(?:AS|RS|CL)-\d+/g) ?? []), ...(oidc.match(/DIV-(?:OIDC|GW|CL)-\d+/g) ?? [])]),
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
    // DIV-TUT-… are the suite's own: where the tutorial's text itself is wrong, not in the reference's lists.
    const tutorialText = /^DIV-TUT-\d+$/.test(d.id) && d.requirement.startsWith('GG-TUTORIAL-');
    assert.ok(ids.divergences.has(d.id) || tutorialText, `unknown divergence ${d.id}`);
  }
});

test('every requirement tag in the features exists in the reference checklist', { skip: !fs.existsSync(REFERENCE) && 'reference not present' }, () => {
  const ids = referenceIds();
  const tags = featureFiles(path.join(ROOT, 'features')).flatMap((f) => fs.readFileSync(f, 'utf8').match(/@(?:UMA|OIDC|RFC\d+)-[A-Z0-9.-]+/g) ?? []);
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

test('every requirement id of the second tutorial links to its specification section', () => {
  for (const [id, r] of Object.entries(OTHER_REQUIREMENTS)) {
    if (id.startsWith('GG-TUTORIAL-')) {
      // The first tutorial's own steps (GG-TUTORIAL-<step>-…) link to the tutorial page.
      assert.match(id, /^GG-TUTORIAL-[A-Z0-9]+-[A-Z0-9-]+$/, id);
      assert.match(r.url, /^https:\/\/gluu\.org\/docs\/gg\/\S+$/, `${id}: ${r.url}`);
      assert.ok(r.text.length > 20, `${id} needs its text`);
      continue;
    }
    assert.match(id, /^(OIDC-CORE|OIDC-RPLOGOUT|RFC\d+)-[0-9.]+-[A-Z0-9-]+$/, id);
    assert.match(r.url, /^https:\/\/(openid\.net\/specs|www\.rfc-editor\.org\/rfc)\/\S+#\S+$/, `${id}: ${r.url}`);
    assert.ok(r.text.length > 20, `${id} needs its text`);
  }
});
