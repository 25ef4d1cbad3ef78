// Removes the Kong objects a run's journal lists as created and not deleted
// (a scenario that crashed, a worker that was killed, an interrupted run):
// the run's own journal at its end, and, at the start of a run, the journals
// that earlier runs in the same reports folder left because they were killed
// before their own end. The caller holds the folder's reports lock, so no
// journal under it belongs to a run that still lives.
//
// An entry leaves the journal only once its object is known gone: Kong
// answered its DELETE with 204 or 404 (Kong 2.x answers 204 for an id it does
// not have, too). A Kong that does not answer keeps the entries for the next
// run, except the embedded sandbox's: that Kong lived in the run's sandbox
// process, which ends with the run, so its objects are gone with it.
import type { SuiteConfig } from '../../support/config';
import { HttpClient } from '../../support/http';
import { originOnly } from '../../support/mask';
import { confirmGone, discardIfSettled, leftovers, runJournals, type KongKind } from '../../support/journal';

/** Dependants first: Kong refuses to delete a service that routes still use. */
const ORDER: KongKind[] = ['plugins', 'routes', 'services', 'consumers'];

export interface SweepSettings {
  timeoutMs: number;
  tlsInsecure: boolean;
}

export interface SweepOutcome {
  removed: number;
  /** Objects left in the journal because Kong refused or failed their DELETE. */
  problems: string[];
  /** Admin APIs that did not answer, with how many objects stay journalled there. */
  unreachable: Array<{ adminUrl: string; objects: number }>;
  /** Objects of an embedded sandbox that is gone (they went with it). */
  discarded: number;
}

export function sweepSettings(config: Pick<SuiteConfig, 'httpTimeoutMs' | 'tlsInsecure'> | undefined): SweepSettings {
  return { timeoutMs: Math.min(config?.httpTimeoutMs ?? 10_000, 10_000), tlsInsecure: config?.tlsInsecure ?? false };
}

/**
 * Sweeps one run's journal folder, recording there each object found gone.
 * `ephemeral`: the objects lived in an embedded sandbox, so an Admin API that
 * does not answer means they are gone.
 */
export async function sweepJournal(dir: string, settings: SweepSettings, ephemeral = false): Promise<SweepOutcome> {
  const left = leftovers(dir).sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
  const http = new HttpClient('Kong Admin API', settings);
  const outcome: SweepOutcome = { removed: 0, problems: [], unreachable: [], discarded: 0 };
  for (const adminUrl of new Set(left.map((o) => o.adminUrl))) {
    const objects = left.filter((o) => o.adminUrl === adminUrl);
    // One probe per Admin API: an unreachable one costs one timeout, not one per object.
    const reachable = await http.send('GET', `${adminUrl}/`).then(
      () => true,
      () => false,
    );
    if (!reachable) {
      if (ephemeral) {
        confirmGone(dir, objects);
        outcome.discarded += objects.length;
      } else outcome.unreachable.push({ adminUrl, objects: objects.length });
      continue;
    }
    for (const o of objects) {
      try {
        const x = await http.send('DELETE', `${adminUrl}/${o.kind}/${encodeURIComponent(o.id)}`);
        if (x.response.status === 204 || x.response.status === 404) {
          confirmGone(dir, [o]);
          outcome.removed++;
          continue;
        }
        outcome.problems.push(`${o.kind} ${o.id} at ${originOnly(adminUrl) ?? 'the Kong Admin API'}: HTTP ${x.response.status}`);
      } catch (err) {
        outcome.problems.push(`${o.kind} ${o.id}: ${(err as Error).message}`);
      }
    }
  }
  return outcome;
}

/** Sweeps the journals earlier runs left under a journal root (every run folder but `ownRunId`'s). */
export async function sweepEarlierRuns(root: string, settings: SweepSettings, ownRunId?: string): Promise<SweepOutcome> {
  const total: SweepOutcome = { removed: 0, problems: [], unreachable: [], discarded: 0 };
  for (const run of runJournals(root)) {
    if (ownRunId && run.header?.runId === ownRunId) continue;
    // Without a header the target is unknown: treated as a Kong that outlives runs.
    const r = await sweepJournal(run.dir, settings, run.header?.target === 'sandbox');
    discardIfSettled(run.dir);
    total.removed += r.removed;
    total.discarded += r.discarded;
    total.problems.push(...r.problems);
    for (const u of r.unreachable) {
      const same = total.unreachable.find((x) => x.adminUrl === u.adminUrl);
      if (same) same.objects += u.objects;
      else total.unreachable.push({ ...u });
    }
  }
  return total;
}

/** The console lines for a sweep; `whose` says whose objects ("the run", "earlier interrupted runs"). */
export function sweepLines(outcome: SweepOutcome, whose: string, journalShown: string): { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  if (outcome.removed) out.push(`Removed ${outcome.removed} Kong object(s) ${whose} left behind.`);
  for (const u of outcome.unreachable) {
    err.push(`The Kong Admin API at ${originOnly(u.adminUrl) ?? '(an Admin URL that is not a URL)'} did not answer: the ${u.objects} object(s) ${whose} left there stay listed in ${journalShown} for the next run to remove.`);
  }
  for (const p of outcome.problems) err.push(`Could not remove: ${p} (kept in ${journalShown} for the next run).`);
  return { out, err };
}
