import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { lockReports } from '../../scripts/lib/reports-lock';

test('a reports folder in use by a live run is refused; a dead run\'s lock is taken over and released', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lock-'));
  const file = path.join(dir, '.run.lock');
  fs.writeFileSync(file, '1'); // pid 1 is always alive
  assert.deepEqual(lockReports(dir), { heldBy: 1 });
  fs.writeFileSync(file, '2147483646'); // no such process
  const taken = lockReports(dir);
  assert.ok('release' in taken);
  assert.equal(fs.readFileSync(file, 'utf8'), String(process.pid));
  taken.release();
  assert.equal(fs.existsSync(file), false);
  fs.rmSync(dir, { recursive: true });
});
