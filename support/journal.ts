// A write-ahead record of every Kong object the suite creates, so that a run
// that is interrupted (SIGINT, a crashed worker) can still be cleaned up:
// the launcher removes whatever a journal lists as created and not deleted.
import * as fs from 'node:fs';
import * as path from 'node:path';

export type KongKind = 'services' | 'routes' | 'consumers' | 'plugins';

interface Entry {
  op: 'created' | 'deleted';
  kind: KongKind;
  id: string;
  adminUrl: string;
}

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

/** Objects listed as created and never deleted, in creation order, across all journals of a directory. */
export function leftovers(dir: string): Array<{ kind: KongKind; id: string; adminUrl: string }> {
  if (!fs.existsSync(dir)) return [];
  const live = new Map<string, { kind: KongKind; id: string; adminUrl: string }>();
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.ndjson'))) {
    for (const line of fs.readFileSync(path.join(dir, name), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      let e: Entry;
      try {
        e = JSON.parse(line) as Entry;
      } catch {
        continue; // a line cut short by a kill: the object it names was not confirmed
      }
      if (e.op === 'created') live.set(e.id, { kind: e.kind, id: e.id, adminUrl: e.adminUrl });
      else live.delete(e.id);
    }
  }
  return [...live.values()];
}
