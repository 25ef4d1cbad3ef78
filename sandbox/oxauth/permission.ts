// Permission registration POST {AS}/oxauth/restv1/host/rsrc_pr (oxauth.md §7;
// UmaPermissionRegistrationWS, UmaValidationService.validatePermission,
// UmaPermissionService.addPermission): one ticket (UUID) for all the
// permissions of the request, lifetime umaTicketLifetime, 201 {"ticket"}.
import type * as http from 'node:http';
import { headerValue, send, type Request } from '../lib/http';
import { uuid } from '../lib/ids';
import type { AsContext } from './as-context';
import { umaError } from './errors';
import { jacksonCompact } from './java-json';
import { BindError, bindInteger, bindString, bindStringList, bindStringMap, isJsonContentType, parseJsonText } from './json-body';
import { assertHasProtectionScope } from './pat';
import type { PermissionRecord } from './store';

/** org.gluu.oxauth.model.uma.UmaPermission as Jackson binds it. */
export interface PermissionRequest {
  resourceId: string | null;
  scopes: string[] | null;
  exp: number | null;
  params: Record<string, string> | null;
}

class NullPermission extends Error {}

function bindPermission(v: unknown): PermissionRequest {
  if (v === null) throw new NullPermission();
  if (typeof v !== 'object' || Array.isArray(v)) throw new BindError('permission');
  const o = v as Record<string, unknown>;
  return {
    resourceId: bindString(o.resource_id, 'resource_id'),
    scopes: bindStringList(o.resource_scopes, 'resource_scopes'),
    exp: bindInteger(o.exp, 'exp'),
    params: bindStringMap(o.params, 'params'),
  };
}

/** parseRequest: a single permission first, then a list; anything else is invalid_permission_request. */
export function parsePermissionRequest(text: string): (PermissionRequest | null)[] {
  const parsed = parseJsonText(text);
  const invalid = () => umaError(400, 'invalid_permission_request', 'Failed to parse uma permission request.');
  if (!parsed) throw invalid();
  if (!Array.isArray(parsed.value)) {
    try {
      return [bindPermission(parsed.value)];
    } catch (e) {
      // Jackson reads JSON null as a null permission; it fails later, in validation.
      if (e instanceof NullPermission) return [null];
      throw invalid();
    }
  }
  let list: (PermissionRequest | null)[];
  try {
    list = parsed.value.map((v) => {
      try {
        return bindPermission(v);
      } catch (e) {
        if (e instanceof NullPermission) return null;
        throw e;
      }
    });
  } catch {
    throw invalid();
  }
  if (list.length === 0) throw invalid();
  return list;
}

/** A NullPointerException inside the endpoint: 500 server_error "Internal error.". */
const internalError = () => umaError(500, 'server_error', 'Internal error.');

function validatePermission(as: AsContext, p: PermissionRequest | null): void {
  if (p === null) throw internalError();
  if (!p.resourceId || p.resourceId === '') throw umaError(400, 'invalid_resource_id', 'Resource id is empty');
  const resource = as.store.resource(p.resourceId);
  // UmaResourceService.getResourceById throws 404 not_found itself (oxAuth version_4.2.3
  // Server/src/main/java/org/gluu/oxauth/uma/service/UmaResourceService.java lines 160-174), before
  // UmaValidationService's own "Resource is not registered." (400 invalid_resource_id, line 188) can run,
  // and UmaPermissionRegistrationWS rethrows it (lines 81-83). UMA FedAuthz §4.3 wants 400 invalid_resource_id.
  if (!resource) throw umaError(404, 'not_found', `Failed to find resource set with id: ${p.resourceId}`);
  if (p.scopes === null) throw internalError();
  for (const s of p.scopes) {
    // UmaValidationService lines 191-200 compare the scope id with the resource's scope DNs, which never
    // match, so every scope goes to UmaScopeService.getOrCreate: any scope the AS knows is accepted, on
    // the resource or not; an unknown one would need spontaneous scopes (none in the tutorial).
    if (!as.store.scope(s)) throw umaError(400, 'invalid_scope', "At least one of the scopes isn't registered");
  }
}

export function registerPermission(as: AsContext, req: Request, res: http.ServerResponse): void {
  if (!isJsonContentType(req)) {
    send(res, 415, '', {});
    return;
  }
  assertHasProtectionScope(as.store, headerValue(req, 'authorization'));
  const permissions = parsePermissionRequest(req.body.toString('utf8'));
  for (const p of permissions) validatePermission(as, p);
  const ticket = uuid();
  const now = as.store.now();
  const expiresAt = now + as.settings.umaTicketLifetime * 1000;
  const records: PermissionRecord[] = (permissions as PermissionRequest[]).map((p) => ({
    id: uuid(),
    ticket,
    resourceId: p.resourceId as string,
    scopes: [...new Set(p.scopes ?? [])],
    // The RS's params become ticket attributes; need_info rotation drops them (oxauth.md §3.5).
    attributes: { ...(p.params ?? {}) },
    createdAt: now,
    expiresAt,
  }));
  as.store.addPermissions(records);
  send(res, 201, jacksonCompact({ ticket }), { 'Content-Type': 'application/json' });
}
