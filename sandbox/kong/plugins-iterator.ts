// Which plugin configuration applies to a request (Kong 2.2 plugins
// iterator): per plugin name, the most specific enabled entry wins —
// route+service, then route, then service, then global — and plugins run
// by priority: gluu-uma-auth (998), gluu-openid-connect (997, handler.lua
// line 5), gluu-uma-pep (995) (gateway.md §1, oidc-uma.md §1.1).
import { isJsonObject, type JsonObject } from './json';
import { withoutNulls } from './plugin-context';
import { OPENID_CONNECT, UMA_AUTH, UMA_PEP } from './plugin-schemas';
import type { KongStore } from './store';

export const PLUGIN_PRIORITY: ReadonlyArray<readonly [string, number]> = [
  [UMA_AUTH, 998],
  [OPENID_CONNECT, 997],
  [UMA_PEP, 995],
];

export interface ActivePlugin {
  name: string;
  /** The config as the handler gets it: unset fields are nil, not null. */
  config: Record<string, unknown>;
}

const idOf = (v: unknown): string | undefined => (isJsonObject(v) ? String(v.id) : undefined);

function rank(plugin: JsonObject, routeId: string | undefined, serviceId: string | undefined): number {
  const r = idOf(plugin.route);
  const s = idOf(plugin.service);
  if (idOf(plugin.consumer) !== undefined) return -1;
  if (r !== undefined && s !== undefined) return r === routeId && s === serviceId ? 4 : -1;
  if (r !== undefined) return r === routeId ? 3 : -1;
  if (s !== undefined) return s === serviceId ? 2 : -1;
  return 1;
}

export function pluginsFor(store: KongStore, route: JsonObject, service: JsonObject | undefined, scheme: string): ActivePlugin[] {
  const routeId = String(route.id);
  const serviceId = service ? String(service.id) : undefined;
  const out: ActivePlugin[] = [];
  for (const [name] of PLUGIN_PRIORITY) {
    let best: JsonObject | undefined;
    let bestRank = 0;
    for (const p of store.all('plugins')) {
      if (p.name !== name || p.enabled !== true) continue;
      if (Array.isArray(p.protocols) && !p.protocols.includes(scheme)) continue;
      const r = rank(p, routeId, serviceId);
      if (r > bestRank) {
        best = p;
        bestRank = r;
      }
    }
    if (best) out.push({ name, config: withoutNulls(best.config as Record<string, unknown>) });
  }
  return out;
}
