// Kong Admin API client: the subset Gluu Gateway's UI uses (gateway.md §4).
import type { Exchange, HttpClient } from '../http';
import { bodyObject } from '../http';
import { bodyExcerpt } from '../evidence';
import { SetupError } from '../errors';

export interface KongService {
  id: string;
  name: string | null;
  protocol: string;
  host: string;
  port: number;
  path: string | null;
}

export interface KongRoute {
  id: string;
  name: string | null;
  hosts: string[] | null;
  paths: string[] | null;
  methods: string[] | null;
  service: { id: string } | null;
}

export interface KongConsumer {
  id: string;
  username: string | null;
  custom_id: string | null;
}

export interface KongPlugin {
  id: string;
  name: string;
  config: Record<string, unknown>;
  service: { id: string } | null;
  route: { id: string } | null;
  consumer: { id: string } | null;
  enabled: boolean;
}

export type KongEntityKind = 'services' | 'routes' | 'consumers' | 'plugins';

export interface KongList<T> {
  data: T[];
  next: string | null;
}

export class KongAdmin {
  constructor(
    private readonly http: HttpClient,
    private readonly baseUrl: string,
  ) {}

  root(): Promise<Exchange> {
    return this.http.get(`${this.baseUrl}/`);
  }

  private async create<T>(kind: KongEntityKind, body: Record<string, unknown>, what: string): Promise<T> {
    const x = await this.http.postJson(`${this.baseUrl}/${kind}`, body);
    if (x.response.status !== 201) {
      const message = String(bodyObject(x).message ?? bodyExcerpt(x.response.text, 200));
      throw new SetupError(`Kong refused to create ${what}: HTTP ${x.response.status} ${message}`, x);
    }
    return x.response.json as T;
  }

  // Every create takes the id the entity will have: Kong accepts a client-chosen
  // UUID, which lets the suite journal an object before it exists.

  createService(id: string, name: string, url: string): Promise<KongService> {
    return this.create('services', { id, name, url }, `service "${name}"`);
  }

  createRoute(id: string, name: string, serviceId: string, hosts: string[]): Promise<KongRoute> {
    return this.create('routes', { id, name, hosts, service: { id: serviceId } }, `route "${name}"`);
  }

  /** A route matched by path prefix only (no hosts), as the second tutorial's auto provisioning makes it. */
  createPathRoute(id: string, name: string, serviceId: string, paths: string[]): Promise<KongRoute> {
    return this.create('routes', { id, name, paths, strip_path: true, service: { id: serviceId } }, `route "${name}"`);
  }

  createConsumer(id: string, username: string, customId: string): Promise<KongConsumer> {
    return this.create('consumers', { id, username, custom_id: customId }, `consumer "${username}"`);
  }

  createPlugin(id: string, name: string, config: Record<string, unknown>, scope: { service?: string; route?: string }): Promise<KongPlugin> {
    const body: Record<string, unknown> = { id, name, config };
    if (scope.service) body.service = { id: scope.service };
    if (scope.route) body.route = { id: scope.route };
    return this.create('plugins', body, `plugin ${name}`);
  }

  /** DELETE answers 204 whether or not the entity existed (Kong 2.x). */
  async remove(kind: KongEntityKind, id: string): Promise<Exchange> {
    return this.http.send('DELETE', `${this.baseUrl}/${kind}/${encodeURIComponent(id)}`);
  }

  /** Every entity of a kind, following Kong's pagination. */
  async list<T>(kind: KongEntityKind): Promise<T[]> {
    const out: T[] = [];
    let next: string | null = `/${kind}?size=1000`;
    while (next) {
      const x = await this.http.get(new URL(next, this.baseUrl + '/').toString());
      if (x.response.status !== 200) throw new SetupError(`Kong did not list ${kind}: HTTP ${x.response.status}`, x);
      const page = x.response.json as KongList<T>;
      out.push(...page.data);
      next = page.next;
    }
    return out;
  }

  /**
   * The consumer whose custom_id is given, or undefined when Kong has none.
   * Kong 2.2 answers `GET /consumers?custom_id=X` with that consumer or an
   * empty list (kong/api/routes/consumers.lua); only a consumer whose
   * custom_id is X is taken, and an answer of other consumers alone (an
   * Admin API that ignored the filter) is said to be one, not read as "none".
   */
  async consumerByCustomId(customId: string): Promise<KongConsumer | undefined> {
    const x = await this.http.get(`${this.baseUrl}/consumers?custom_id=${encodeURIComponent(customId)}`);
    if (x.response.status !== 200) throw new SetupError(`Kong did not look up consumers: HTTP ${x.response.status}`, x);
    const listed = (x.response.json as KongList<KongConsumer> | undefined)?.data;
    if (!Array.isArray(listed)) throw new SetupError('Kong did not look up consumers: the answer has no "data" list', x);
    const consumer = listed.find((c) => c.custom_id === customId);
    if (!consumer && listed.length > 0) {
      throw new SetupError(
        `Kong answered GET /consumers?custom_id=${customId} with ${listed.length} consumer(s) of other custom_ids and not the one asked for: its Admin API did not filter by custom_id as Kong 2.2 does`,
        x,
      );
    }
    return consumer;
  }
}
