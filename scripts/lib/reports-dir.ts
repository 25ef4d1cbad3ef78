// Where the scripts write: the reports folder (UMA_REPORTS_DIR, default
// reports/ in the project), read the way cucumber.js reads it, so that an
// empty value means the default there and here alike.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');

export const REPORTS = path.resolve(ROOT, process.env.UMA_REPORTS_DIR || 'reports');

/** The reports folder cannot be made or written: one line naming UMA_REPORTS_DIR (the launcher exits 2). */
export class ReportsDirError extends Error {
  override name = 'ReportsDirError';
}

const HINT = 'give a folder this run can write (default reports/)';

/** Why a folder cannot be made or written, in words, from the error's code. */
function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EROFS':
      return 'the filesystem is read-only (EROFS)';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code})`;
    case 'ENOENT':
      // mkdir in an existing folder that answers ENOENT: /proc, /sys and the like.
      return 'the filesystem there does not take new files or folders (ENOENT), as /proc does';
    case 'ENOSPC':
      return 'no space left on the device (ENOSPC)';
    default:
      return code ?? (err as Error).message;
  }
}

export function reportsDirProblem(dir: string, err: unknown): ReportsDirError {
  return new ReportsDirError(`UMA_REPORTS_DIR "${dir}" cannot be used as the reports folder: ${reason(err)}; ${HINT}`);
}

/**
 * Makes the reports folder and its missing parents, one at a time. Not
 * mkdirSync's recursive mode: on Node 20 it retries for ever where mkdir
 * answers ENOENT in an existing folder (/proc), spinning the CPU.
 */
export function ensureReportsDir(dir: string): void {
  const missing: string[] = [];
  let at = path.resolve(dir);
  for (;;) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(at);
    } catch (err) {
      // ENOTDIR: a parent is a file, which the walk up finds and names.
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw reportsDirProblem(dir, err);
    }
    if (stat) {
      if (!stat.isDirectory()) {
        throw new ReportsDirError(`UMA_REPORTS_DIR "${dir}" cannot be used as the reports folder: ${at === path.resolve(dir) ? 'it is' : `${at} is`} a file, not a folder; ${HINT}`);
      }
      break;
    }
    missing.unshift(at);
    const parent = path.dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const folder of missing) {
    try {
      fs.mkdirSync(folder);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw reportsDirProblem(dir, err);
    }
  }
}
