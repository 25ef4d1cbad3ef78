// One run at a time per reports folder: a second `npm test` in the same
// checkout would clean the first one's results under it. The lock is a file
// holding the owner's pid; a lock whose process is gone is taken over.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureReportsDir, reportsDirProblem } from './reports-dir';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the lock, or says which process holds it. The release runs at exit
 * too. A folder that cannot be made or written throws ReportsDirError, one
 * line naming UMA_REPORTS_DIR.
 */
export function lockReports(dir: string): { release: () => void } | { heldBy: number } {
  ensureReportsDir(dir);
  const file = path.join(dir, '.run.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      const release = () => {
        try {
          if (fs.readFileSync(file, 'utf8') === String(process.pid)) fs.rmSync(file);
        } catch {
          // already gone
        }
      };
      process.once('exit', release);
      return { release };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw reportsDirProblem(dir, err);
      const owner = Number(fs.readFileSync(file, 'utf8'));
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) return { heldBy: owner };
      fs.rmSync(file, { force: true }); // a crashed run's lock
    }
  }
  return { heldBy: Number(fs.readFileSync(file, 'utf8')) };
}
