// Requesting-party commands: uma-rp-get-rpt and uma-rp-get-claims-gathering-url
// (oxd.md §4.9, §4.10, §5, §6; RpGetRptOperation, UmaTokenService.getRpt,
// RpGetGetClaimsGatheringUrlOperation @ version_4.2.3).
import { configurationEndpoint, rawBasic } from '../as-client';
import type { OxdDeps } from '../deps';
import { mask } from '../deps';
import { ClientResponseFailure, ContainerError, JsonAnswer, OxdError, ParamsError } from '../errors';
import { introspectRpt } from '../introspection';
import { javaStringSetOrder, javaUrlEncode } from '../java-compat';
import { PARAM_CLASSES } from '../param-classes';
import { bindParams, isBlank, str, strList, strMap, type ClassSpec, type Params } from '../params';
import type { CommandDef } from '../processor';
import { requireSite, type Site } from '../site-store';
import { encodeExpiredObject } from '../state-store';

/**
 * oxd.md §5: the HTTP status oxd gives an AS JSON error it re-emits
 * (RpGetRptOperation.getErrorCode, case-insensitive); every other error → 403.
 */
export const AS_ERROR_STATUS: Record<string, number> = {
  invalid_ticket: 400,
  invalid_claim_token_format: 400,
};
export const AS_ERROR_DEFAULT_STATUS = 403;

export function statusForAsError(error: string | null | undefined): number {
  if (error === null || error === undefined || error.trim() === '') return AS_ERROR_DEFAULT_STATUS;
  return AS_ERROR_STATUS[error.toLowerCase()] ?? AS_ERROR_DEFAULT_STATUS;
}

const CLAIM_DEFINITION: ClassSpec = {
  javaClass: 'org.gluu.oxauth.model.uma.ClaimDefinition',
  fields: { issuer: 'stringList', name: 'string', claim_token_format: 'stringList', claim_type: 'string', friendly_name: 'string' },
};

/** UmaNeedInfoResponse: the four properties oxd keeps, in the order it writes them (oxd.md §5). */
const NEED_INFO: ClassSpec = {
  javaClass: 'org.gluu.oxauth.model.uma.UmaNeedInfoResponse',
  fields: { error: 'string', required_claims: { listOf: CLAIM_DEFINITION }, redirect_user: 'string', ticket: 'string' },
};

/** Bean property order on output (Jackson writes the class's order, not the input's). */
function inSpecOrder(spec: ClassSpec, bound: Params): Params {
  const out: Params = {};
  for (const [name, kind] of Object.entries(spec.fields)) {
    const v = bound[name];
    if (typeof kind === 'object' && Array.isArray(v)) out[name] = v.map((item) => (item === null ? null : inSpecOrder(kind.listOf, item as Params)));
    else out[name] = v;
  }
  return out;
}

/** parseNeedInfoSilently: null when the entity does not bind to UmaNeedInfoResponse. */
function parseNeedInfo(entity: string): Params | null {
  if (entity.trim() === '') return null;
  try {
    const bound = bindParams(Buffer.from(entity, 'utf8'), NEED_INFO);
    return bound === null ? null : inSpecOrder(NEED_INFO, bound);
  } catch (err) {
    if (err instanceof ParamsError) return null;
    throw err;
  }
}

/** RpGetRptOperation.handleRptError (oxd.md §5). */
function handleRptError(status: number, entity: string): never {
  const needInfo = parseNeedInfo(entity);
  if (needInfo) throw new JsonAnswer(statusForAsError(needInfo.error as string | null | undefined), needInfo);
  // "No need_info error, re-throw": WebApplicationException(entity, status) → {"code","message"}.
  throw new ContainerError(status, entity);
}

function isActiveCache(site: Site): boolean {
  return site.cachedRpt !== undefined && site.cachedRpt.expiresAt > Date.now();
}

async function getRpt(deps: OxdDeps, p: Params): Promise<unknown> {
  const ticket = str(p, 'ticket');
  if (isBlank(ticket)) throw new OxdError('NO_UMA_TICKET_PARAMETER');
  const claimToken = str(p, 'claim_token');
  const claimTokenFormat = str(p, 'claim_token_format');
  if (isBlank(claimToken) !== isBlank(claimTokenFormat)) throw new OxdError('INVALID_CLAIM_TOKEN_OR_CLAIM_TOKEN_FORMAT');

  const site = requireSite(deps.store, str(p, 'oxd_id'));
  const uma = await deps.as.umaDiscovery(configurationEndpoint(site));

  // oxd.md §4.9: the RPT cache never hits in 4.2 (int overflow); the fault makes it work.
  if (deps.faults.on('rpt-cache-served') && isActiveCache(site)) {
    const c = site.cachedRpt as NonNullable<Site['cachedRpt']>;
    return { access_token: c.accessToken, token_type: c.tokenType, pct: c.pct, updated: c.upgraded };
  }

  // Form fields in oxd's order; `state` is accepted and ignored (oxd.md §4.9).
  const fields: [string, string][] = [
    ['grant_type', 'urn:ietf:params:oauth:grant-type:uma-ticket'],
    ['ticket', ticket as string],
  ];
  for (const name of ['claim_token', 'claim_token_format', 'pct', 'rpt']) {
    const v = str(p, name);
    if (v !== undefined) fields.push([name, v]);
  }
  const scope = strList(p, 'scope');
  if (scope) {
    if (scope.some((s) => s === null)) throw new TypeError('Joiner: null scope');
    fields.push(['scope', scope.join(' ')]);
  }
  for (const [k, v] of Object.entries(strMap(p, 'params') ?? {})) {
    if (v === null) throw new TypeError(`form parameter ${k} is null`);
    fields.push([k, v]);
  }
  if (!uma.token_endpoint) throw new Error('no token_endpoint in UMA discovery');

  let res;
  try {
    res = await deps.as.umaTicketGrant(uma.token_endpoint, rawBasic(site.clientId, site.clientSecret), fields);
  } catch {
    throw new OxdError('FAILED_TO_GET_RPT');
  }
  const token = res.json as { access_token?: unknown; token_type?: unknown; pct?: unknown; upgraded?: unknown } | undefined;
  const isObject = token !== null && typeof token === 'object' && !Array.isArray(token);
  if (!isObject || typeof token.access_token !== 'string' || token.access_token.trim() === '') handleRptError(res.status, res.text);

  const rpt = token.access_token as string;
  let status;
  try {
    status = await introspectRpt(deps, site, rpt);
  } catch (err) {
    // RpGetRptOperation catches ClientResponseFailure from the whole getRpt call.
    if (err instanceof ClientResponseFailure) handleRptError(err.status, err.entity);
    throw err;
  }
  if (!status.active) throw new OxdError('FAILED_TO_GET_RPT');
  deps.log(`uma-rp-get-rpt ${site.oxdId}: RPT ${mask(rpt)}`);
  const answer = {
    access_token: rpt,
    token_type: typeof token.token_type === 'string' ? token.token_type : undefined,
    pct: typeof token.pct === 'string' ? token.pct : undefined,
    updated: typeof token.upgraded === 'boolean' ? token.upgraded : undefined, // `updated` mirrors `upgraded`
  };
  // What UmaTokenService stores (lines 143–149 @ 4.2.3). `status.getIssuedAt() * 1000` unboxes an Integer (a missing
  // iat/exp → NullPointerException) and multiplies in 32 bits: the stored expiry is always in the past.
  if (typeof status.iat !== 'number' || typeof status.exp !== 'number') throw new TypeError('unboxing a null Integer (iat/exp)');
  site.cachedRpt = {
    accessToken: rpt,
    tokenType: answer.token_type,
    pct: answer.pct,
    upgraded: answer.updated,
    expiresAt: status.exp * 1000,
    rptCreatedAt: Math.imul(status.iat, 1000),
    rptExpiresAt: Math.imul(status.exp, 1000),
  };
  return answer;
}

/** Custom-parameter keys oxd filters out of the claims URL (oxd.md §6). */
export const RESERVED_CLAIMS_URL_PARAMETERS = ['oxd_id', 'client_id', 'ticket', 'state', 'claims_redirect_uri'];

/**
 * oxd.md §6: raw string concatenation. The first four values are not encoded;
 * custom parameters (HashMap order) get URL-encoded values and raw keys.
 */
export function claimsGatheringUrl(
  claimsInteractionEndpoint: string,
  clientId: string,
  ticket: string,
  claimsRedirectUri: string,
  state: string,
  customParameters: Record<string, string | null> | undefined,
): string {
  let url = `${claimsInteractionEndpoint}?client_id=${clientId}&ticket=${ticket}&claims_redirect_uri=${claimsRedirectUri}&state=${state}`;
  const custom = Object.entries(customParameters ?? {}).filter(([k]) => !RESERVED_CLAIMS_URL_PARAMETERS.includes(k));
  if (custom.length > 0) {
    // Collectors.toMap refuses null values (NullPointerException → internal_error).
    if (custom.some(([, v]) => v === null)) throw new TypeError('Collectors.toMap: null value');
    const values = new Map(custom as [string, string][]);
    url += '&' + javaStringSetOrder([...values.keys()]).map((k) => `${k}=${javaUrlEncode(values.get(k) as string)}`).join('&');
  }
  return url;
}

async function getClaimsGatheringUrl(deps: OxdDeps, p: Params): Promise<unknown> {
  const ticket = str(p, 'ticket');
  const claimsRedirectUri = str(p, 'claims_redirect_uri');
  if (isBlank(ticket)) throw new OxdError('NO_UMA_TICKET_PARAMETER');
  if (isBlank(claimsRedirectUri)) throw new OxdError('NO_UMA_CLAIMS_REDIRECT_URI_PARAMETER');
  const site = requireSite(deps.store, str(p, 'oxd_id'));
  const uma = await deps.as.umaDiscovery(configurationEndpoint(site));
  const given = str(p, 'state');
  // A caller state is returned as given (encoded only with encode_state_from_request_parameter); none → 130 random bits.
  // Stored like an authorization state (the same server-wide table, RpGetGetClaimsGatheringUrlOperation line 40), never checked later.
  const state = !isBlank(given) ? deps.states.putState(encodeExpiredObject(given as string, 'state', deps.config)) : deps.states.generateState();
  const endpoint = uma.claims_interaction_endpoint ?? 'null'; // Java string concatenation of a null
  return {
    url: claimsGatheringUrl(endpoint, site.clientId, ticket as string, claimsRedirectUri as string, state, strMap(p, 'custom_parameters')),
    state,
  };
}

export const UMA_RP_COMMANDS: Record<string, CommandDef> = {
  '/uma-rp-get-rpt': { command: 'uma_rp_get_rpt', params: PARAM_CLASSES.RpGetRptParams, needsOxdId: true, execute: getRpt },
  '/uma-rp-get-claims-gathering-url': {
    command: 'uma_rp_get_claims_gathering_url',
    params: PARAM_CLASSES.RpGetClaimsGatheringUrlParams,
    needsOxdId: true,
    execute: getClaimsGatheringUrl,
  },
};
