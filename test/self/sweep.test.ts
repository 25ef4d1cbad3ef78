// The launcher's sweep of Kong objects that runs left behind (scripts/lib/sweep.ts),
// against a small Admin API double: an entry leaves the journal only once Kong
// answered 204 or 404; an external Kong that does not answer keeps them all; a
// gone embedded sandbox's objects are discarded without an error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { sweepEarlierRuns, sweepJournal, sweepLines } from '../../scripts/lib/sweep';
import { Journal, leftovers, runJournals, writeRunHeader } from '../../support/journal';
import { close, closedPort, listen, tempDir } from './harness';

const SETTINGS = { timeoutMs: 3000, tlsInsecure: false };

/** An Admin API that answers DELETE /<kind>/<id> with the status given for the id (204 otherwise), and logs the calls. */
async function adminDouble(statusFor: Record<string, number> = {}): Promise<{ url: string; calls: string[]; close(): Promise<void> }> {
  const calls: string[] = [];
  const server = http.createServer((req, res) => {
    calls.push(`${req.method} ${req.url}`);
    if (req.method === 'GET' && req.url === '/') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"version":"2.2.1"}');
      return;
    }
    const id = decodeURIComponent((req.url ?? '').split('/').pop() ?? '');
    res.writeHead(req.method === 'DELETE' ? (statusFor[id] ?? 204) : 405);
    res.end();
  });
  const url = await listen(server);
  return { url, calls, close: () => close(server) };
}

function run(root: string, runId: string, target: 'sandbox' | 'external', adminUrl: string, objects: Array<[Parameters<Journal['created']>[0], string]>): string {
  const dir = path.join(root, runId);
  writeRunHeader(dir, { runId, pid: 999_999, target, startedAt: new Date().toISOString() });
  const j = new Journal(dir, adminUrl);
  for (const [kind, id] of objects) j.created(kind, id);
  return dir;
}

test('objects go dependants first; only a 204 or 404 settles an entry, a 500 keeps it for the next run', async () => {
  const admin = await adminDouble({ c2: 404, s1: 500 });
  try {
    const dir = run(tempDir('sweep-'), 'r1', 'external', admin.url, [
      ['services', 's1'],
      ['routes', 'r1'],
      ['consumers', 'c1'],
      ['plugins', 'p1'],
      ['consumers', 'c2'],
    ]);
    const outcome = await sweepJournal(dir, SETTINGS);
    assert.deepEqual(admin.calls, ['GET /', 'DELETE /plugins/p1', 'DELETE /routes/r1', 'DELETE /services/s1', 'DELETE /consumers/c1', 'DELETE /consumers/c2']);
    assert.equal(outcome.removed, 4);
    assert.equal(outcome.problems.length, 1);
    assert.match(outcome.problems[0], /^services s1 at http:\/\/127\.0\.0\.1:\d+: HTTP 500$/);
    assert.deepEqual(leftovers(dir).map((o) => o.id), ['s1']);
  } finally {
    await admin.close();
  }
});

test('at start, earlier runs are swept and settled journals discarded; an unreachable external Kong keeps its journal, a gone sandbox is discarded quietly', async () => {
  const admin = await adminDouble();
  const gone = `http://127.0.0.1:${await closedPort()}`;
  const root = tempDir('sweep-root-');
  try {
    const reachable = run(root, 'aaaaaa', 'external', admin.url, [['consumers', 'c1']]);
    const unreachable = run(root, 'bbbbbb', 'external', gone, [
      ['services', 's9'],
      ['consumers', 'c9'],
    ]);
    const sandboxGone = run(root, 'cccccc', 'sandbox', gone, [['services', 's8']]);
    const own = run(root, 'dddddd', 'external', admin.url, [['consumers', 'mine']]);
    const outcome = await sweepEarlierRuns(root, SETTINGS, 'dddddd');
    assert.equal(outcome.removed, 1);
    assert.equal(outcome.discarded, 1);
    assert.deepEqual(outcome.problems, []);
    assert.deepEqual(outcome.unreachable, [{ adminUrl: gone, objects: 2 }]);
    assert.equal(fs.existsSync(reachable), false, 'a swept journal goes');
    assert.equal(fs.existsSync(sandboxGone), false, "a gone sandbox's journal goes");
    assert.deepEqual(leftovers(unreachable).map((o) => o.id), ['s9', 'c9'], "an unreachable Kong's journal stays whole");
    assert.deepEqual(leftovers(own).map((o) => o.id), ['mine'], "the run's own journal is not touched");
    assert.deepEqual(admin.calls, ['GET /', 'DELETE /consumers/c1']);
    assert.deepEqual(runJournals(root).map((r) => path.basename(r.dir)).sort(), ['bbbbbb', 'dddddd']);

    const lines = sweepLines(outcome, 'earlier interrupted or killed runs', 'reports/.journal');
    assert.deepEqual(lines.out, ['Removed 1 Kong object(s) earlier interrupted or killed runs left behind.']);
    assert.equal(lines.err.length, 1, 'one line per unreachable Admin API');
    assert.match(lines.err[0], /^The Kong Admin API at http:\/\/127\.0\.0\.1:\d+ did not answer: the 2 object\(s\) earlier interrupted or killed runs left there stay listed in reports\/\.journal for the next run to remove\.$/);
  } finally {
    await admin.close();
  }
});

test("the Admin URL's credentials never reach a sweep line", () => {
  const lines = sweepLines({ removed: 0, discarded: 0, problems: [], unreachable: [{ adminUrl: 'https://admin:s3cr3t-pw@kong.example.com:8444/admin?token=abc', objects: 1 }] }, 'the run', 'reports/.journal');
  assert.equal(lines.err.length, 1);
  assert.match(lines.err[0], /^The Kong Admin API at https:\/\/kong\.example\.com:8444 did not answer/);
  assert.doesNotMatch(lines.err[0], /s3cr3t|token=abc/);
});
