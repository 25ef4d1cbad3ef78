import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { confirmGone, discardIfSettled, Journal, leftovers, runJournals, writeRunHeader } from '../../support/journal';

test('leftovers are the objects created and not deleted, across workers, ignoring a cut line', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journal-'));
  const j = new Journal(dir, 'http://admin');
  j.created('services', 's1');
  j.created('routes', 'r1');
  j.created('plugins', 'p1');
  j.deleted('plugins', 'p1');
  fs.appendFileSync(path.join(dir, 'worker-999.ndjson'), '{"op":"created","kind":"consumers","id":"c1","adminUrl":"http://admin"}\n{"op":"created","ki');
  assert.deepEqual(
    leftovers(dir).map((o) => `${o.kind}/${o.id}`),
    ['services/s1', 'routes/r1', 'consumers/c1'],
  );
  assert.deepEqual(leftovers(path.join(dir, 'none')), []);
});

test('a "deleted" entry settles an object whatever the order the files are read in', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journal-'));
  new Journal(dir, 'http://admin').created('consumers', 'c1');
  // "sweep.ndjson" sorts before "worker-<pid>.ndjson": its confirmation is read first.
  confirmGone(dir, [{ kind: 'consumers', id: 'c1', adminUrl: 'http://admin' }]);
  assert.deepEqual(leftovers(dir), []);
});

test('a run journal is discarded only once nothing in it is left, header and folder included', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'journal-root-'));
  const dir = path.join(root, 'abc123');
  writeRunHeader(dir, { runId: 'abc123', pid: 1, target: 'external', startedAt: '2026-01-01T00:00:00.000Z' });
  const j = new Journal(dir, 'http://admin');
  j.created('services', 's1');
  j.created('routes', 'r1');
  assert.deepEqual(runJournals(root).map((r) => [path.basename(r.dir), r.header?.target, r.loose]), [['abc123', 'external', false]]);
  confirmGone(dir, [{ kind: 'routes', id: 'r1', adminUrl: 'http://admin' }]);
  assert.equal(discardIfSettled(dir), false);
  assert.deepEqual(leftovers(dir).map((o) => o.id), ['s1']);
  confirmGone(dir, [{ kind: 'services', id: 's1', adminUrl: 'http://admin' }]);
  assert.equal(discardIfSettled(dir), true);
  assert.equal(fs.existsSync(dir), false);
  assert.deepEqual(runJournals(root), []);
});

test('files directly under the journal root (no run folder) count as one run without a header', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'journal-root-'));
  new Journal(root, 'http://admin').created('consumers', 'c1');
  fs.mkdirSync(path.join(root, 'broken'));
  fs.writeFileSync(path.join(root, 'broken', 'run.json'), '{"runId":');
  const runs = runJournals(root);
  assert.deepEqual(
    runs.map((r) => [path.basename(r.dir), r.header, r.loose]),
    [
      [path.basename(root), undefined, true],
      ['broken', undefined, false],
    ],
  );
});
