// Catch hints make `npm run test:self -- --first-catch` (CI's) short: for each
// fault, the scenarios that caught it last time (fault-catchers.json, kept in the
// repo). A fault run first runs only those scenarios (Cucumber --name, exact
// names, and their feature files); if that run does not catch the fault, the
// whole suite runs as before. A hint only decides what runs first: the verdict
// is still "a scenario of the suite failed against the fault", never taken from
// the file. A stale hint (scenario renamed, moved, or no longer catching) costs
// one short run and is said in the table; `--write-hints` rewrites the file
// from the run's catchers.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface CatchHint {
  /** Feature file, relative to the project root ("features/…"). */
  uri: string;
  /** The scenario's name as Cucumber reports it (outline rows with their values). */
  name: string;
}

export type CatchHints = Record<string, CatchHint[]>;

export const HINTS_FILE = path.join(__dirname, 'fault-catchers.json');

/** At most this many scenarios per fault: enough when one is renamed, few enough to stay short. */
export const MAX_HINTS = 2;

export class HintsFileError extends Error {}

/** The hints on disk; a missing file is no hints, an unreadable one is said. */
export function readHints(file = HINTS_FILE): CatchHints {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new HintsFileError(`${file} is not JSON: ${(err as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new HintsFileError(`${file} must be an object of fault name → [{ uri, name }]`);
  const hints: CatchHints = {};
  for (const [fault, list] of Object.entries(parsed as Record<string, unknown>)) {
    if (!Array.isArray(list) || !list.every((h) => h && typeof h.uri === 'string' && typeof h.name === 'string' && h.uri && h.name)) {
      throw new HintsFileError(`${file}: "${fault}" must be a list of { "uri": "features/…", "name": "…" }`);
    }
    hints[fault] = (list as CatchHint[]).map((h) => ({ uri: h.uri, name: h.name }));
  }
  return hints;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Cucumber arguments that run only these scenarios: each exact name, in its feature files. */
export function hintArgs(hints: CatchHint[]): string[] {
  const names = [...new Set(hints.map((h) => h.name))];
  const uris = [...new Set(hints.map((h) => h.uri))];
  return [...names.flatMap((n) => ['--name', `^${escapeRegExp(n)}$`]), ...uris];
}

/** Whether a hint's feature file is still there (a missing path would make Cucumber end with exit 2). */
export function usableHints(hints: CatchHint[] | undefined, root: string): CatchHint[] {
  return (hints ?? []).filter((h) => !path.isAbsolute(h.uri) && !h.uri.split(/[\\/]/).includes('..') && fs.existsSync(path.join(root, h.uri)));
}

/** Feature title → feature file ("features/…"), for catchers known from the console only. */
export function featureTitles(root: string): Map<string, string> {
  const titles = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.feature')) {
        const title = /^\s*Feature:\s*(.+?)\s*$/m.exec(fs.readFileSync(path.join(root, rel), 'utf8'))?.[1];
        if (title && !titles.has(title)) titles.set(title, rel);
      }
    }
  };
  if (fs.existsSync(path.join(root, 'features'))) walk('features');
  return titles;
}

/**
 * A run stopped at its first failure may know a catcher from its console line
 * only ("feature: <title>", see verdict.ts failedScenarios): its file from the title.
 */
export function withFeatureFile(c: CatchHint, titles: Map<string, string>): CatchHint {
  const title = /^feature: (.+)$/.exec(c.uri)?.[1];
  const uri = title ? titles.get(title) : undefined;
  return uri ? { uri, name: c.name } : c;
}

/**
 * The hints after a run: each caught fault's first catchers (those with a
 * feature file, found by title for console-only catchers), the others kept as they were.
 */
export function updatedHints(old: CatchHints, caught: Array<{ fault: string; caughtBy: CatchHint[] }>, titles = new Map<string, string>()): CatchHints {
  const next: CatchHints = { ...old };
  for (const row of caught) {
    const usable = row.caughtBy.map((c) => withFeatureFile(c, titles)).filter((c) => c.uri.startsWith('features/')).slice(0, MAX_HINTS);
    if (usable.length) next[row.fault] = usable.map((c) => ({ uri: c.uri, name: c.name }));
  }
  return Object.fromEntries(Object.entries(next).sort(([a], [b]) => a.localeCompare(b)));
}

export function writeHints(hints: CatchHints, file = HINTS_FILE): void {
  fs.writeFileSync(file, JSON.stringify(hints, null, 2) + '\n');
}
