import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { lockReports } from '../../scripts/lib/reports-lock';
import { ensureReportsDir, ReportsDirError, reportsDirProblem } from '../../scripts/lib/reports-dir';

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

test('the reports folder is made with its parents; a file, /proc or a read-only filesystem is one line naming UMA_REPORTS_DIR', { timeout: 10_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lock-'));
  const nested = path.join(dir, 'a', 'b', 'reports');
  const taken = lockReports(nested);
  assert.ok('release' in taken && fs.statSync(nested).isDirectory());
  taken.release();
  const file = path.join(dir, 'a-file');
  fs.writeFileSync(file, '');
  assert.throws(() => lockReports(file), (err: unknown) => err instanceof ReportsDirError && err.message === `UMA_REPORTS_DIR "${file}" cannot be used as the reports folder: it is a file, not a folder; give a folder this run can write (default reports/)`);
  assert.throws(() => ensureReportsDir(path.join(file, 'x', 'y')), /: .*a-file is a file, not a folder/);
  // Node 20's recursive mkdirSync never returns here; this must, at once.
  assert.throws(() => ensureReportsDir('/proc/uma-lock-test/reports'), /UMA_REPORTS_DIR "\/proc\/uma-lock-test\/reports" cannot be used as the reports folder: the filesystem there does not take new files or folders \(ENOENT\), as \/proc does/);
  const rofs = Object.assign(new Error('EROFS: read-only file system, mkdir'), { code: 'EROFS' });
  assert.equal(reportsDirProblem('/mnt/ro/reports', rofs).message, 'UMA_REPORTS_DIR "/mnt/ro/reports" cannot be used as the reports folder: the filesystem is read-only (EROFS); give a folder this run can write (default reports/)');
  fs.rmSync(dir, { recursive: true });
});
