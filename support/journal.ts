// A write-ahead record of every Kong object the suite creates, so that a run
// that is interrupted (SIGINT, a crashed worker) or killed outright (SIGKILL)
// can still be cleaned up: the launcher removes whatever a journal lists as
// created and not deleted, at the end of its run and, for a run that was
// killed, at the start of the next run in the same reports folder.
//
// Layout: <reports>/.journal/<run id>/ holds one run's journal: run.json (the
// launcher's header: where the objects live) and one worker-<pid>.ndjson per
// Cucumber process. Files directly under .journal/ (older layout, or Cucumber
// run without the launcher) count as one run with no header.
import * as fs from 'node:fs';
import * as path from 'node:path';

export type KongKind = 'services' | 'routes' | 'consumers' | 'plugins';

interface Entry {
  op: 'created' | 'deleted';
  kind: KongKind;
  id: string;
  adminUrl: string;
}

export interface JournalObject {
  kind: KongKind;
  id: string;
  adminUrl: string;
}

/** What the launcher writes before Cucumber starts (run.json). */
export interface RunHeader {
  runId: string;
  /** The launcher's pid (for the reader's information: the reports lock decides whether a run still lives). */
  pid: number;
  /**
   * `sandbox`: the embedded sandbox the run started, whose Kong dies with the
   * run (and takes its objects along); `external`: a Kong that outlives the run.
   */
  target: 'sandbox' | 'external';
  startedAt: string;
}

const HEADER = 'run.json';
/** The launcher's confirmations that objects are gone. */
const SWEEP = 'sweep.ndjson';

export class Journal {
  private readonly file: string;

  constructor(
    dir: string,
    private readonly adminUrl: string,
  ) {
    fs.mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, `worker-${process.pid}.ndjson`);
  }

  private write(e: Entry): void {
    fs.appendFileSync(this.file, JSON.stringify(e) + '\n');
  }

  created(kind: KongKind, id: string): void {
    this.write({ op: 'created', kind, id, adminUrl: this.adminUrl });
  }

  deleted(kind: KongKind, id: string): void {
    this.write({ op: 'deleted', kind, id, adminUrl: this.adminUrl });
  }
}

export function writeRunHeader(dir: string, header: RunHeader): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, HEADER), JSON.stringify(header) + '\n');
}

export function readRunHeader(dir: string): RunHeader | undefined {
  try {
    const h = JSON.parse(fs.readFileSync(path.join(dir, HEADER), 'utf8')) as Partial<RunHeader>;
    if (typeof h.runId === 'string' && (h.target === 'sandbox' || h.target === 'external')) return h as RunHeader;
  } catch {
    // no header, or one cut short: the run's target is unknown
  }
  return undefined;
}

function journalFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ndjson'))
    .map((e) => path.join(dir, e.name));
}

/**
 * Objects listed as created and never deleted, in creation order, across all
 * journal files of a directory. Ids are UUIDs made once (provisioning.ts), so
 * a "deleted" in any file settles the object, whatever the files' order.
 */
export function leftovers(dir: string): JournalObject[] {
  const created = new Map<string, JournalObject>();
  const deleted = new Set<string>();
  for (const file of journalFiles(dir)) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      let e: Entry;
      try {
        e = JSON.parse(line) as Entry;
      } catch {
        continue; // a line cut short by a kill: the object it names was not confirmed
      }
      if (e.op === 'created') created.set(e.id, { kind: e.kind, id: e.id, adminUrl: e.adminUrl });
      else deleted.add(e.id);
    }
  }
  return [...created.values()].filter((o) => !deleted.has(o.id));
}

/**
 * Records objects as gone (Kong confirmed their removal, or they died with
 * the embedded sandbox): the sweep's own "deleted" entries, next to the
 * workers' files, so the journal stays a history of the run until the next
 * run discards it.
 */
export function confirmGone(dir: string, objects: JournalObject[]): void {
  if (!objects.length) return;
  fs.appendFileSync(path.join(dir, SWEEP), objects.map((o) => JSON.stringify({ op: 'deleted', ...o } satisfies Entry)).join('\n') + '\n');
}

/** Removes a run's journal once nothing in it is left to remove; true when it went. */
export function discardIfSettled(dir: string): boolean {
  if (leftovers(dir).length) return false;
  for (const file of journalFiles(dir)) fs.rmSync(file, { force: true });
  fs.rmSync(path.join(dir, HEADER), { force: true });
  if (fs.existsSync(dir) && fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
  return true;
}

/** The journals of earlier runs under a journal root: each run's folder, and loose files as one run. */
export function runJournals(root: string): Array<{ dir: string; header?: RunHeader; loose: boolean }> {
  if (!fs.existsSync(root)) return [];
  const runs: Array<{ dir: string; header?: RunHeader; loose: boolean }> = [];
  if (journalFiles(root).length) runs.push({ dir: root, loose: true });
  for (const e of fs.readdirSync(root, { withFileTypes: true })) {
    if (e.isDirectory()) runs.push({ dir: path.join(root, e.name), header: readRunHeader(path.join(root, e.name)), loose: false });
  }
  return runs;
}
