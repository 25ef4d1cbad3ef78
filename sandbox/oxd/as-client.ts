// Every call oxd makes to the authorization server (oxd.md §7, the shared
// oxd↔oxAuth contract): discovery (both documents, cached per configuration
// endpoint like DiscoveryService), dynamic registration, token requests,
// introspection, resource and permission registration. Answers are returned
// raw; the operations decide what an AS failure means for their caller.
import { jsonOf, request, type ClientResponse } from '../lib/http-client';
import { OxdError } from './errors';
import { javaUrlEncode } from './java-compat';

export const WELL_KNOWN_CONNECT_PATH = '/.well-known/openid-configuration';
export const WELL_KNOWN_UMA_PATH = '/.well-known/uma2-configuration';

export interface OidcConfiguration {
  issuer: string;
  token_endpoint?: string;
  registration_endpoint?: string;
  introspection_endpoint?: string;
  jwks_uri?: string;
  authorization_endpoint?: string;
  userinfo_endpoint?: string;
  end_session_endpoint?: string;
  [key: string]: unknown;
}

export interface UmaConfiguration {
  issuer?: string;
  token_endpoint?: string;
  introspection_endpoint?: string;
  claims_interaction_endpoint?: string | null;
  permission_endpoint?: string;
  resource_registration_endpoint?: string;
  [key: string]: unknown;
}

export interface AsAnswer {
  status: number;
  text: string;
  /** Parsed body; undefined when the body is not JSON. */
  json: unknown;
}

function answer(res: ClientResponse): AsAnswer {
  return { status: res.status, text: res.text, json: jsonOf(res) };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** DiscoveryService.baseOpUrl: "https://" when no scheme, one trailing slash removed. */
export function baseOpUrl(opHost: string): string {
  let url = opHost.startsWith('http') ? opHost : `https://${opHost}`;
  if (url.endsWith('/')) url = url.slice(0, -1);
  return url;
}

/** DiscoveryService.getConnectDiscoveryUrl(opHost, opDiscoveryPath). */
export function connectDiscoveryUrl(opHost: string, opDiscoveryPath?: string): string {
  return baseOpUrl(opHost) + (opDiscoveryPath && opDiscoveryPath.trim() !== '' ? opDiscoveryPath : '') + WELL_KNOWN_CONNECT_PATH;
}

/** Where a site (or a site-less command) finds its OP: the configuration endpoint wins over op_host. */
export function configurationEndpoint(op: { opConfigurationEndpoint?: string; opHost?: string; opDiscoveryPath?: string }): string {
  if (op.opConfigurationEndpoint) return op.opConfigurationEndpoint;
  if (op.opHost === undefined) throw new TypeError('op_host is null'); // baseOpUrl(null) → NullPointerException
  return connectDiscoveryUrl(op.opHost, op.opDiscoveryPath);
}

/** client_secret_basic as the oxAuth TokenClient builds it: base64(urlencode(id):urlencode(secret)). */
export function tokenClientBasic(clientId: string, clientSecret: string): string {
  return 'Basic ' + Buffer.from(`${javaUrlEncode(clientId)}:${javaUrlEncode(clientSecret)}`, 'utf8').toString('base64');
}

/** Utils.encodeCredentials as used on the uma-ticket call: base64(id:secret), nothing encoded (oxd.md §4.9). */
export function rawBasic(clientId: string, clientSecret: string): string {
  return 'Basic ' + Buffer.from(`${clientId}:${clientSecret}`, 'utf8').toString('base64');
}

function form(fields: [string, string][]): string {
  const p = new URLSearchParams();
  for (const [k, v] of fields) p.append(k, v);
  return p.toString();
}

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' };
const JSON_BODY = { 'Content-Type': 'application/json', Accept: 'application/json' };

export class AsClient {
  private readonly oidcCache = new Map<string, OidcConfiguration>();
  private readonly umaCache = new Map<string, UmaConfiguration>();

  /** getConnectDiscoveryResponse(opConfigurationEndpoint), cached on success only. */
  async oidcDiscovery(endpoint: string): Promise<OidcConfiguration> {
    if (!endpoint.includes(WELL_KNOWN_CONNECT_PATH)) throw new OxdError('INVALID_OP_CONFIGURATION_ENDPOINT');
    const cached = this.oidcCache.get(endpoint);
    if (cached) return cached;
    let res: ClientResponse;
    try {
      res = await request('GET', endpoint, { Accept: 'application/json' });
    } catch {
      throw new OxdError('NO_CONNECT_DISCOVERY_RESPONSE');
    }
    const doc = jsonOf(res);
    if (res.status !== 200 || !isObject(doc)) throw new OxdError('NO_CONNECT_DISCOVERY_RESPONSE');
    const config = doc as OidcConfiguration;
    this.oidcCache.set(endpoint, config);
    return config;
  }

  /** getUmaDiscovery(opConfigurationEndpoint): the connect path replaced by the UMA one, cached on success. */
  async umaDiscovery(endpoint: string): Promise<UmaConfiguration> {
    if (!endpoint.includes(WELL_KNOWN_CONNECT_PATH)) throw new OxdError('INVALID_OP_CONFIGURATION_ENDPOINT');
    const cached = this.umaCache.get(endpoint);
    if (cached) return cached;
    const url = baseOpUrl(endpoint).replace(WELL_KNOWN_CONNECT_PATH, WELL_KNOWN_UMA_PATH);
    let res: ClientResponse;
    try {
      res = await request('GET', url, { Accept: 'application/json' });
    } catch {
      throw new OxdError('NO_UMA_DISCOVERY_RESPONSE');
    }
    const doc = jsonOf(res);
    if (res.status < 200 || res.status >= 300 || !isObject(doc)) throw new OxdError('NO_UMA_DISCOVERY_RESPONSE');
    this.umaCache.set(endpoint, doc as UmaConfiguration);
    return doc as UmaConfiguration;
  }

  /**
   * uma-rs ServiceProvider.getUmaMetadata (ServiceProvider.java lines 82–95 @ uma-rs 4.2.3): `opHost +
   * WELL_KNOWN_UMA_PATH`, concatenated as is (no https:// added, no slash removed), fetched again by every
   * ServiceProvider — RsProtectOperation line 69 and RsCheckAccessOperation line 105 build one per call with
   * `rp.getOpHost()`, the discovered issuer. Not DiscoveryService's cached, configuration-endpoint-based document.
   */
  async umaMetadataAtOpHost(opHost: string): Promise<AsAnswer> {
    return answer(await request('GET', opHost + WELL_KNOWN_UMA_PATH, { Accept: 'application/json' }));
  }

  async registerClient(endpoint: string, body: Record<string, unknown>): Promise<AsAnswer> {
    return answer(await request('POST', endpoint, JSON_BODY, JSON.stringify(body)));
  }

  async updateClient(registrationClientUri: string, registrationAccessToken: string, body: Record<string, unknown>): Promise<AsAnswer> {
    return answer(await request('PUT', registrationClientUri, { ...JSON_BODY, Authorization: `Bearer ${registrationAccessToken}` }, JSON.stringify(body)));
  }

  /** TokenClient.execClientCredentialsGrant (client_secret_basic). */
  async clientCredentials(tokenEndpoint: string, clientId: string, clientSecret: string, scope: string): Promise<AsAnswer> {
    const body = form([
      ['grant_type', 'client_credentials'],
      ['scope', scope],
    ]);
    return answer(await request('POST', tokenEndpoint, { ...FORM, Authorization: tokenClientBasic(clientId, clientSecret) }, body));
  }

  /** TokenClient.execRefreshToken. */
  async refreshToken(tokenEndpoint: string, clientId: string, clientSecret: string, refreshToken: string, scope: string): Promise<AsAnswer> {
    const body = form([
      ['grant_type', 'refresh_token'],
      ['refresh_token', refreshToken],
      ['scope', scope],
    ]);
    return answer(await request('POST', tokenEndpoint, { ...FORM, Authorization: tokenClientBasic(clientId, clientSecret) }, body));
  }

  /**
   * TokenClient.exec for the authorization code grant: form fields
   * grant_type, code, redirect_uri in that order; client_secret_basic as an
   * Authorization header, client_secret_post as two more form fields
   * (ClientAuthnEnabler).
   */
  async authorizationCodeGrant(
    tokenEndpoint: string,
    client: { clientId: string; clientSecret: string; method: 'client_secret_basic' | 'client_secret_post' },
    code: string,
    redirectUri: string | undefined,
  ): Promise<AsAnswer> {
    const fields: [string, string][] = [
      ['grant_type', 'authorization_code'],
      ['code', code],
    ];
    if (redirectUri !== undefined && redirectUri.trim() !== '') fields.push(['redirect_uri', redirectUri]);
    const headers: Record<string, string> = { ...FORM };
    if (client.method === 'client_secret_post') {
      fields.push(['client_id', client.clientId], ['client_secret', client.clientSecret]);
    } else {
      headers.Authorization = tokenClientBasic(client.clientId, client.clientSecret);
    }
    return answer(await request('POST', tokenEndpoint, headers, form(fields)));
  }

  /** UserInfoClient.exec with the default method: GET, `Authorization: Bearer` (left out for a blank token). */
  async userInfo(endpoint: string, accessToken: string): Promise<AsAnswer> {
    const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
    if (accessToken.trim() !== '') headers.Authorization = `Bearer ${accessToken}`;
    return answer(await request('GET', endpoint, headers));
  }

  /** The uma-ticket grant of uma-rp-get-rpt: form fields in oxd's order (oxd.md §4.9). */
  async umaTicketGrant(tokenEndpoint: string, authorization: string, fields: [string, string][]): Promise<AsAnswer> {
    return answer(await request('POST', tokenEndpoint, { ...FORM, Authorization: authorization }, form(fields)));
  }

  /** OAuth introspection of an access token (the caller's token check and introspect-access-token). */
  async introspectToken(endpoint: string, bearer: string, token: string): Promise<AsAnswer> {
    return answer(await request('POST', endpoint, { ...FORM, Authorization: `Bearer ${bearer}` }, form([['token', token]])));
  }

  /** RPT introspection at the UMA introspection endpoint (rpt/status) with the PAT. */
  async rptStatus(endpoint: string, pat: string, rpt: string): Promise<AsAnswer> {
    const body = form([
      ['token', rpt],
      ['token_type_hint', ''],
    ]);
    return answer(await request('POST', endpoint, { ...FORM, Authorization: `Bearer ${pat}` }, body));
  }

  async addResource(endpoint: string, pat: string, resource: Record<string, unknown>): Promise<AsAnswer> {
    return answer(await request('POST', endpoint, { ...JSON_BODY, Authorization: `Bearer ${pat}` }, JSON.stringify(resource)));
  }

  async deleteResource(endpoint: string, pat: string, id: string): Promise<AsAnswer> {
    return answer(await request('DELETE', `${endpoint}/${encodeURIComponent(id)}`, { Accept: 'application/json', Authorization: `Bearer ${pat}` }));
  }

  async registerPermission(endpoint: string, pat: string, permissions: Record<string, unknown>[]): Promise<AsAnswer> {
    return answer(await request('POST', endpoint, { ...JSON_BODY, Authorization: `Bearer ${pat}` }, JSON.stringify(permissions)));
  }

  async jwks(uri: string): Promise<AsAnswer> {
    return answer(await request('GET', uri, { Accept: 'application/json' }));
  }
}
