// Resource registration {AS}/oxauth/restv1/host/rsrc/resource_set[/{id}]
// (oxauth.md §9; UmaResourceRegistrationWS, UmaValidationService
// .validateResource, UmaScopeService.getScopesByIds). Create answers 201
// {"_id","user_access_policy_uri":null} without Location (DIV-AS-18).
import type * as http from 'node:http';
import { headerValue, send, type Request } from '../lib/http';
import { uuid } from '../lib/ids';
import type { AsContext } from './as-context';
import { umaError } from './errors';
import { jacksonCompact } from './java-json';
import { BindError, bindInteger, bindString, bindStringList, isJsonContentType, parseJsonText } from './json-body';
import { assertHasProtectionScope } from './pat';
import type { ResourceRecord } from './store';

/** org.gluu.oxauth.model.uma.UmaResource as Jackson binds it. */
interface ResourceRequest {
  scopes: string[] | null;
  scopeExpression: string | null;
  name: string | null;
  description: string | null;
  iconUri: string | null;
  type: string | null;
  iat: number | null;
  exp: number | null;
}

/** RESTEasy's answer when the entity cannot be read (malformed JSON or wrong types). */
class UnreadableEntity extends Error {}

function bindResource(text: string): ResourceRequest {
  const parsed = parseJsonText(text);
  if (!parsed || parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) throw new UnreadableEntity();
  const o = parsed.value as Record<string, unknown>;
  try {
    return {
      scopes: bindStringList(o.resource_scopes, 'resource_scopes'),
      scopeExpression: bindString(o.scope_expression, 'scope_expression'),
      name: bindString(o.name, 'name'),
      description: bindString(o.description, 'description'),
      iconUri: bindString(o.icon_uri, 'icon_uri'),
      type: bindString(o.type, 'type'),
      iat: bindInteger(o.iat, 'iat'),
      exp: bindInteger(o.exp, 'exp'),
    };
  } catch (e) {
    if (e instanceof BindError) throw new UnreadableEntity();
    throw e;
  }
}

/** JsonLogicNodeParser.isNodeValid: {"rule": <not null>, "data": [non-empty list]}. */
export function isScopeExpressionValid(expression: string): boolean {
  const parsed = parseJsonText(expression);
  if (!parsed || parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) return false;
  const node = parsed.value as { rule?: unknown; data?: unknown };
  return node.rule !== undefined && node.rule !== null && Array.isArray(node.data) && node.data.length > 0;
}

/** validateResource: expression syntax, then scope ids (auto-created or 400), then "both blank". */
function validateResource(as: AsContext, r: ResourceRequest): string[] {
  if (r.scopeExpression && r.scopeExpression.trim() !== '' && !isScopeExpressionValid(r.scopeExpression)) {
    throw umaError(400, 'invalid_scope', `Scope expression is invalid. Expression: ${r.scopeExpression}`);
  }
  const ids = scopeIdsAddingIfNeeded(as, r.scopes ?? []);
  if (ids.length === 0 && (!r.scopeExpression || r.scopeExpression.trim() === '')) {
    throw umaError(400, 'invalid_scope', 'Invalid resource. Both `scope` and `scope_expression` are blank.');
  }
  return ids;
}

/** getScopeDNsByIdsAndAddToLdapIfNeeded: unknown ids are created only with umaAddScopesAutomatically. */
function scopeIdsAddingIfNeeded(as: AsContext, ids: string[]): string[] {
  const out: string[] = [];
  for (const id of new Set(ids)) {
    if (!as.store.scope(id)) {
      if (!as.settings.umaAddScopesAutomatically) throw umaError(400, 'invalid_scope', 'Failed to persist scope.');
      as.store.addUmaScope(id);
    }
    out.push(id);
  }
  return out;
}

function sendResourceId(res: http.ServerResponse, status: number, id: string): void {
  send(res, status, jacksonCompact({ _id: id, user_access_policy_uri: null }), { 'Content-Type': 'application/json' });
}

function unreadable(res: http.ServerResponse): void {
  send(res, 400, '', {});
}

function readEntity(req: Request, res: http.ServerResponse): ResourceRequest | undefined {
  if (!isJsonContentType(req)) {
    send(res, 415, '', {});
    return undefined;
  }
  try {
    return bindResource(req.body.toString('utf8'));
  } catch (e) {
    if (e instanceof UnreadableEntity) {
      unreadable(res);
      return undefined;
    }
    throw e;
  }
}

const notFound = (id: string) => umaError(404, 'not_found', `Failed to find resource set with id: ${id}`);

export function createResource(as: AsContext, req: Request, res: http.ServerResponse): void {
  const r = readEntity(req, res);
  if (!r) return;
  const pat = assertHasProtectionScope(as.store, headerValue(req, 'authorization'));
  const scopes = validateResource(as, r);
  const now = as.store.now();
  const resource: ResourceRecord = {
    id: uuid(),
    name: r.name,
    description: r.description,
    iconUri: r.iconUri,
    scopes,
    scopeExpression: r.scopeExpression,
    type: r.type,
    createdAt: r.iat !== null && r.iat > 0 ? r.iat * 1000 : now,
    expiresAt: r.exp !== null && r.exp > 0 ? r.exp * 1000 : now + as.settings.umaResourceLifetime * 1000,
    clientId: pat.clientId,
    rev: 1,
  };
  as.store.putResource(resource);
  sendResourceId(res, 201, resource.id);
}

export function updateResource(as: AsContext, req: Request, res: http.ServerResponse): void {
  const r = readEntity(req, res);
  if (!r) return;
  assertHasProtectionScope(as.store, headerValue(req, 'authorization'));
  const scopes = validateResource(as, r);
  const resource = as.store.resource(req.params.id);
  if (!resource) throw umaError(404, 'not_found', 'Resource does not exists.');
  resource.name = r.name;
  resource.description = r.description;
  resource.iconUri = r.iconUri;
  resource.scopes = scopes;
  resource.scopeExpression = r.scopeExpression;
  resource.type = r.type;
  resource.rev += 1;
  if (r.exp !== null && r.exp > 0) resource.expiresAt = r.exp * 1000;
  sendResourceId(res, 200, resource.id);
}

/** UmaResourceWithId: `_id` and `name` first, then the UmaResource fields, nulls kept. */
export function resourceJson(r: ResourceRecord): string {
  return jacksonCompact({
    _id: r.id,
    name: r.name,
    resource_scopes: r.scopes,
    scope_expression: r.scopeExpression,
    description: r.description,
    icon_uri: r.iconUri,
    type: r.type,
    iat: Math.floor(r.createdAt / 1000),
    exp: Math.floor(r.expiresAt / 1000),
  });
}

export function getResource(as: AsContext, req: Request, res: http.ServerResponse, withBody = true): void {
  assertHasProtectionScope(as.store, headerValue(req, 'authorization'));
  const resource = as.store.resource(req.params.id);
  if (!resource) throw notFound(req.params.id);
  const body = resourceJson(resource);
  if (withBody) send(res, 200, body, { 'Content-Type': 'application/json' });
  else {
    // HEAD on a GET resource: JAX-RS answers the GET's headers without the entity.
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) });
    res.end();
  }
}

export function listResources(as: AsContext, req: Request, res: http.ServerResponse): void {
  const pat = assertHasProtectionScope(as.store, headerValue(req, 'authorization'));
  const scope = req.query.get('scope') ?? '';
  const ids: string[] = [];
  for (const r of as.store.resources.values()) {
    if (r.clientId !== pat.clientId || !as.store.resource(r.id)) continue;
    if (scope.trim() === '' || r.scopes.includes(scope)) ids.push(r.id);
  }
  send(res, 200, jacksonCompact(ids), { 'Content-Type': 'application/json' });
}

export function deleteResource(as: AsContext, req: Request, res: http.ServerResponse): void {
  assertHasProtectionScope(as.store, headerValue(req, 'authorization'));
  if (!as.store.resource(req.params.id)) throw notFound(req.params.id);
  as.store.resources.delete(req.params.id);
  send(res, 204, '', {});
}

/** @HEAD / @OPTIONS on the collection: 405 with a text entity (oxauth.md §9). */
export function methodNotAllowed(req: Request, res: http.ServerResponse): void {
  const text = `${req.method} Method Not Allowed`;
  if (req.method === 'HEAD') {
    res.writeHead(405, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(Buffer.byteLength(text)) });
    res.end();
    return;
  }
  send(res, 405, text, { 'Content-Type': 'application/octet-stream' });
}

/** OPTIONS on /{id}: RESTEasy's default answer lists the methods of the path. */
export function resourceOptions(res: http.ServerResponse): void {
  send(res, 200, '', { Allow: 'HEAD, DELETE, GET, OPTIONS, PUT' });
}
