// The UMA grant at the token endpoint (oxauth.md §3.2–3.5, §12;
// UmaTokenService.requestRpt, UmaNeedsInfoService, UmaPctService.updateClaims).
// Order: grant type, ticket, claim token, PCT, RPT, client, scopes; then the
// PCT is updated, required claims are checked (need_info + ticket rotation),
// policies evaluated, and the RPT issued or upgraded.
import { uuid } from '../lib/ids';
import type { AsContext } from './as-context';
import { validateClaimToken, type ParsedJwt } from './claim-token';
import { UnsupportedClaimError } from './claim-set';
import { OxAuthError, umaError, umaTokenError } from './errors';
import { javaHashOrder, jacksonCompact, type JsonObject } from './java-json';
import {
  AuthorizationContext,
  Claims,
  evaluatePermissions,
  policyEntries,
  safeGatheringScriptName,
  safeRequiredClaims,
  type ClaimDefinition,
  type ScriptEntry,
} from './policies';
import { permissionDn, type ClientRecord, type PctRecord, type PermissionRecord, type ResourceRecord, type RptRecord, type ScopeRecord } from './store';

export const UMA_TICKET_GRANT = 'urn:ietf:params:oauth:grant-type:uma-ticket';

export interface UmaTokenRequest {
  grantType: string;
  ticket: string;
  claimToken: string;
  claimTokenFormat: string;
  pct: string;
  rpt: string;
  scope: string;
}

/** A finished answer: status and the exact body text. */
export interface UmaAnswer {
  status: number;
  body: string;
}

/** UmaTokenResponse: exactly four fields, no expires_in (oxauth.md §3.4). */
export interface UmaTokenResponse extends JsonObject {
  access_token: string;
  token_type: 'Bearer';
  pct: string;
  upgraded: boolean;
}

/** UmaNeedInfoResponse: exactly four fields (oxauth.md §3.5). */
export interface NeedInfoResponse extends JsonObject {
  error: 'need_info';
  required_claims: ClaimDefinition[];
  redirect_user: string;
  ticket: string;
}

// UmaValidationService (oxAuth 4.2.3) validateTicket (l. 219-231), validatePct
// (l. 330-349) and validateRPT (l. 133-150) look the code up and check only
// revoked/expired: none compares the entry's client with the requesting
// client (SEC-AS-TICKET-ANY-CLIENT, SEC-AS-PCT-ANY-CLIENT,
// SEC-AS-RPT-UPGRADE-ANY-CLIENT). The fix-* profiles add that comparison.

/** The fix: a ticket is bound to the client whose PCT it names (need_info and gathering set it). */
export function ticketOfAnotherClient(as: AsContext, fix: 'fix-ticket-client-bound' | 'fix-claims-ticket-client-bound', permissions: PermissionRecord[], clientId: string | undefined): boolean {
  if (!as.faults.on(fix)) return false;
  const owner = as.store.pct(permissions[0]?.attributes.pct)?.clientId;
  return owner !== undefined && owner !== clientId;
}

function validateTicket(as: AsContext, ticket: string, client: ClientRecord): PermissionRecord[] {
  const permissions = as.store.permissionsByTicket(ticket);
  if (permissions.length === 0 || ticketOfAnotherClient(as, 'fix-ticket-client-bound', permissions, client.clientId)) {
    throw umaTokenError('ticketNotFound', `Unable to find permissions registered for given ticket:${ticket}`);
  }
  return permissions;
}

function validatePct(as: AsContext, code: string, client: ClientRecord): PctRecord | undefined {
  if (code.trim() === '') return undefined;
  const pct = as.store.pct(code);
  if (!pct || (as.faults.on('fix-pct-client-bound') && pct.clientId !== client.clientId)) throw umaTokenError('pctInvalid', `Failed to find PCT with pctCode: ${code}`);
  return pct;
}

function validateRpt(as: AsContext, code: string, client: ClientRecord): RptRecord | undefined {
  if (code.trim() === '') return undefined;
  const rpt = as.store.rpt(code);
  if (!rpt || (as.faults.on('fix-rpt-client-bound') && rpt.clientId !== client.clientId)) throw umaTokenError('rptInvalid', `RPT is null, rptCode: ${code}`);
  return rpt;
}

/** ServerUtil.urlDecode: the scope parameter is decoded once more. */
function urlDecodeAgain(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/**
 * UmaValidationService.validateScopes: requested scopes that exist (unknown
 * ones are skipped silently, DIV-AS-12) plus every ticket scope.
 */
function validateScopes(as: AsContext, scope: string, permissions: PermissionRecord[]): ScopeRecord[] {
  const result = new Map<string, ScopeRecord>();
  const requested = urlDecodeAgain(scope).split(' ').filter((s) => s !== '');
  for (const id of requested) {
    const s = as.store.scope(id);
    // Spontaneous scopes would need allow_spontaneous_scopes, which DCR never sets here.
    if (s) result.set(id, s);
  }
  for (const p of permissions) {
    for (const id of p.scopes) {
      const s = as.store.scope(id);
      if (s) result.set(id, s);
    }
  }
  if (result.size === 0) throw umaTokenError('noScopes', 'There are no any scopes requested in give request.');
  return [...result.values()];
}

/**
 * UmaPctService.updateClaims: the PCT sent, else the ticket's, else a new one.
 * A PCT sent with a ticket that has its own PCT merges into the ticket's PCT
 * (strings present in both become lists). Claim-token claims are appended
 * the same way. An unsupported claim value (a JSON null, a fraction) stops the
 * copy: nothing is saved and the request goes on with the PCT as stored
 * (UmaPctService 4.2.3 l. 43-84: pctClaims is a fresh parse of the stored JSON,
 * never set back on failure; `pct` is the one chosen before the failing loop).
 */
function updateClaims(as: AsContext, pct: PctRecord | undefined, idToken: ParsedJwt | undefined, client: ClientRecord, permissions: PermissionRecord[]): PctRecord {
  const ticketPctCode = permissions[0].attributes.pct;
  const ticketPct = ticketPctCode ? as.store.pct(ticketPctCode) : undefined;
  const hasPct = pct !== undefined;
  let target = pct ?? ticketPct ?? as.store.createPct(client.clientId);
  const claims = target.claims.copy();
  try {
    if (ticketPct && hasPct) {
      for (const key of javaHashOrder(ticketPct.claims.keys())) claims.setClaimObject(key, ticketPct.claims.get(key) ?? null, false);
      target = ticketPct;
    }
    if (idToken) {
      for (const key of javaHashOrder(Object.keys(idToken.claims))) claims.setClaimObject(key, idToken.claims[key], false);
    }
  } catch (e) {
    if (!(e instanceof UnsupportedClaimError)) throw e;
    // "Failed to update PCT claims": the request goes on with the PCT as stored.
    return target;
  }
  target.claims = claims;
  return target;
}

function needInfo(as: AsContext, missed: ClaimDefinition[], entries: ScriptEntry[], permissions: PermissionRecord[], pct: PctRecord, client: ClientRecord, sentTicket: string): UmaAnswer {
  const attributes: Record<string, string> = {};
  const gatheringIds: string[] = [];
  for (const e of entries) {
    const name = safeGatheringScriptName(e.script, e.context);
    if (name.trim() !== '') gatheringIds.push(name);
  }
  if (gatheringIds.length > 0) attributes.gathering_id = gatheringIds.join(' ');
  attributes.pct = pct.code;

  let newTicket: string;
  if (as.faults.on('need-info-same-ticket')) {
    for (const p of permissions) p.attributes = { ...attributes };
    newTicket = sentTicket;
  } else {
    // The old ticket's permissions move to a new ticket; RS params are lost (oxauth.md §3.5).
    newTicket = as.store.changeTicket(permissions, attributes, as.faults.on('ticket-reusable'));
  }

  // buildClaimsGatheringRedirectUri: no "?" when no policy adds parameters (oxauth.md §3.5 quirk).
  const query = entries.map((e) => e.context.redirectUserParameters.buildQueryString()).filter((q) => q !== '').join('&');
  let redirectUser = as.urls.claimsInteraction;
  if (query.trim() !== '') redirectUser += '?' + query;
  redirectUser += `&client_id=${client.clientId}&ticket=${newTicket}`;

  const body: JsonObject = { error: 'need_info', required_claims: missed };
  if (!as.faults.on('need-info-without-redirect-user')) body.redirect_user = redirectUser;
  body.ticket = newTicket;
  return { status: 403, body: jacksonCompact(body) };
}

function resourceOf(as: AsContext): (id: string) => ResourceRecord {
  return (id) => {
    const r = as.store.resource(id);
    // UmaResourceService.getResourceById throws 404 not_found for a removed resource.
    if (!r) throw umaError(404, 'not_found', `Failed to find resource set with id: ${id}`);
    return r;
  };
}

export function requestRpt(as: AsContext, client: ClientRecord, r: UmaTokenRequest): UmaAnswer {
  if (r.grantType !== UMA_TICKET_GRANT) throw umaTokenError('wrongGrantType', `No required grant_type: ${UMA_TICKET_GRANT}`);
  const permissions = validateTicket(as, r.ticket, client);
  const idToken = validateClaimToken(r.claimToken, r.claimTokenFormat, {
    validate: as.settings.umaValidateClaimToken,
    issuer: as.urls.issuer,
    keys: as.keys,
    nowMs: as.store.now(),
  });
  const sentPct = as.faults.on('pct-ignored') ? undefined : validatePct(as, r.pct, client);
  let rpt = validateRpt(as, r.rpt, client);
  if (client.disabled) throw umaTokenError('clientDisabled', 'Client is disabled.');
  const scopes = validateScopes(as, r.scope, permissions);
  const pct = updateClaims(as, sentPct, idToken, client, permissions);
  const claims = new Claims(idToken?.claims, pct.claims);

  const entries = policyEntries(scopes, as.settings.enabledScripts, as.policyScripts, () => new AuthorizationContext(as.urls.issuer, claims, as.faults));
  const missed: ClaimDefinition[] = [];
  for (const e of entries) {
    for (const def of safeRequiredClaims(e.script, e.context)) if (!claims.has(def.name)) missed.push(def);
  }
  if (missed.length > 0) return needInfo(as, missed, entries, permissions, pct, client, r.ticket);

  if (entries.length > 0) {
    // UmaExpressionService.evaluate (4.2.3 l. 50-62) filters the policies by each permission's own
    // scope DNs, so a scope added with scope= had its claims asked for (checkNeedsInfo runs every
    // requested scope's policy, UmaNeedsInfoService l. 65-81) but its authorize never runs; then
    // updatePermissionsWithClientRequestedScope (UmaTokenService l. 139-151) adds it to the RPT
    // for a resource without scope_expression (with one, the scope counts differ: 403).
    const outcome = evaluatePermissions(entries, permissions, resourceOf(as));
    if (!outcome.granted) throw umaTokenError('policyFalseOrThrew', outcome.reason);
  } else if (!as.settings.umaGrantAccessIfNoPolicies) {
    throw umaTokenError('noPolicyAndNoGrant', 'Access denied because there are no any protection. Make sure it is intentional behavior.');
  }

  // updatePermissionsWithClientRequestedScope + addPctToPermissions: the ticket keeps them (DIV-AS-08).
  for (const p of permissions) {
    for (const s of scopes) if (!p.scopes.includes(s.id)) p.scopes.push(s.id);
    p.attributes.pct = pct.code;
  }

  let upgraded = false;
  if (!rpt) {
    rpt = as.store.createRpt(client.clientId, permissions.map(permissionDn));
  } else {
    rpt.permissionDns = [...permissions.map(permissionDn), ...rpt.permissionDns];
    upgraded = !as.faults.on('upgrade-without-upgraded');
  }
  const body: UmaTokenResponse = { access_token: rpt.code, token_type: 'Bearer', pct: pct.code, upgraded };
  return { status: 200, body: jacksonCompact(body) };
}

/** Anything that is not an oxAuth answer becomes 500 server_error (requestRpt's last catch). */
export function requestRptSafely(as: AsContext, client: ClientRecord, r: UmaTokenRequest): UmaAnswer | OxAuthError {
  try {
    return requestRpt(as, client, r);
  } catch (e) {
    if (e instanceof OxAuthError) return e;
    as.log(`UMA token endpoint failure ${uuid()}: ${e instanceof Error ? e.message : String(e)}`);
    return umaTokenError('unexpected', 'Failed to handle request to UMA Token Endpoint.');
  }
}
