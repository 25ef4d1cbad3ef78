import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Journal, leftovers } from '../../support/journal';

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
