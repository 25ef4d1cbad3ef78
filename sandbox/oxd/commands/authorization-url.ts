// get-authorization-url (oidc-uma.md §2 F1, §3.4; GetAuthorizationUrlOperation
// @ version_4.2.3 lines 44–115): the AS authorization endpoint with the
// parameters glued on by string concatenation, in this order:
// response_type, client_id, redirect_uri, scope, state, nonce, [acr_values],
// [prompt], [hd], [custom_response_headers], then `params` (e.g. max_age).
// Only response_type, scope, acr_values, custom_response_headers and the
// values of `params` are URL-encoded; client_id, redirect_uri, state, nonce,
// prompt, hd and the keys of `params` go in raw. state and nonce are
// generated (130 random bits, base 32) and stored in the server-wide store.
import { configurationEndpoint } from '../as-client';
import type { OxdDeps } from '../deps';
import { OxdError } from '../errors';
import { javaUrlEncode, orgJsonQuote } from '../java-compat';
import { PARAM_CLASSES } from '../param-classes';
import { isBlank, isNullOrEmpty, str, strList, strMap, type Params } from '../params';
import type { CommandDef } from '../processor';
import { isValidUrl } from '../redirect-uris';
import { requireSite } from '../site-store';
import { encodeExpiredObject } from '../state-store';

/** Utils.joinAndUrlEncode: space-joined and URL-encoded; an empty list is "" (a null item is a NullPointerException). */
export function joinAndUrlEncode(list: (string | null)[] | undefined): string {
  if (!list || list.length === 0) return '';
  if (list.some((s) => s === null)) throw new TypeError('Joiner: null item');
  return javaUrlEncode(list.join(' '));
}

/** oxAuth Util.mapAsString: a JSON array of one-member objects, org.json text (a null value leaves the object empty). */
export function mapAsString(map: Record<string, string | null>): string {
  const items = Object.entries(map).map(([k, v]) => (v === null ? '{}' : `{${orgJsonQuote(k)}:${orgJsonQuote(v)}}`));
  return `[${items.join(',')}]`;
}

/** Utils.mapAsStringWithEncodedValues: `k=<encoded v>` joined by `&`, in the request's order. */
export function mapAsStringWithEncodedValues(map: Record<string, string | null>): string {
  return Object.entries(map)
    .map(([k, v]) => {
      if (v === null) throw new TypeError(`URLEncoder.encode(null) for ${k}`);
      return `${k}=${javaUrlEncode(v)}`;
    })
    .join('&');
}

const nonEmptyList = (l: (string | null)[] | undefined): l is (string | null)[] => l !== undefined && l !== null && l.length > 0;

async function getAuthorizationUrl(deps: OxdDeps, p: Params): Promise<unknown> {
  const site = requireSite(deps.store, str(p, 'oxd_id'));
  const discovery = await deps.as.oidcDiscovery(configurationEndpoint(site));
  const meta = site.metadata;

  const requestedScope = strList(p, 'scope');
  const scope = nonEmptyList(requestedScope) ? requestedScope : meta.scope;

  const redirectParam = str(p, 'redirect_uri');
  if (!isBlank(redirectParam) && !isValidUrl(redirectParam as string)) throw new OxdError('INVALID_REDIRECT_URI');
  if (!isBlank(redirectParam) && !meta.redirectUris.includes(redirectParam as string)) throw new OxdError('REDIRECT_URI_IS_NOT_REGISTERED');

  const requestedTypes = strList(p, 'response_types');
  const responseTypes = nonEmptyList(requestedTypes) && requestedTypes.every((t) => t !== null && meta.responseTypes.includes(t)) ? requestedTypes : meta.responseTypes;

  const givenState = str(p, 'state');
  const givenNonce = str(p, 'nonce');
  const state = !isBlank(givenState) ? deps.states.putState(encodeExpiredObject(givenState as string, 'state', deps.config)) : deps.states.generateState();
  const nonce = !isBlank(givenNonce) ? deps.states.putNonce(encodeExpiredObject(givenNonce as string, 'nonce', deps.config)) : deps.states.generateNonce();
  const clientId = deps.config.encodeClientIdInAuthorizationUrl ? javaUrlEncode(site.clientId) : site.clientId;
  const redirectUri = !isBlank(redirectParam) ? (redirectParam as string) : meta.redirectUris[0];

  // Java string concatenation: a missing endpoint or redirect URI is written "null".
  let url = discovery.authorization_endpoint ?? 'null';
  url += `?response_type=${joinAndUrlEncode(responseTypes)}`;
  url += `&client_id=${clientId}`;
  url += `&redirect_uri=${redirectUri ?? 'null'}`;
  url += `&scope=${joinAndUrlEncode(scope)}`;
  url += `&state=${state}`;
  url += `&nonce=${nonce}`;

  // The request's acr_values, else the site's (defaultSiteConfig [''] joins to "" and is left out).
  const requestedAcr = strList(p, 'acr_values');
  const acrValues = joinAndUrlEncode(nonEmptyList(requestedAcr) ? requestedAcr : meta.acrValues).trim();
  if (acrValues !== '') url += `&acr_values=${acrValues}`;
  const prompt = str(p, 'prompt');
  if (!isNullOrEmpty(prompt)) url += `&prompt=${prompt}`;
  const hd = str(p, 'hd');
  if (!isNullOrEmpty(hd)) url += `&hd=${hd}`;

  const customParameters = strMap(p, 'custom_parameters');
  if (customParameters && Object.keys(customParameters).length > 0) url += `&custom_response_headers=${javaUrlEncode(mapAsString(customParameters))}`;
  const extra = strMap(p, 'params');
  if (extra && Object.keys(extra).length > 0) url += `&${mapAsStringWithEncodedValues(extra)}`;

  return { authorization_url: url };
}

export const AUTHORIZATION_URL_COMMANDS: Record<string, CommandDef> = {
  '/get-authorization-url': {
    command: 'get_authorization_url',
    params: PARAM_CLASSES.GetAuthorizationUrlParams,
    needsOxdId: true,
    execute: getAuthorizationUrl,
  },
};
