// Client authentication at the token endpoint (oxauth.md §3.1;
// Server/…/auth/AuthenticationFilter.java). Tried in this order:
// 1. `Authorization: Bearer <token>` or `AccessToken <token>` (Gluu
//    extension): the client that owns a valid access token;
// 2. client_assertion (+ type): private_key_jwt/client_secret_jwt, not
//    emulated here, so always refused;
// 3. `Authorization: Basic`: URL-decoded id:secret, client registered with
//    client_secret_basic;
// 4. form client_id + client_secret, client registered with
//    client_secret_post; or a client registered with `none` by client_id.
// Any failure: 401, `WWW-Authenticate: Basic realm="oxAuth"`, invalid_client.
import { invalidClientError } from './errors';
import type { AsStore, ClientRecord } from './store';

/** HttpAuthTokenType prefixes, matched case-insensitively (TokenService.isToken). */
export type AuthScheme = 'Basic' | 'Bearer' | 'AccessToken' | 'Negotiate';

/** TokenService.getToken(authorization, allowed…): the credential after the first allowed prefix. */
export function tokenOf(authorization: string | undefined, allowed: readonly AuthScheme[]): string | undefined {
  if (!authorization || authorization.trim() === '') return undefined;
  for (const scheme of allowed) {
    const prefix = scheme + ' ';
    if (authorization.slice(0, prefix.length).toLowerCase() === prefix.toLowerCase()) {
      return authorization.slice(prefix.length).trim();
    }
  }
  return undefined;
}

/** java.net.URLDecoder.decode: '+' is a space; a bad escape throws. */
export function javaUrlDecode(s: string): string {
  return decodeURIComponent(s.replace(/\+/g, ' '));
}

/** Request parameters as HttpServletRequest#getParameter sees them: form body, then query. */
export type ParamLookup = (name: string) => string | undefined;

/** `Authorization: Basic`: base64 of URL-encoded id ":" secret; undefined when not decodable. */
export function basicCredentials(authorization: string | undefined): { id: string; secret: string } | undefined {
  const basic = tokenOf(authorization, ['Basic']);
  if (basic === undefined) return undefined;
  const decoded = Buffer.from(basic, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  try {
    return { id: javaUrlDecode(decoded.slice(0, colon)), secret: javaUrlDecode(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

function basicClient(store: AsStore, authorization: string): ClientRecord | undefined {
  const credentials = basicCredentials(authorization);
  if (!credentials) return undefined;
  const { id, secret } = credentials;
  const client = store.client(id);
  if (!client || client.tokenEndpointAuthMethod !== 'client_secret_basic') return undefined;
  return secret !== '' && client.clientSecret === secret ? client : undefined;
}

function postClient(store: AsStore, param: ParamLookup): ClientRecord | undefined {
  const id = param('client_id') ?? '';
  const secret = param('client_secret') ?? '';
  if (id !== '' && secret !== '') {
    const client = store.client(id);
    if (!client || client.tokenEndpointAuthMethod !== 'client_secret_post') return undefined;
    return client.clientSecret === secret ? client : undefined;
  }
  const publicClient = store.client(id);
  return publicClient?.tokenEndpointAuthMethod === 'none' ? publicClient : undefined;
}

/** The authenticated client, or throws the filter's 401 invalid_client. */
export function authenticateTokenClient(store: AsStore, authorization: string | undefined, param: ParamLookup): ClientRecord {
  const accessToken = tokenOf(authorization, ['Bearer', 'AccessToken']);
  let client: ClientRecord | undefined;
  if (accessToken) {
    client = store.client(store.accessToken(accessToken)?.clientId);
  } else if (param('client_assertion') !== undefined && param('client_assertion_type') !== undefined) {
    client = undefined;
  } else if (tokenOf(authorization, ['Basic']) !== undefined) {
    client = basicClient(store, authorization ?? '');
  } else {
    client = postClient(store, param);
  }
  if (!client) throw invalidClientError();
  return client;
}
