// Kong 2.2.1 Admin API (:8001) for services, routes, consumers and plugins:
// the auto-generated endpoints of kong/api/endpoints.lua (collections,
// entities, nested collections, foreign-entity endpoints), the plugin
// PATCH read-before-write of kong/api/routes/plugins.lua, the body rules of
// kong/api/api_helpers.lua (415, "Cannot parse JSON body"), and Kong's
// error bodies (gateway.md §4).
import type { ServerResponse } from 'node:http';
import * as os from 'node:os';
import type { Component, ComponentContext } from '../component';
import { headerValue, send, type Request } from '../lib/http';
import { uuid } from '../lib/ids';
import { decodeFormBody } from './admin-args';
import { KongDbError } from './db-errors';
import type { EntityName } from './entities';
import { cjsonEncode, isJsonObject, type Json, type JsonObject } from './json';
import type { KongStore } from './store';

const JSON_TYPE = 'application/json; charset=utf-8';
const ENTITIES: readonly EntityName[] = ['services', 'routes', 'consumers', 'plugins'];
const NEEDS_BODY = new Set(['POST', 'PUT', 'PATCH']);

/** /{parent}/{key}/{child} → the child's foreign-key field. */
const NESTED: Partial<Record<EntityName, Partial<Record<EntityName, string>>>> = {
  services: { routes: 'service', plugins: 'service' },
  routes: { plugins: 'route' },
  consumers: { plugins: 'consumer' },
};

/** /{child}/{key}/{field} → the referenced entity (foreign-entity endpoints). */
const FOREIGN_ENTITY: Partial<Record<EntityName, Record<string, EntityName>>> = {
  routes: { service: 'services' },
  plugins: { route: 'routes', service: 'services', consumer: 'consumers' },
};

interface Reply {
  status: number;
  body?: unknown;
}

const ok = (body: unknown): Reply => ({ status: 200, body });
const NOT_FOUND: Reply = { status: 404, body: { message: 'Not found' } };
const METHOD_NOT_ALLOWED: Reply = { status: 405, body: { message: 'Method not allowed' } };

class BodyError extends Error {
  constructor(readonly reply: Reply) {
    super('body');
  }
}

export interface AdminInfo {
  version: string;
  nodeId: string;
  stats: { requests: number };
}

export function createAdminApi(ctx: ComponentContext, store: KongStore): Component {
  const version = ctx.settings.kong.version;
  const info: AdminInfo = { version, nodeId: uuid(), stats: { requests: 0 } };

  function headers(extra: Record<string, string> = {}): Record<string, string> {
    return { 'Access-Control-Allow-Origin': '*', 'X-Kong-Admin-Latency': '0', Server: `kong/${version}`, ...extra };
  }

  function reply(res: ServerResponse, r: Reply): void {
    if (r.status === 204) {
      res.writeHead(204, headers());
      res.end();
      return;
    }
    if (r.body === undefined) return send(res, r.status, '', headers({ 'Content-Type': 'application/json' }));
    send(res, r.status, cjsonEncode(r.body), headers({ 'Content-Type': JSON_TYPE }));
  }

  /** The request body as Kong's `self.args.post`; `schemaName` drives form-value inference. */
  function readBody(req: Request, entity: EntityName, fill?: (args: JsonObject) => JsonObject): JsonObject {
    const contentType = (headerValue(req, 'content-type') ?? '').toLowerCase();
    const text = req.body.toString('utf8');
    if (!contentType) {
      if (req.body.length === 0) return {};
      throw new BodyError({ status: 415 });
    }
    if (contentType.includes('application/json')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new BodyError({ status: 400, body: { message: 'Cannot parse JSON body' } });
      }
      if (Array.isArray(parsed) && parsed.length === 0) return {};
      if (!isJsonObject(parsed)) throw new BodyError({ status: 400, body: { message: 'Cannot parse JSON body' } });
      return parsed;
    }
    if (contentType.startsWith('application/x-www-form-urlencoded')) {
      const schemaFor = (args: JsonObject) => store.defs[entity].schemaFor(fill ? fill(args) : args);
      return decodeFormBody(text, schemaFor);
    }
    // multipart/form-data is accepted by Kong; the sandbox does not parse it (DEVIATIONS).
    throw new BodyError({ status: 415 });
  }

  function pageReply(entity: EntityName, req: Request, filter?: { field: string; id: string }, nextBase?: string): Reply {
    const size = req.query.get('size') ?? undefined;
    const offset = req.query.get('offset') ?? undefined;
    const page = store.page(entity, size, offset, filter);
    const body: Record<string, unknown> = { data: page.data, next: null };
    if (page.offset !== undefined) {
      body.offset = page.offset;
      body.next = `${nextBase ?? `/${entity}`}?offset=${encodeURIComponent(page.offset)}`;
    }
    return ok(body);
  }

  // ---- plugins PATCH: read before write (kong/api/routes/plugins.lua) ----
  function pluginPatchBody(req: Request, key: string, params: Partial<Record<EntityName, string>>): { body: JsonObject } | { reply: Reply } {
    const plugin = store.select('plugins', key);
    if (!plugin) return { reply: NOT_FOUND };
    const fill = (args: JsonObject): JsonObject => ({ ...args, name: args.name ?? plugin.name });
    const post = fill(readBody(req, 'plugins', fill));
    for (const [field, entity] of [['route', 'routes'], ['service', 'services'], ['consumer', 'consumers']] as const) {
      if (post[field] === undefined) post[field] = plugin[field] ?? null;
      const param = params[entity];
      if ((post[field] === undefined || post[field] === false) && param) post[field] = { id: param };
    }
    return { body: post };
  }

  /**
   * GET /consumers?custom_id=X (Kong 2.2.1 kong/api/routes/consumers.lua
   * lines 14-26): select_by_custom_id, answered as a list of that consumer or
   * of nothing, `next` null, without paging (size and offset ignored).
   * `?custom_id=` and `?custom_id` (the URI args decoded against the
   * consumers schema, "" → ngx.null: kong/api/arguments.lua infer_value) and a
   * repeated custom_id (a table) are not strings: validate_unique_type
   * (kong/db/dao/init.lua line 130) raises a Lua error, which the Admin API
   * answers with its 500. (Later Kong answers 400 "custom_id must be an
   * unempty string" instead; 2.2.1 does not.)
   */
  function consumerByCustomId(req: Request): Reply {
    const given = req.query.getAll('custom_id');
    if (given.length !== 1 || given[0] === '') return { status: 500, body: { message: 'An unexpected error occurred' } };
    const consumer = store.findBy('consumers', 'custom_id', given[0]);
    return ok({ data: consumer ? [consumer] : [], next: null });
  }

  function collection(req: Request, entity: EntityName): Reply {
    if (req.method === 'GET') return entity === 'consumers' && req.query.has('custom_id') ? consumerByCustomId(req) : pageReply(entity, req);
    if (req.method === 'POST') return { status: 201, body: store.insert(entity, readBody(req, entity)) };
    return METHOD_NOT_ALLOWED;
  }

  function single(req: Request, entity: EntityName, key: string): Reply {
    switch (req.method) {
      case 'GET': {
        const row = store.select(entity, key);
        return row ? ok(row) : NOT_FOUND;
      }
      case 'PUT':
        return ok(store.upsert(entity, key, readBody(req, entity)));
      case 'PATCH': {
        if (entity === 'plugins') {
          const patch = pluginPatchBody(req, key, {});
          return 'reply' in patch ? patch.reply : ok(store.update('plugins', key, patch.body));
        }
        return ok(store.update(entity, key, readBody(req, entity)));
      }
      case 'DELETE':
        store.delete(entity, key);
        return { status: 204 };
      default:
        return METHOD_NOT_ALLOWED;
    }
  }

  function nestedCollection(req: Request, parent: EntityName, parentKey: string, child: EntityName, field: string): Reply {
    if (req.method !== 'GET' && req.method !== 'POST') return METHOD_NOT_ALLOWED;
    const parentRow = store.select(parent, parentKey);
    if (!parentRow) return NOT_FOUND;
    const id = String(parentRow.id);
    if (req.method === 'GET') return pageReply(child, req, { field, id }, `/${parent}/${parentKey}/${child}`);
    const body = readBody(req, child, (args) => ({ ...args, [field]: { id } }));
    return { status: 201, body: store.insert(child, { ...body, [field]: { id } }) };
  }

  function belongs(row: JsonObject, field: string, parentId: string): boolean {
    const fk = row[field];
    return isJsonObject(fk) && fk.id === parentId;
  }

  function nestedSingle(req: Request, parent: EntityName, parentKey: string, child: EntityName, childKey: string, field: string): Reply {
    if (!['GET', 'PUT', 'PATCH', 'DELETE'].includes(req.method)) return METHOD_NOT_ALLOWED;
    const parentRow = store.select(parent, parentKey);
    if (!parentRow) return NOT_FOUND;
    const parentId = String(parentRow.id);
    if (req.method === 'PUT') return ok(store.upsert(child, childKey, { ...readBody(req, child), [field]: { id: parentId } }));
    let patchBody: JsonObject | undefined;
    if (req.method === 'PATCH') {
      if (child === 'plugins') {
        const patch = pluginPatchBody(req, childKey, { [parent]: parentId });
        if ('reply' in patch) return patch.reply;
        patchBody = patch.body;
      } else {
        patchBody = readBody(req, child);
      }
      if (patchBody[field] === undefined) patchBody[field] = { id: parentId };
    }
    const row = store.select(child, childKey);
    if (!row || !belongs(row, field, parentId)) return NOT_FOUND;
    if (req.method === 'GET') return ok(row);
    if (req.method === 'DELETE') {
      store.delete(child, childKey);
      return { status: 204 };
    }
    return ok(store.update(child, childKey, patchBody as JsonObject));
  }

  function foreignEntity(req: Request, child: EntityName, childKey: string, field: string, target: EntityName): Reply {
    const row = store.select(child, childKey);
    if (!row) return NOT_FOUND;
    const fk = row[field];
    const targetId = isJsonObject(fk) ? String(fk.id) : undefined;
    switch (req.method) {
      case 'GET': {
        const t = targetId ? store.byId(target, targetId) : undefined;
        return t ? ok(t) : NOT_FOUND;
      }
      case 'PATCH':
        return targetId ? ok(store.update(target, targetId, readBody(req, target))) : NOT_FOUND;
      case 'PUT': {
        const id = targetId ?? uuid();
        const entity = store.upsert(target, id, readBody(req, target));
        if (!targetId) store.update(child, String(row.id), { [field]: { id: entity.id as Json } });
        return ok(entity);
      }
      case 'DELETE':
        return targetId ? METHOD_NOT_ALLOWED : NOT_FOUND;
      default:
        return METHOD_NOT_ALLOWED;
    }
  }

  /** POST /schemas/{db_entity_name}/validate (kong/api/routes/kong.lua): 200 or the schema violation, nothing stored. */
  function schemaValidate(req: Request, entityName: string): Reply {
    if (req.method !== 'POST') return METHOD_NOT_ALLOWED;
    if (!(ENTITIES as readonly string[]).includes(entityName)) return { status: 404, body: { message: `No entity named '${entityName}'` } };
    store.validateOnly(entityName as EntityName, readBody(req, entityName as EntityName));
    return ok({ message: 'schema validation successful' });
  }

  function rootInfo(): Reply {
    const enabledInCluster = [...new Set(store.all('plugins').map((p) => String(p.name)))];
    const available = { 'gluu-uma-auth': true, 'gluu-openid-connect': true, 'gluu-uma-pep': true };
    return ok({
      tagline: 'Welcome to kong',
      version,
      hostname: os.hostname(),
      node_id: info.nodeId,
      timers: { running: 0, pending: 0 },
      plugins: { available_on_server: available, enabled_in_cluster: enabledInCluster },
      lua_version: 'LuaJIT 2.1.0-beta3',
      configuration: {
        database: 'postgres',
        plugins: ['bundled', 'gluu-uma-auth', 'gluu-openid-connect', 'gluu-uma-pep'],
        loaded_plugins: available,
        proxy_listen: [ctx.urls.kongProxy.replace(/^https?:\/\//, '')],
        admin_listen: [ctx.urls.kongAdmin.replace(/^https?:\/\//, '')],
        headers: ['server_tokens', 'latency_tokens'],
        trusted_ips: {},
        error_default_type: 'text/plain',
        nginx_worker_processes: '1',
      },
      prng_seeds: {},
    });
  }

  function statusInfo(): Reply {
    const n = info.stats.requests;
    return ok({
      database: { reachable: true },
      memory: { workers_lua_vms: [{ http_allocated_gc: '0.00 MiB', pid: process.pid }], lua_shared_dicts: {} },
      server: {
        connections_writing: 1,
        total_requests: n,
        connections_handled: n,
        connections_accepted: n,
        connections_reading: 0,
        connections_active: 1,
        connections_waiting: 0,
      },
    });
  }

  function dispatch(req: Request): Reply {
    // lapis default_route: "/services/" is served as "/services".
    const raw = req.rawPath.length > 1 ? req.rawPath.replace(/\/$/, '') : req.rawPath;
    const parts = raw.split('/').slice(1).filter((p, i, all) => !(p === '' && all.length === 1));
    const seg = parts.map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
    const isEntity = (s: string | undefined): s is EntityName => s !== undefined && (ENTITIES as readonly string[]).includes(s);
    if (seg.length === 0) return req.method === 'GET' ? rootInfo() : METHOD_NOT_ALLOWED;
    if (seg.length === 1 && seg[0] === 'status') return req.method === 'GET' ? statusInfo() : METHOD_NOT_ALLOWED;
    if (seg.length === 2 && seg[0] === 'plugins' && seg[1] === 'enabled') {
      return req.method === 'GET' ? ok({ enabled_plugins: ['gluu-uma-auth', 'gluu-openid-connect', 'gluu-uma-pep'] }) : METHOD_NOT_ALLOWED;
    }
    if (seg.length === 3 && seg[0] === 'schemas' && seg[2] === 'validate') return schemaValidate(req, seg[1]);
    if (!isEntity(seg[0])) return NOT_FOUND;
    const [entity, key, sub, subKey] = seg;
    if (seg.length === 1) return collection(req, entity);
    if (seg.length === 2) return single(req, entity, key);
    if (seg.length === 3) {
      if (isEntity(sub) && NESTED[entity]?.[sub]) return nestedCollection(req, entity, key, sub, NESTED[entity]?.[sub] as string);
      const target = FOREIGN_ENTITY[entity]?.[sub];
      if (target) return foreignEntity(req, entity, key, sub, target);
      return NOT_FOUND;
    }
    if (seg.length === 4 && isEntity(sub) && NESTED[entity]?.[sub]) {
      return nestedSingle(req, entity, key, sub, subKey, NESTED[entity]?.[sub] as string);
    }
    return NOT_FOUND;
  }

  return {
    name: 'kongAdmin',
    bodyLimit: 10 * 1024 * 1024,
    handler: (req, res) => {
      info.stats.requests++;
      if (req.method === 'OPTIONS') {
        res.writeHead(204, headers({ 'Access-Control-Allow-Methods': 'GET, HEAD, PUT, PATCH, POST, DELETE', 'Access-Control-Allow-Headers': 'Content-Type' }));
        res.end();
        return;
      }
      try {
        if (NEEDS_BODY.has(req.method)) {
          // api_helpers.before_filter: only JSON, form and multipart bodies.
          const ct = (headerValue(req, 'content-type') ?? '').toLowerCase();
          if (!ct && req.body.length > 0) return reply(res, { status: 415 });
          if (ct && !ct.startsWith('application/json') && !ct.startsWith('multipart/form-data') && !ct.startsWith('application/x-www-form-urlencoded')) {
            return reply(res, { status: 415 });
          }
        }
        reply(res, dispatch(req));
      } catch (err) {
        if (err instanceof BodyError) return reply(res, err.reply);
        if (err instanceof KongDbError) return reply(res, { status: err.status, body: err.errT });
        ctx.log('kong', `admin API error: ${err instanceof Error ? err.message : String(err)}`);
        reply(res, { status: 500, body: { message: 'An unexpected error occurred' } });
      }
    },
    onTooLarge: (res) =>
      send(res, 413, '<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>openresty</center>\r\n</body>\r\n</html>\r\n', {
        'Content-Type': 'text/html',
        Server: 'openresty',
      }),
    onError: (res) => send(res, 500, cjsonEncode({ message: 'An unexpected error occurred' }), headers({ 'Content-Type': JSON_TYPE })),
  };
}
