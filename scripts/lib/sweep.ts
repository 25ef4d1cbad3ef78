// Removes the Kong objects a run's journal lists as created and not deleted
// (a scenario that crashed, a worker that was killed, an interrupted run).
import type { SuiteConfig } from '../../support/config';
import { HttpClient } from '../../support/http';
import { leftovers, type KongKind } from '../../support/journal';

/** Dependants first: Kong refuses to delete a service that routes still use. */
const ORDER: KongKind[] = ['plugins', 'routes', 'services', 'consumers'];

export async function sweepJournal(dir: string, config: SuiteConfig): Promise<{ removed: number; problems: string[] }> {
  const left = leftovers(dir).sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
  const http = new HttpClient('Kong Admin API', { timeoutMs: config.httpTimeoutMs, tlsInsecure: config.tlsInsecure });
  let removed = 0;
  const problems: string[] = [];
  for (const o of left) {
    try {
      const x = await http.send('DELETE', `${o.adminUrl}/${o.kind}/${encodeURIComponent(o.id)}`);
      if (x.response.status === 204 || x.response.status === 404) removed++;
      else problems.push(`${o.kind} ${o.id}: HTTP ${x.response.status}`);
    } catch (err) {
      problems.push(`${o.kind} ${o.id}: ${(err as Error).message}`);
    }
  }
  return { removed, problems };
}
