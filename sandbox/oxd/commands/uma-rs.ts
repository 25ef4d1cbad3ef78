// Resource-server commands: uma-rs-protect, uma-rs-check-access, introspect-rpt
// (oxd.md §4.6–§4.8; RsProtectOperation, RsCheckAccessOperation,
// IntrospectRptOperation @ oxd version_4.2.3, ResourceRegistrar and
// RptPreProcessInterceptor @ uma-rs version_4.2.3).
import { configurationEndpoint, type UmaConfiguration } from '../as-client';
import type { OxdDeps } from '../deps';
import { ContainerError, DOC_URL, jerseyMessage, JsonAnswer, OxdError } from '../errors';
import { introspectRpt } from '../introspection';
import { isValidNode, parseJsonLogicNode, scopeExpressionYieldsDataScope } from '../json-logic';
import { javaHashOrder, javaListHash, javaListToString, javaStringHash, javaStringSetOrder } from '../java-compat';
import { PARAM_CLASSES } from '../param-classes';
import { bool, isNullOrEmpty, str, strList, type JsonValue, type Params } from '../params';
import type { CommandDef } from '../processor';
import { findResource, requireSite, type ProtectedResource, type Site } from '../site-store';

interface Condition {
  httpMethods?: (string | null)[] | null;
  scopes?: (string | null)[] | null;
  scope_expression?: JsonValue;
  ticketScopes?: (string | null)[] | null;
}

interface RsResource {
  path?: string | null;
  conditions?: (Condition | null)[] | null;
  iat?: number | null;
  exp?: number | null;
}

/** The scope expression of a condition, when present and not JSON null. */
function expressionOf(c: Condition): JsonValue | undefined {
  return c.scope_expression === undefined || c.scope_expression === null ? undefined : c.scope_expression;
}

/** ResourceValidator.isHttpMethodUniqueInPath: a method may occur once per path string across the request. */
function httpMethodsUniquePerPath(resources: (RsResource | null)[]): boolean {
  const byPath = new Map<string | null | undefined, (string | null)[]>();
  for (const r of resources) {
    if (r === null) throw new TypeError('resource is null');
    const seen = byPath.get(r.path) ?? [];
    byPath.set(r.path, seen);
    for (const c of r.conditions ?? []) {
      for (const m of c?.httpMethods ?? []) {
        if (seen.includes(m)) return false;
        seen.push(m);
      }
    }
  }
  return true;
}

function validateScopeExpressions(resources: RsResource[]): void {
  for (const r of resources) {
    for (const c of r.conditions ?? []) {
      const expr = c ? expressionOf(c) : undefined;
      if (expr === undefined) continue;
      const node = parseJsonLogicNode(expr);
      if (!isValidNode(node) || !scopeExpressionYieldsDataScope(node)) throw new OxdError('UMA_FAILED_TO_VALIDATE_SCOPE_EXPRESSION');
    }
  }
}

/** One AS resource per (path, condition), named "[GET] /posts/??" (ResourceRegistrar.register). */
interface Registration {
  path: string | null | undefined;
  methods: (string | null)[] | null | undefined;
  condition: Condition;
  resource: RsResource;
  id?: string;
}

function resourceBody(reg: Registration): Record<string, unknown> {
  const c = reg.condition;
  const body: Record<string, unknown> = { name: `${reg.methods ? javaListToString(reg.methods.map(String)) : 'null'} ${reg.path}` };
  const expr = expressionOf(c);
  const node = expr === undefined ? null : parseJsonLogicNode(expr);
  if (isValidNode(node)) {
    body.scope_expression = JSON.stringify(expr); // JsonNode.toString(): compact JSON, as a string member
    body.resource_scopes = node.data;
  } else {
    body.resource_scopes = c.scopes ?? null;
  }
  if (reg.resource.iat && reg.resource.iat > 0) body.iat = reg.resource.iat;
  if (reg.resource.exp && reg.resource.exp > 0) body.exp = reg.resource.exp;
  return body;
}

class ResourceRegistrationFailure extends Error {
  constructor(readonly status: number) {
    super(`resource registration answered ${status}`);
  }
}

/**
 * The UMA document uma-rs reads for resource and ticket registration: `{op_host}/.well-known/uma2-configuration`
 * (as-client.ts umaMetadataAtOpHost). A non-2xx answer is the RESTEasy proxy's WebApplicationException with that
 * status (ResourceRegistrationFailure); a body that is not a JSON object fails to bind.
 */
async function opHostUmaMetadata(deps: OxdDeps, site: Site): Promise<UmaConfiguration> {
  const res = await deps.as.umaMetadataAtOpHost(site.opHost);
  if (res.status < 200 || res.status >= 300) throw new ResourceRegistrationFailure(res.status);
  if (res.json === null || typeof res.json !== 'object' || Array.isArray(res.json)) throw new TypeError(`UMA metadata is not a JSON object: ${res.text.slice(0, 80)}`);
  return res.json as UmaConfiguration;
}

/** One ServiceProvider of a protect call: its UMA document is fetched once, on first use, and kept for the retry. */
class OpHostMetadata {
  private endpoint?: string;

  constructor(
    private readonly deps: OxdDeps,
    private readonly site: Site,
  ) {}

  async registrationEndpoint(): Promise<string> {
    this.endpoint ??= (await opHostUmaMetadata(this.deps, this.site)).resource_registration_endpoint ?? '';
    if (!this.endpoint) throw new Error('no resource_registration_endpoint');
    return this.endpoint;
  }
}

/**
 * ResourceRegistrar.register: `serviceProvider.getResourceService().addResource("Bearer " + getPatToken(), …)` per
 * condition — the receiver first (the op_host document, on first use), then the PAT.
 */
async function registerAll(deps: OxdDeps, metadata: OpHostMetadata, pat: () => Promise<string>, regs: Registration[]): Promise<void> {
  for (const reg of regs) {
    const endpoint = await metadata.registrationEndpoint();
    const res = await deps.as.addResource(endpoint, await pat(), resourceBody(reg));
    if (res.status < 200 || res.status >= 300) throw new ResourceRegistrationFailure(res.status);
    const id = (res.json as { _id?: unknown } | undefined)?._id;
    if (typeof id !== 'string') throw new TypeError('Resource ID can not be null.');
    reg.id = id;
  }
}

/** RsResource.getScopesForTicket: the expression's data, else ticketScopes, else scopes. */
function scopesForTicket(c: Condition): (string | null)[] {
  const expr = expressionOf(c);
  const node = expr === undefined ? null : parseJsonLogicNode(expr);
  if (node) return node.data;
  if (c.ticketScopes && c.ticketScopes.length > 0) return c.ticketScopes;
  if (!c.scopes) throw new TypeError('Collection.addAll(null)');
  return c.scopes;
}

/** RsProtectOperation.persist: one UmaResource per registered key, in HashMap<Key, id> order. */
function protectedResources(regs: Registration[]): ProtectedResource[] {
  const keyHash = (r: Registration) => (Math.imul(31, javaStringHash(r.path ?? '')) + javaListHash((r.methods ?? []).map(String))) | 0;
  const ordered = javaHashOrder(regs, keyHash, (r) => JSON.stringify([r.path, r.methods]));
  return ordered.map((reg) => {
    const methods = (reg.methods ?? []).filter((m): m is string => m !== null);
    // Every method of the key maps to this same condition (methods are unique per path).
    const scopes: string[] = [];
    const ticket: string[] = [];
    const expressions: string[] = [];
    if (methods.length > 0) {
      scopes.push(...(reg.condition.scopes ?? []).filter((s): s is string => s !== null));
      ticket.push(...scopesForTicket(reg.condition).filter((s): s is string => s !== null));
      const expr = expressionOf(reg.condition);
      if (expr !== undefined) expressions.push(JSON.stringify(expr));
    }
    const r: ProtectedResource = {
      id: reg.id as string,
      path: reg.path ?? '',
      httpMethods: methods,
      scopes: javaStringSetOrder(scopes),
      ticketScopes: javaStringSetOrder(ticket),
      scopeExpressions: javaStringSetOrder(expressions),
    };
    if (reg.resource.iat && reg.resource.iat > 0) r.iat = reg.resource.iat;
    if (reg.resource.exp && reg.resource.exp > 0) r.exp = reg.resource.exp;
    return r;
  });
}

async function umaRsProtect(deps: OxdDeps, p: Params): Promise<unknown> {
  const resources = (p.resources ?? null) as (RsResource | null)[] | null;
  if (resources === null || resources.length === 0) throw new OxdError('NO_UMA_RESOURCES_TO_PROTECT');
  if (!httpMethodsUniquePerPath(resources)) throw new OxdError('UMA_HTTP_METHOD_NOT_UNIQUE');
  validateScopeExpressions(resources as RsResource[]);

  const site = requireSite(deps.store, str(p, 'oxd_id'));
  if (site.resources.length > 0 && bool(p, 'overwrite') !== true) throw new OxdError('UMA_PROTECTION_FAILED_BECAUSE_RESOURCES_ALREADY_EXISTS');
  if (site.resources.length > 0) {
    // overwrite=true: the existing resources are deleted at the AS first, at the endpoint of DiscoveryService's
    // document (getUmaDiscoveryByOxdId, RsProtectOperation line 170), not the op_host one used to register.
    const endpoint = (await deps.as.umaDiscovery(configurationEndpoint(site))).resource_registration_endpoint;
    if (!endpoint) throw new Error('no resource_registration_endpoint');
    const pat = await deps.tokens.getPat(site);
    for (const r of site.resources) {
      const res = await deps.as.deleteResource(endpoint, pat, r.id);
      if (res.status < 200 || res.status >= 300) throw new Error(`failed to remove resource ${r.id} (status ${res.status})`);
    }
    site.resources = [];
  }

  const regs: Registration[] = [];
  for (const resource of resources as RsResource[]) {
    if (!resource.conditions) throw new TypeError('conditions is null');
    for (const condition of resource.conditions) {
      if (condition === null) throw new TypeError('condition is null');
      regs.push({ path: resource.path, methods: condition.httpMethods, condition, resource });
    }
  }
  // RsProtectOperation line 69: one ServiceProvider(rp.getOpHost()) for the call and its retry.
  const metadata = new OpHostMetadata(deps, site);
  const pat = () => deps.tokens.getPat(site);
  try {
    await registerAll(deps, metadata, pat, regs);
  } catch (err) {
    if (!(err instanceof ResourceRegistrationFailure)) throw err;
    if (err.status !== 400 && err.status !== 401) throw new ContainerError(err.status, jerseyMessage(err.status));
    // "Try maybe PAT is lost on AS, force refresh PAT and re-try": the whole list again.
    try {
      await deps.tokens.obtainPat(site);
      await registerAll(deps, metadata, pat, regs);
    } catch (again) {
      if (again instanceof ResourceRegistrationFailure) throw new ContainerError(again.status, jerseyMessage(again.status));
      throw again;
    }
  }
  site.resources.push(...protectedResources(regs));
  return { oxd_id: site.oxdId };
}

/** RsCheckAccessOperation.getRequiredScopes (oxd.md §4.7). */
function requiredScopes(requested: (string | null)[] | undefined, resource: ProtectedResource): (string | null)[] {
  let resourceScopes: (string | null)[] = resource.scopes;
  if (resourceScopes.length === 0 && resource.scopeExpressions.length > 0) {
    const node = parseJsonLogicNode(JSON.parse(resource.scopeExpressions[0]) as JsonValue);
    if (isValidNode(node)) resourceScopes = node.data;
  }
  return requested && requested.length > 0 ? requested : resourceScopes;
}

/** The exact challenge RptPreProcessInterceptor builds (oxd.md §4.7): no spaces, this order. */
export function umaChallenge(asUri: string, ticket: string): string {
  return `UMA realm="rs",as_uri="${asUri}",error="insufficient_scope",ticket="${ticket}"`;
}

async function registerTicket(deps: OxdDeps, site: Site, resourceId: string, scopes: (string | null)[]): Promise<string> {
  if (scopes.length === 0) throw new Error('Scopes must not be empty.');
  // The op_host document (RsCheckAccessOperation line 105); any failure fetching it is caught inside
  // RptPreProcessInterceptor.registerTicketResponse (lines 211–217) → a 403 without entity → NPE → internal_error.
  const uma = await opHostUmaMetadata(deps, site);
  if (!uma.permission_endpoint) throw new Error('no permission_endpoint');
  const res = await deps.as.registerPermission(uma.permission_endpoint, await deps.tokens.getPat(site), [{ resource_id: resourceId, resource_scopes: scopes }]);
  const ticket = (res.json as { ticket?: unknown } | undefined)?.ticket;
  // Any failure ends as a 403 without entity inside uma-rs, then a NullPointerException → internal_error.
  if (res.status !== 201 && res.status !== 200) throw new Error(`Failed to register permission ticket (status ${res.status})`);
  if (typeof ticket !== 'string') throw new TypeError('ticket is null');
  return ticket;
}

async function umaRsCheckAccess(deps: OxdDeps, p: Params): Promise<unknown> {
  const httpMethod = str(p, 'http_method');
  const path = str(p, 'path');
  if (isNullOrEmpty(httpMethod)) throw new OxdError('NO_UMA_HTTP_METHOD');
  if (isNullOrEmpty(path)) throw new OxdError('NO_UMA_PATH_PARAMETER');
  const site = requireSite(deps.store, str(p, 'oxd_id'));
  const resource = findResource(site, path as string, httpMethod as string);
  if (!resource) {
    throw new JsonAnswer(400, {
      error: 'invalid_request',
      error_description: `Resource is not protected with path: ${path} and httpMethod: ${httpMethod}. Please protect your resource first with uma_rs_protect command. Check details on ${DOC_URL}`,
    });
  }
  const requested = strList(p, 'scopes');
  let required = requiredScopes(requested, resource);
  const rpt = str(p, 'rpt');
  const status = await introspectRpt(deps, site, rpt ?? '');

  if (!isNullOrEmpty(rpt) && status.active && status.permissions) {
    // Fault check-access-ignores-resource: any active RPT with a permission is enough.
    if (deps.faults.on('check-access-ignores-resource') && status.permissions.length > 0) return { access: 'granted' };
    for (const permission of status.permissions) {
      if (!permission.resource_scopes) throw new TypeError('Collections.disjoint(…, null)');
      const sharesScope = required.some((s) => permission.resource_scopes?.includes(s as string));
      if (sharesScope && permission.resource_id === resource.id) return { access: 'granted' };
    }
  }

  // ticketScopes replace the required scopes when the request names none (oxd.md §4.7).
  if ((requested === undefined || requested.length === 0) && resource.ticketScopes.length > 0) required = resource.ticketScopes;
  const ticket = await registerTicket(deps, site, resource.id, required);
  return { access: 'denied', 'www-authenticate_header': umaChallenge(site.opHost, ticket), ticket };
}

async function introspectRptCommand(deps: OxdDeps, p: Params): Promise<unknown> {
  const site = requireSite(deps.store, str(p, 'oxd_id'));
  return introspectRpt(deps, site, str(p, 'rpt') ?? '');
}

export const UMA_RS_COMMANDS: Record<string, CommandDef> = {
  '/uma-rs-protect': { command: 'uma_rs_protect', params: PARAM_CLASSES.RsProtectParams, needsOxdId: true, execute: umaRsProtect },
  '/uma-rs-check-access': { command: 'uma_rs_check_access', params: PARAM_CLASSES.RsCheckAccessParams, needsOxdId: true, execute: umaRsCheckAccess },
  '/introspect-rpt': { command: 'introspect_rpt', params: PARAM_CLASSES.IntrospectRptParams, needsOxdId: true, execute: introspectRptCommand },
};
