// Catch hints (scripts/lib/self-verify/catch-hints.ts): what a hinted fault run
// selects, what a run writes back, and a bad hints file said in one line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { escapeRegExp, featureTitles, hintArgs, HintsFileError, readHints, updatedHints, usableHints, writeHints } from '../../scripts/lib/self-verify/catch-hints';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'uma-hints-'));

test('a hint selects its scenarios by exact name, in their feature files', () => {
  const args = hintArgs([
    { uri: 'features/a.feature', name: 'Answering US and NY (country US, city NY) grants access' },
    { uri: 'features/a.feature', name: 'A second one' },
  ]);
  assert.deepEqual(args, ['--name', '^Answering US and NY \\(country US, city NY\\) grants access$', '--name', '^A second one$', 'features/a.feature']);
  // The pattern matches its own name and nothing longer.
  const re = new RegExp(args[1]);
  assert.ok(re.test('Answering US and NY (country US, city NY) grants access'));
  assert.ok(!re.test('Answering US and NY (country US, city NY) grants access twice'));
  assert.equal(new RegExp(`^${escapeRegExp('a.b*c?/[x]')}$`).test('a.b*c?/[x]'), true);
});

test('a hint whose feature file is gone, or points outside the project, is not used', () => {
  const root = tmp();
  fs.mkdirSync(path.join(root, 'features'));
  fs.writeFileSync(path.join(root, 'features', 'here.feature'), 'Feature: x\n');
  const kept = usableHints(
    [
      { uri: 'features/here.feature', name: 'a' },
      { uri: 'features/gone.feature', name: 'b' },
      { uri: '../outside.feature', name: 'c' },
      { uri: '/etc/passwd', name: 'd' },
    ],
    root,
  );
  assert.deepEqual(kept.map((h) => h.name), ['a']);
  assert.deepEqual(usableHints(undefined, root), []);
});

test('a run writes back the first catchers of each caught fault and keeps the others', () => {
  const next = updatedHints(
    { 'old-fault': [{ uri: 'features/o.feature', name: 'o' }], 'z-fault': [{ uri: 'features/z.feature', name: 'stale' }] },
    [
      { fault: 'z-fault', caughtBy: [{ uri: 'features/z.feature', name: 'fresh' }] },
      // Console-only catchers (a run stopped before its messages were written) have no feature file.
      { fault: 'a-fault', caughtBy: [{ uri: 'feature: A', name: 'x' }, { uri: 'features/a.feature', name: '1' }, { uri: 'features/a.feature', name: '2' }, { uri: 'features/a.feature', name: '3' }] },
      { fault: 'none', caughtBy: [{ uri: 'feature: N', name: 'y' }] },
    ],
  );
  assert.deepEqual(Object.keys(next), ['a-fault', 'old-fault', 'z-fault']);
  assert.deepEqual(next['a-fault'].map((h) => h.name), ['1', '2']);
  assert.deepEqual(next['z-fault'], [{ uri: 'features/z.feature', name: 'fresh' }]);
  const file = path.join(tmp(), 'hints.json');
  writeHints(next, file);
  assert.deepEqual(readHints(file), next);
});

test('no hints file is no hints; a broken one is a clear error', () => {
  const dir = tmp();
  assert.deepEqual(readHints(path.join(dir, 'absent.json')), {});
  const bad = path.join(dir, 'bad.json');
  fs.writeFileSync(bad, '{ nope');
  assert.throws(() => readHints(bad), (e: unknown) => e instanceof HintsFileError && /is not JSON/.test((e as Error).message));
  fs.writeFileSync(bad, JSON.stringify({ f: [{ uri: 'features/a.feature' }] }));
  assert.throws(() => readHints(bad), /"f" must be a list of \{ "uri": "features\/…", "name": "…" \}/);
  fs.writeFileSync(bad, '[]');
  assert.throws(() => readHints(bad), /must be an object/);
});

test('the hints kept in the repo are readable and name existing feature files', () => {
  const root = path.resolve(__dirname, '..', '..');
  const hints = readHints();
  for (const [fault, list] of Object.entries(hints)) assert.equal(usableHints(list, root).length, list.length, `${fault}: a hint names a missing feature file`);
});

test('a catcher known from the console only gets its feature file from the feature title', () => {
  const root = tmp();
  fs.mkdirSync(path.join(root, 'features', 'area'), { recursive: true });
  fs.writeFileSync(path.join(root, 'features', 'area', 'x.feature'), '@tag\nFeature: Tickets are single use\n\n  Scenario: s\n');
  const titles = featureTitles(root);
  assert.equal(titles.get('Tickets are single use'), 'features/area/x.feature');
  const next = updatedHints({}, [{ fault: 'f', caughtBy: [{ uri: 'feature: Tickets are single use', name: 's' }, { uri: 'feature: Unknown title', name: 'u' }] }], titles);
  assert.deepEqual(next, { f: [{ uri: 'features/area/x.feature', name: 's' }] });
});
