// Site lifecycle: register-site, update-site, remove-site, get-rp
// (oxd.md §4.2, §4.3; RegisterSiteOperation, UpdateSiteOperation,
// RemoveSiteOperation, GetRpOperation @ version_4.2.3).
import * as crypto from 'node:crypto';
import { configurationEndpoint } from '../as-client';
import type { OxdDeps } from '../deps';
import { mask } from '../deps';
import { OxdError } from '../errors';
import { isSignatureAlgorithm } from '../id-token-validator';
import { javaStringSetOrder } from '../java-compat';
import { PARAM_CLASSES } from '../param-classes';
import { isValidUrl } from '../redirect-uris';
import { bool, int, isBlank, isNullOrEmpty, str, strList, type Params } from '../params';
import type { CommandDef } from '../processor';
import { requireSite, type ClientMetadata, type Site } from '../site-store';

function nonEmpty(list: (string | null)[] | undefined): list is (string | null)[] {
  return list !== undefined && list.length > 0;
}

/** Stream.allMatch(Utils::isValidUrl): stops at the first invalid URI. */
function allValidUrls(uris: (string | null)[]): boolean {
  for (const u of uris) if (!isValidUrl(u)) return false;
  return true;
}

function strings(list: (string | null)[]): string[] {
  return list.filter((s): s is string => s !== null);
}

/** The registration request oxd sends (oxAuth RegisterRequest JSON, oxd.md §7 / the shared contract). */
export function registrationRequest(meta: ClientMetadata, oxdId: string): Record<string, unknown> {
  const body: Record<string, unknown> = {
    application_type: 'web',
    client_name: meta.clientName,
    redirect_uris: meta.redirectUris,
    claims_redirect_uri: meta.claimsRedirectUris,
    response_types: meta.responseTypes,
    grant_types: meta.grantTypes,
    scope: meta.scope.join(' '),
  };
  if (meta.postLogoutRedirectUris.length) body.post_logout_redirect_uris = meta.postLogoutRedirectUris;
  if (meta.contacts.length) body.contacts = meta.contacts;
  const acr = meta.acrValues.filter((a) => a.trim() !== '');
  if (acr.length) body.default_acr_values = acr;
  if (meta.clientJwksUri) body.jwks_uri = meta.clientJwksUri;
  if (meta.tokenEndpointAuthMethod) body.token_endpoint_auth_method = meta.tokenEndpointAuthMethod;
  if (meta.idTokenSignedResponseAlg) body.id_token_signed_response_alg = meta.idTokenSignedResponseAlg;
  if (meta.accessTokenAsJwt !== undefined) body.access_token_as_jwt = meta.accessTokenAsJwt;
  if (meta.rptAsJwt !== undefined) body.rpt_as_jwt = meta.rptAsJwt;
  if (meta.initiateLoginUri) body.initiate_login_uri = meta.initiateLoginUri;
  if (meta.accessTokenLifetime !== undefined) body.access_token_lifetime = meta.accessTokenLifetime;
  body.oxd_id = oxdId; // custom attribute added by oxd
  return body;
}

/** RegisterSiteOperation lines 606–619: an unknown alg → invalid_algorithm; `none` only with accept_id_token_without_signature. */
function idTokenSignedResponseAlg(deps: OxdDeps, alg: string | undefined): string | undefined {
  if (isNullOrEmpty(alg)) return undefined;
  if (!isSignatureAlgorithm(alg)) throw new OxdError('INVALID_SIGNATURE_ALGORITHM');
  if (alg === 'none' && !deps.config.acceptIdTokenWithoutSignature) throw new OxdError('ID_TOKEN_WITHOUT_SIGNATURE_NOT_ALLOWED');
  return alg;
}

interface RegisteredClient {
  client_id?: unknown;
  client_secret?: unknown;
  registration_access_token?: unknown;
  registration_client_uri?: unknown;
  client_id_issued_at?: unknown;
  client_secret_expires_at?: unknown;
}

const seconds = (v: unknown): number => (typeof v === 'number' ? v : 0);
const optString = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

async function registerSite(deps: OxdDeps, p: Params): Promise<unknown> {
  const fallback = deps.config.defaultSiteConfig;
  const clientId = str(p, 'client_id');
  const clientSecret = str(p, 'client_secret');
  if (!isBlank(clientId) && isBlank(clientSecret)) throw new OxdError('INVALID_CLIENT_SECRET_REQUIRED');
  if (!isBlank(clientSecret) && isBlank(clientId)) throw new OxdError('INVALID_CLIENT_ID_REQUIRED');

  const opConfigurationEndpoint = str(p, 'op_configuration_endpoint');
  const opHost = str(p, 'op_host');
  const opDiscoveryPath = str(p, 'op_discovery_path');
  if (isNullOrEmpty(opHost) && isNullOrEmpty(opConfigurationEndpoint)) throw new OxdError('INVALID_OP_HOST_AND_CONFIGURATION_ENDPOINT');

  const grantTypes = nonEmpty(strList(p, 'grant_types')) ? strings(strList(p, 'grant_types') ?? []) : [...fallback.grantTypes];
  if (deps.config.addClientCredentialsGrantTypeAutomatically && !grantTypes.includes('client_credentials')) grantTypes.push('client_credentials');

  const responseTypes = nonEmpty(strList(p, 'response_types')) ? strings(strList(p, 'response_types') ?? []) : [...fallback.responseTypes];
  if (responseTypes.length === 0) responseTypes.push('code');

  const requestedRedirects = strList(p, 'redirect_uris') ?? [];
  if (!(requestedRedirects.length > 0 && allValidUrls(requestedRedirects))) throw new OxdError('INVALID_REDIRECT_URI');
  const redirectUris = [...new Set(strings(requestedRedirects))]; // LinkedHashSet

  // claims_redirect_uri goes through a HashSet (oxd.md §4.2).
  const claimsRedirectUris = javaStringSetOrder(strings(strList(p, 'claims_redirect_uri') ?? []));

  // RegisterSiteOperation lines 194–199 @ 4.2.3: `getScope() == null || getScope().isEmpty()` → defaultSiteConfig.scope,
  // then invalid_scope only when that is empty too (oxd.md §4.2 says `[]` → invalid_scope; the code disagrees).
  const requestedScope = strList(p, 'scope');
  const scope = nonEmpty(requestedScope) ? strings(requestedScope) : [...fallback.scope];
  if (!nonEmpty(requestedScope) && scope.length === 0) throw new OxdError('INVALID_SCOPE');

  const oxdId = crypto.randomUUID();
  const clientName = isNullOrEmpty(str(p, 'client_name')) ? `oxd client for rp: ${oxdId}` : (str(p, 'client_name') as string);
  const endpoint = configurationEndpoint({ opConfigurationEndpoint, opHost, opDiscoveryPath });
  const discovery = await deps.as.oidcDiscovery(endpoint);

  if (deps.config.uma2AutoRegisterClaimsGatheringEndpointAsRedirectUriOfClient && redirectUris[0].includes(discovery.issuer)) {
    const uma = await deps.as.umaDiscovery(endpoint);
    redirectUris.push(`${uma.claims_interaction_endpoint}?authentication=true`);
  }

  const metadata: ClientMetadata = {
    redirectUris,
    claimsRedirectUris,
    responseTypes,
    grantTypes,
    scope,
    postLogoutRedirectUris: strings(strList(p, 'post_logout_redirect_uris') ?? []),
    contacts: strings(strList(p, 'contacts') ?? []),
    // An absent or empty list falls back to defaultSiteConfig.acr_values [''] (RegisterSiteOperation line 202).
    acrValues: nonEmpty(strList(p, 'acr_values')) ? strings(strList(p, 'acr_values') ?? []) : [...fallback.acrValues],
    clientName,
    accessTokenAsJwt: bool(p, 'access_token_as_jwt') ?? false,
    rptAsJwt: bool(p, 'rpt_as_jwt') ?? false,
    clientJwksUri: optString(str(p, 'client_jwks_uri')),
    tokenEndpointAuthMethod: optString(str(p, 'client_token_endpoint_auth_method')),
    idTokenSignedResponseAlg: idTokenSignedResponseAlg(deps, str(p, 'id_token_signed_response_alg')),
    initiateLoginUri: optString(str(p, 'initiate_login_uri')),
    // defaultSiteConfig.access_token_lifetime is null in the shipped oxd-server.yml (line 117): no fallback.
    accessTokenLifetime: int(p, 'access_token_lifetime'),
  };

  const site: Site = {
    oxdId,
    opHost: discovery.issuer,
    opConfigurationEndpoint: optString(opConfigurationEndpoint),
    opDiscoveryPath: optString(opDiscoveryPath),
    clientId: clientId ?? '',
    clientSecret: clientSecret ?? '',
    clientName,
    clientIdIssuedAt: 0,
    clientSecretExpiresAt: 0,
    metadata,
    resources: [],
  };

  if (isNullOrEmpty(clientId) || isNullOrEmpty(clientSecret)) {
    if (!discovery.registration_endpoint) throw new OxdError('NO_REGISTRATION_ENDPOINT');
    const res = await deps.as.registerClient(discovery.registration_endpoint, registrationRequest(metadata, oxdId));
    const client = (res.json ?? {}) as RegisteredClient;
    if (res.json === undefined) throw new Error(`Failed to register client for site. Details: ${res.text}`);
    if (!optString(client.client_id)) throw new OxdError('NO_CLIENT_ID_RETURNED');
    if (!optString(client.client_secret)) throw new OxdError('NO_CLIENT_SECRET_RETURNED');
    site.clientId = client.client_id as string;
    site.clientSecret = client.client_secret as string;
    site.registrationAccessToken = optString(client.registration_access_token);
    site.registrationClientUri = optString(client.registration_client_uri);
    site.clientIdIssuedAt = seconds(client.client_id_issued_at);
    site.clientSecretExpiresAt = seconds(client.client_secret_expires_at);
  }
  deps.store.add(site);
  deps.mapper.rpSaved(); // persistRp → rpService.create → Jackson2.serializeWithoutNulls (RegisterSiteOperation line 64)
  deps.log(`register-site ${oxdId}: client ${site.clientId}, secret ${mask(site.clientSecret)}`);

  return {
    oxd_id: site.oxdId,
    op_host: site.opHost,
    client_id: site.clientId,
    client_name: site.clientName,
    client_secret: site.clientSecret,
    client_registration_access_token: site.registrationAccessToken,
    client_registration_client_uri: site.registrationClientUri,
    client_id_issued_at: site.clientIdIssuedAt,
    client_secret_expires_at: site.clientSecretExpiresAt,
    // RegisterSiteResponse's @JsonProperty really has the trailing space (oxd.md §4.2, quirk 7).
    'initiate_login_uri ': site.metadata.initiateLoginUri,
  };
}

/** UpdateSiteOperation.createRegisterClientRequest: the site's metadata with the given fields replaced. */
function updatedMetadata(site: Site, p: Params, keepClaimsRedirectUris: boolean): ClientMetadata {
  const m: ClientMetadata = { ...site.metadata };
  const list = (name: string) => strList(p, name);
  if (nonEmpty(list('response_types'))) m.responseTypes = strings(list('response_types') ?? []);
  if (bool(p, 'rpt_as_jwt') !== undefined) m.rptAsJwt = bool(p, 'rpt_as_jwt');
  if (nonEmpty(list('grant_types'))) m.grantTypes = strings(list('grant_types') ?? []);
  const redirects = list('redirect_uris');
  if (nonEmpty(redirects)) {
    if (!allValidUrls(redirects)) throw new OxdError('INVALID_REDIRECT_URI');
    m.redirectUris = [...new Set(strings(redirects))];
  }
  if (nonEmpty(list('acr_values'))) m.acrValues = strings(list('acr_values') ?? []);
  // claims_redirect_uri replaces the client's list at the AS (oxd.md §4.3).
  if (nonEmpty(list('claims_redirect_uri')) && !keepClaimsRedirectUris) m.claimsRedirectUris = strings(list('claims_redirect_uri') ?? []);
  if (bool(p, 'access_token_as_jwt') !== undefined) m.accessTokenAsJwt = bool(p, 'access_token_as_jwt');
  if (!isNullOrEmpty(str(p, 'client_jwks_uri'))) m.clientJwksUri = str(p, 'client_jwks_uri');
  if (nonEmpty(list('post_logout_redirect_uris'))) m.postLogoutRedirectUris = strings(list('post_logout_redirect_uris') ?? []);
  if (Array.isArray(list('contacts'))) m.contacts = strings(list('contacts') ?? []);
  if (Array.isArray(list('scope'))) m.scope = strings(list('scope') ?? []);
  if (!isNullOrEmpty(str(p, 'client_name'))) m.clientName = str(p, 'client_name');
  if (!isNullOrEmpty(str(p, 'initiate_login_uri'))) m.initiateLoginUri = str(p, 'initiate_login_uri');
  if (int(p, 'access_token_lifetime') !== undefined) m.accessTokenLifetime = int(p, 'access_token_lifetime');
  return m;
}

async function updateSite(deps: OxdDeps, p: Params): Promise<unknown> {
  const site = requireSite(deps.store, str(p, 'oxd_id'));
  try {
    const metadata = updatedMetadata(site, p, deps.faults.on('update-site-keeps-claims-redirect-uris'));
    if (isBlank(site.registrationClientUri)) throw new Error('Registration client url is blank.'); // a site registered with an existing client
    const res = await deps.as.updateClient(site.registrationClientUri as string, site.registrationAccessToken ?? '', registrationRequest(metadata, site.oxdId));
    if (res.status !== 200) throw new Error(`Failed to update client for rp. Details:${res.text}`);
    site.metadata = metadata;
    if (metadata.clientName) site.clientName = metadata.clientName;
    deps.log(`update-site ${site.oxdId}: client ${site.clientId}, claims_redirect_uri ${JSON.stringify(metadata.claimsRedirectUris)}, redirect_uris ${JSON.stringify(metadata.redirectUris)}`);
  } catch (err) {
    // persistRp wraps every failure, oxd errors included, in a RuntimeException → internal_error (oxd.md §4.3).
    throw new Error(`Failed to persist RP: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return { oxd_id: site.oxdId };
}

async function removeSite(deps: OxdDeps, p: Params): Promise<unknown> {
  const site = requireSite(deps.store, str(p, 'oxd_id'));
  if (!deps.store.remove(site.oxdId)) throw new OxdError('FAILED_TO_REMOVE_SITE');
  return { oxd_id: site.oxdId };
}

/** The Rp record as get-rp serializes it (a subset of Rp's @JsonProperty fields, in its order). */
function rpNode(site: Site): Record<string, unknown> {
  const m = site.metadata;
  return {
    oxd_id: site.oxdId,
    op_host: site.opHost,
    op_discovery_path: site.opDiscoveryPath,
    op_configuration_endpoint: site.opConfigurationEndpoint,
    redirect_uri: m.redirectUris[0],
    logout_redirect_uris: m.postLogoutRedirectUris,
    application_type: 'web',
    redirect_uris: m.redirectUris,
    claims_redirect_uri: m.claimsRedirectUris,
    response_types: m.responseTypes,
    client_id: site.clientId,
    client_secret: site.clientSecret,
    client_registration_access_token: site.registrationAccessToken,
    client_registration_client_uri: site.registrationClientUri,
    client_id_issued_at: site.clientIdIssuedAt ? site.clientIdIssuedAt * 1000 : undefined,
    client_secret_expires_at: site.clientSecretExpiresAt ? site.clientSecretExpiresAt * 1000 : undefined,
    client_name: site.clientName,
    scope: m.scope,
    acr_values: m.acrValues,
    grant_types: m.grantTypes,
    contacts: m.contacts,
    pat: site.pat?.token,
    pat_expires_in: site.pat?.expiresIn,
    pat_created_at: site.pat?.createdAt,
    uma_protected_resources: site.resources.map((r) => ({
      id: r.id,
      path: r.path,
      http_methods: r.httpMethods,
      scopes: r.scopes,
      scope_expressions: r.scopeExpressions,
      ticketScopes: r.ticketScopes,
      iat: r.iat,
      exp: r.exp,
    })),
    oauth_token: site.oauthToken?.token,
    oauth_token_expires_in: site.oauthToken?.expiresIn,
    oauth_token_created_at: site.oauthToken?.createdAt,
    // Set by uma-rp-get-rpt (Rp.java lines 104–115); GG's get_stored_pct reads node.rpt_pct.
    rpt: site.cachedRpt?.accessToken,
    rpt_token_type: site.cachedRpt?.tokenType,
    rpt_pct: site.cachedRpt?.pct,
    rpt_upgraded: site.cachedRpt?.upgraded,
    rpt_expires_at: site.cachedRpt?.rptExpiresAt,
    rpt_created_at: site.cachedRpt?.rptCreatedAt,
    access_token_as_jwt: m.accessTokenAsJwt,
    rpt_as_jwt: m.rptAsJwt,
  };
}

async function getRp(deps: OxdDeps, p: Params): Promise<unknown> {
  if (bool(p, 'list') === true) return { node: deps.store.all().map((s) => ({ oxd_id: s.oxdId, client_name: s.clientName })) };
  return { node: rpNode(requireSite(deps.store, str(p, 'oxd_id'))) };
}

export const SITE_COMMANDS: Record<string, CommandDef> = {
  '/register-site': { command: 'register_site', params: PARAM_CLASSES.RegisterSiteParams, needsOxdId: false, execute: registerSite },
  '/update-site': { command: 'update_site', params: PARAM_CLASSES.UpdateSiteParams, needsOxdId: true, execute: updateSite },
  '/remove-site': { command: 'remove_site', params: PARAM_CLASSES.RemoveSiteParams, needsOxdId: true, execute: removeSite },
  '/get-rp': { command: 'get_rp', params: PARAM_CLASSES.GetRpParams, needsOxdId: (p) => bool(p, 'list') !== true, execute: getRp },
};
