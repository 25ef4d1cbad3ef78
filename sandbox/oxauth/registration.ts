// Dynamic client registration (brief contract; RegisterRestWebServiceImpl):
// POST {AS}/oxauth/restv1/register, read/update at registration_client_uri
// with the registration access token. UMA's parameter is
// `claims_redirect_uri` (a JSON array, DIV-AS-13). Answers are org.json
// toString(4); success carries Cache-Control: no-store and Pragma: no-cache.
import type * as http from 'node:http';
import { uuid } from '../lib/ids';
import { send, type Request } from '../lib/http';
import type { AsContext } from './as-context';
import { mask } from './as-context';
import { tokenOf } from './client-auth';
import { GRANT_TYPES_SUPPORTED } from './discovery';
import { OxAuthError } from './errors';
import { javaHashOrder, orgJson, type JsonObject } from './java-json';
import type { ClientRecord } from './store';

/** Scopes with defaultScope: true in CES templates/scopes.ldif: the only ones DCR grants. */
export const DCR_DEFAULT_SCOPES = ['openid', 'uma_protection', 'oxd', 'permission', 'offline_access'];

/** CES dynamicGrantTypeDefault. */
const DYNAMIC_GRANT_TYPE_DEFAULT = [
  'authorization_code', 'implicit', 'client_credentials', 'refresh_token',
  'urn:ietf:params:oauth:grant-type:uma-ticket', 'urn:ietf:params:oauth:grant-type:device_code',
];

/** CES responseTypesSupported, as sets. */
const RESPONSE_TYPE_SETS = [['code'], ['code', 'id_token'], ['token'], ['token', 'id_token'], ['code', 'token'], ['code', 'token', 'id_token'], ['id_token']];

const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'tls_client_auth', 'self_signed_tls_client_auth', 'none'];

function registerError(status: number, error: string, reason: string): OxAuthError {
  return new OxAuthError(status, 'register', error, reason);
}

/** What RegisterRequest.fromJson reads; a wrong JSON type is a JSONException (500). */
interface RegisterRequest {
  redirectUris: string[];
  claimsRedirectUris: string[];
  responseTypes: string[];
  grantTypes: string[];
  scope: string[];
  clientName?: string;
  applicationType?: string;
  subjectType?: string;
  tokenEndpointAuthMethod?: string;
  postLogoutRedirectUris: string[];
  contacts: string[];
  accessTokenLifetime?: number;
}

class JsonTypeError extends Error {}

/** getJSONArray(key).getString(i): present means an array of strings (JSON null included). */
function stringList(o: JsonObject, key: string): string[] {
  const v = o[key];
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new JsonTypeError(key);
  return v as string[];
}

function optString(o: JsonObject, key: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new JsonTypeError(key);
  return v;
}

/**
 * RegisterRequest.fromJson lines 1464–1465: `has(key) ? getInt(key) : null`.
 * org.json getInt takes a number or a numeric string (intValue: truncated);
 * anything else is a JSONException.
 */
function optInt(o: JsonObject, key: string): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw new JsonTypeError(key);
  return Math.trunc(n);
}

function parseRegisterRequest(body: Buffer): RegisterRequest {
  let o: unknown;
  try {
    o = JSON.parse(body.toString('utf8'));
  } catch {
    throw registerError(500, 'invalid_client_metadata', 'Failed to parse JSON.');
  }
  if (o === null || typeof o !== 'object' || Array.isArray(o)) throw registerError(500, 'invalid_client_metadata', 'Failed to parse JSON.');
  const obj = o as JsonObject;
  try {
    return {
      redirectUris: stringList(obj, 'redirect_uris'),
      claimsRedirectUris: stringList(obj, 'claims_redirect_uri'),
      responseTypes: stringList(obj, 'response_types'),
      grantTypes: stringList(obj, 'grant_types'),
      scope: (optString(obj, 'scope') ?? '').split(' ').filter((s) => s !== ''),
      clientName: optString(obj, 'client_name'),
      applicationType: optString(obj, 'application_type'),
      subjectType: optString(obj, 'subject_type'),
      tokenEndpointAuthMethod: optString(obj, 'token_endpoint_auth_method'),
      postLogoutRedirectUris: stringList(obj, 'post_logout_redirect_uris'),
      contacts: stringList(obj, 'contacts'),
      accessTokenLifetime: optInt(obj, 'access_token_lifetime'),
    };
  } catch (e) {
    if (e instanceof JsonTypeError) throw registerError(500, 'invalid_client_metadata', 'Failed to parse JSON.');
    throw e;
  }
}

/** RegisterParamsValidator.validateRedirectUris, reduced to URI syntax: absolute, no fragment. */
export function isValidRedirectUri(uri: string): boolean {
  if (uri.includes('#') || /[\s<>"{}|\\^`]/.test(uri)) return false;
  try {
    const u = new URL(uri);
    return u.protocol.length > 1 && (u.host !== '' || !['http:', 'https:'].includes(u.protocol));
  } catch {
    return false;
  }
}

/** updateClientFromRequestObject: response and grant types after CES defaults. */
function typesFor(req: RegisterRequest): { responseTypes: string[]; grantTypes: string[] } {
  const rt = new Set(req.responseTypes);
  const gt = new Set(req.grantTypes);
  // clientRegDefaultToCodeFlowWithRefresh: true in CES.
  if (rt.size === 0 && gt.size === 0) rt.add('code');
  if (rt.has('code')) {
    gt.add('authorization_code');
    gt.add('refresh_token');
  }
  if (gt.has('authorization_code')) {
    rt.add('code');
    gt.add('refresh_token');
  }
  if (rt.has('token') || rt.has('id_token')) gt.add('implicit');
  if (gt.has('implicit')) rt.add('token');
  const rtList = [...rt];
  const supported = RESPONSE_TYPE_SETS.some((s) => s.length === rtList.length && s.every((x) => rt.has(x)));
  return {
    responseTypes: supported ? rtList : [],
    grantTypes: [...gt].filter((g) => GRANT_TYPES_SUPPORTED.includes(g) && DYNAMIC_GRANT_TYPE_DEFAULT.includes(g)),
  };
}

/** Requested scopes that are default scopes; none requested → all default scopes. */
function scopesFor(req: RegisterRequest): string[] {
  if (req.scope.length === 0) return [...DCR_DEFAULT_SCOPES];
  return [...new Set(req.scope.filter((s) => DCR_DEFAULT_SCOPES.includes(s)))];
}

/** The client as RegisterRestWebServiceImpl.getJSONObject renders it. */
export function clientJson(as: AsContext, c: ClientRecord): JsonObject {
  const o: JsonObject = {
    client_id: c.clientId,
    client_secret: c.clientSecret,
    registration_access_token: c.registrationAccessToken,
    registration_client_uri: `${as.urls.registration}?client_id=${c.clientId}`,
    client_id_issued_at: c.clientIdIssuedAt,
    client_secret_expires_at: 0,
    redirect_uris: c.redirectUris,
    response_types: c.responseTypes,
    grant_types: c.grantTypes,
    application_type: c.applicationType,
    client_name: c.clientName,
    subject_type: c.subjectType,
    id_token_signed_response_alg: 'RS256',
    token_endpoint_auth_method: c.tokenEndpointAuthMethod,
    require_auth_time: false,
    rpt_as_jwt: false,
    allow_spontaneous_scopes: false,
    run_introspection_script_before_access_token_as_jwt_creation_and_include_claims: false,
    keep_client_authorization_after_expiration: false,
    access_token_as_jwt: false,
    access_token_signing_alg: 'RS256',
    frontchannel_logout_session_required: false,
    backchannel_logout_session_required: false,
    scope: c.scopes.join(' '),
  };
  // Util.addToJSONObjectIfNotNull: lists never set stay out of the document.
  if (c.claimRedirectUris.length > 0) o.claims_redirect_uri = c.claimRedirectUris;
  if (c.postLogoutRedirectUris.length > 0) o.post_logout_redirect_uris = c.postLogoutRedirectUris;
  if (c.contacts.length > 0) o.contacts = c.contacts;
  // getJSONObject line 889: addToJSONObjectIfNotNull.
  if (c.accessTokenLifetime !== undefined) o.access_token_lifetime = c.accessTokenLifetime;
  return o;
}

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

function sendClient(as: AsContext, res: http.ServerResponse, c: ClientRecord, headers: Record<string, string>): void {
  send(res, 200, orgJson(clientJson(as, c), 4, true), { 'Content-Type': 'application/json', ...headers });
}

/** HashSet-based de-duplication of URI lists ("Remove repeated elements"). */
const dedupe = (uris: string[]) => javaHashOrder(uris);

export function registerClient(as: AsContext, req: Request, res: http.ServerResponse): void {
  const r = parseRegisterRequest(req.body);
  if (r.claimsRedirectUris.length > 0 && !r.claimsRedirectUris.every(isValidRedirectUri)) {
    throw registerError(400, 'invalid_claims_redirect_uri', 'Value of one or more claims_redirect_uris is invalid');
  }
  if (r.redirectUris.length === 0 || !r.redirectUris.every(isValidRedirectUri)) {
    throw registerError(400, 'invalid_redirect_uri', 'Failed to validate redirect uris.');
  }
  const method = r.tokenEndpointAuthMethod ?? 'client_secret_basic';
  if (!AUTH_METHODS.includes(method)) throw registerError(400, 'invalid_client_metadata', 'Invalid token_endpoint_auth_method.');
  const types = typesFor(r);
  const client: ClientRecord = {
    clientId: uuid(),
    clientSecret: uuid(),
    registrationAccessToken: uuid(),
    clientIdIssuedAt: Math.floor(as.store.now() / 1000),
    redirectUris: dedupe(r.redirectUris),
    claimRedirectUris: dedupe(r.claimsRedirectUris),
    responseTypes: types.responseTypes,
    grantTypes: types.grantTypes,
    scopes: scopesFor(r),
    clientName: r.clientName && r.clientName.trim() !== '' ? r.clientName : hostOf(r.redirectUris[0]),
    tokenEndpointAuthMethod: method,
    applicationType: r.applicationType ?? 'web',
    subjectType: r.subjectType ?? 'pairwise',
    postLogoutRedirectUris: r.postLogoutRedirectUris,
    contacts: r.contacts,
    accessTokenLifetime: r.accessTokenLifetime,
    disabled: false,
    trusted: false,
  };
  as.store.addClient(client);
  as.log(`registered client ${client.clientId} (secret ${mask(client.clientSecret)}), scope "${client.scopes.join(' ')}"`);
  sendClient(as, res, client, NO_STORE);
}

function hostOf(uri: string): string {
  try {
    return new URL(uri).hostname;
  } catch {
    return 'Unknown';
  }
}

function clientForRegistrationToken(as: AsContext, req: Request): { clientId: string; token: string; client: ClientRecord | undefined } {
  const clientId = req.query.get('client_id') ?? '';
  const token = tokenOf(headerOf(req, 'authorization'), ['Basic', 'Bearer', 'AccessToken', 'Negotiate']) ?? '';
  const c = as.store.client(clientId);
  return { clientId, token, client: c && c.registrationAccessToken === token ? c : undefined };
}

function headerOf(req: Request, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function readClient(as: AsContext, req: Request, res: http.ServerResponse): void {
  const { clientId, token, client } = clientForRegistrationToken(as, req);
  if (clientId.trim() === '' || token.trim() === '') {
    throw registerError(400, 'invalid_client_metadata', 'Client ID or Access Token is not valid.');
  }
  if (!client) throw registerError(400, 'invalid_token', 'The Access Token is not valid for the Client');
  sendClient(as, res, client, NO_STORE);
}

export function updateClient(as: AsContext, req: Request, res: http.ServerResponse): void {
  const { clientId, token, client } = clientForRegistrationToken(as, req);
  if (token.trim() === '' || clientId.trim() === '' || req.body.toString('utf8').trim() === '') {
    throw registerError(400, 'invalid_client_metadata', 'Unknown.');
  }
  const r = parseRegisterRequest(req.body);
  if (r.redirectUris.length > 0 && !r.redirectUris.every(isValidRedirectUri)) {
    throw registerError(400, 'invalid_client_metadata', 'Unknown.');
  }
  if (!client) throw registerError(400, 'invalid_token', 'The Access Token is not valid for the Client ID.');
  const types = typesFor(r);
  if (r.redirectUris.length > 0) client.redirectUris = dedupe(r.redirectUris);
  // claims_redirect_uri replaces the list when given (oxd update-site, oxd.md §4.3).
  if (r.claimsRedirectUris.length > 0) client.claimRedirectUris = dedupe(r.claimsRedirectUris);
  if (r.responseTypes.length > 0) client.responseTypes = types.responseTypes;
  // enableClientGrantTypeUpdate: true in CES.
  if (r.grantTypes.length > 0) client.grantTypes = types.grantTypes;
  client.scopes = scopesFor(r);
  if (r.clientName && r.clientName.trim() !== '') client.clientName = r.clientName;
  if (r.applicationType) client.applicationType = r.applicationType;
  if (r.postLogoutRedirectUris.length > 0) client.postLogoutRedirectUris = r.postLogoutRedirectUris;
  if (r.contacts.length > 0) client.contacts = r.contacts;
  if (r.accessTokenLifetime !== undefined) client.accessTokenLifetime = r.accessTokenLifetime;
  sendClient(as, res, client, {});
}
