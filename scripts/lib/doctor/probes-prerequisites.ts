// The tutorial's manual prerequisites, where a black box can see them without
// changing anything: the claims-gathering scope, the consumer OP client (its
// token, its Kong consumer, its claims redirect URI) and the protected route.
import * as crypto from 'node:crypto';
import { jsonObject, snippet, statusAndType, str } from './json-answer';
import type { DiscoveredEndpoints, ProbeContext } from './probe-context';
import { fail, ok, warn, type ProbeOutcome } from './report';
import type { KongConsumerEntity, KongConsumerList, KongMessage, OAuthErrorBody, OxdClientToken, OxdErrorBody, UmaScopeDescription } from './wire';

/** support/config.ts's CLAIMS_REDIRECT_URL default: seeing it means the setting was not given. */
const DEFAULT_CLAIMS_REDIRECT_URL = 'https://rqp.conformance.invalid/claims-cb';

/** What a scope probe says when the scope is missing, and when it is there. */
export interface ScopeWording {
  missing: (url: string) => { problem: string; fix: string };
  present: (name: string) => string;
}

/** `GET {scope_endpoint}/{scope}` → 200, or 404 when the scope does not exist (oxauth.md §10). */
export async function probeUmaScope(ctx: ProbeContext, discovered: DiscoveredEndpoints, scope: string, wording: ScopeWording): Promise<ProbeOutcome> {
  const base = discovered.scopeEndpoint ?? `${ctx.config.ceUrl}/oxauth/restv1/uma/scopes`;
  const url = `${base.replace(/\/+$/, '')}/${encodeURIComponent(scope)}`;
  const x = await ctx.http.as.get(url);
  const j = jsonObject<UmaScopeDescription & OAuthErrorBody>(x, ctx.secrets);
  if (!j.ok) return fail(`${url} ${j.problem}`, 'Point CE_URL at a Gluu Server 4.2, whose scope endpoint answers JSON.');
  if (x.response.status === 404) {
    const { problem, fix } = wording.missing(url);
    return fail(problem, fix);
  }
  if (x.response.status !== 200) {
    return warn(`${url} answered ${statusAndType(x)}: "${snippet(x.response.text, ctx.secrets)}"; could not tell whether the scope exists`, `Check in oxTrust > UMA > Scopes that ${scope} exists with the uma_rpt_policy.`);
  }
  // The policy attached to it cannot be seen from outside; the scenarios show it.
  return ok(wording.present(str(j.body.name) ?? scope));
}

/** The first tutorial's claims-gathering scope (UMA_CLAIMS_SCOPE). */
export function probeClaimsScope(ctx: ProbeContext, discovered: DiscoveredEndpoints): Promise<ProbeOutcome> {
  const scope = ctx.config.claimsScope;
  return probeUmaScope(ctx, discovered, scope, {
    missing: (url) => ({
      problem: `the AS has no UMA scope "${scope}" (${url} answered 404)`,
      fix: `Add the scope ${scope} with the uma_rpt_policy in oxTrust > UMA > Scopes (Add Authorization Policy) and enable the uma_rpt_policy and sampleClaimsGathering scripts, or set UMA_CLAIMS_SCOPE to the scope that carries the policy.`,
    }),
    present: (name) => `UMA scope "${name}" exists at the AS`,
  });
}

/** oxd `get-client-token` for the consumer OP client: proves CLIENT_ID/CLIENT_SECRET without side effects (oxd.md §4.4). */
export async function probeClientToken(ctx: ProbeContext): Promise<ProbeOutcome> {
  const client = ctx.config.client!;
  const url = `${ctx.config.oxdUrl}/get-client-token`;
  const x = await ctx.http.oxd.postJson(url, { client_id: client.clientId, client_secret: client.clientSecret, op_host: ctx.config.ceUrl, scope: ['openid', 'oxd'] });
  const j = jsonObject<OxdClientToken & OxdErrorBody>(x, ctx.secrets);
  if (j.ok) ctx.secrets.add(str(j.body.access_token));
  if (!j.ok) return fail(`${url} ${j.problem}`, 'Point OXD_HOST at oxd-server 4.2.');
  const token = str(j.body.access_token);
  if (x.response.status === 200 && token) {
    const scopes = Array.isArray(j.body.scope) ? j.body.scope.map(String) : undefined;
    if (scopes && !scopes.includes('oxd')) {
      return warn(`oxd issued a token to CLIENT_ID ${client.clientId}, but without the oxd scope (granted: ${scopes.join(' ') || 'none'})`, 'Register the consumer OP client with the scopes openid oxd uma_protection, or oxd may refuse its commands.');
    }
    return ok(`oxd issued an access token to CLIENT_ID ${client.clientId} at ${ctx.config.ceUrl}`);
  }
  const error = str(j.body.error);
  if (error === 'oxd_access_denied') return fail(`oxd refuses requests from this machine (oxd_access_denied)`, "Add this machine's IP address to bind_ip_addresses in oxd-server.yml and restart oxd.");
  if (error === 'no_connect_discovery_response') {
    return fail(`oxd could not read the OpenID discovery of CE_URL ${ctx.config.ceUrl} (no_connect_discovery_response)`, 'oxd must reach CE_URL itself: check the host name and certificate from the oxd machine.');
  }
  // oxd answers 500 internal_error for wrong credentials (oxd.md §4.4).
  return fail(
    `oxd could not get a token for CLIENT_ID ${client.clientId}: ${statusAndType(x)}${error ? ` ${error}` : ''}`,
    'Check CLIENT_ID and CLIENT_SECRET: they must be the consumer OP client registered at CE_URL (oxd answers 500 for wrong credentials).',
  );
}

/** `GET {GG_ADMIN_URL}/consumers?custom_id=<CLIENT_ID>`: the consumer the RPT's client_id maps to (gateway.md §9). */
export async function probeKongConsumer(ctx: ProbeContext): Promise<ProbeOutcome> {
  const clientId = ctx.config.client!.clientId;
  const url = `${ctx.config.ggAdminUrl}/consumers?custom_id=${encodeURIComponent(clientId)}`;
  const x = await ctx.http.kongAdmin.get(url);
  const j = jsonObject<KongConsumerList>(x, ctx.secrets);
  if (!j.ok) return fail(`${url} ${j.problem}`, 'Point GG_ADMIN_URL at the Kong Admin API.');
  if (x.response.status !== 200 || !Array.isArray(j.body.data)) return fail(`${url} answered ${statusAndType(x)}: "${snippet(x.response.text, ctx.secrets)}"`, 'Point GG_ADMIN_URL at the Kong Admin API.');
  const consumers = j.body.data as KongConsumerEntity[];
  const match = consumers.find((c) => c && c.custom_id === clientId);
  if (match) return ok(`Kong consumer "${str(match.username) ?? str(match.id)}" has custom_id ${clientId}`);
  if (consumers.length === 0) {
    return fail(
      `Kong has no consumer with custom_id ${clientId} (CLIENT_ID)`,
      `Add it as in the tutorial's "Add Consumer with OP Client" (GG UI: Consumers; or POST ${ctx.config.ggAdminUrl}/consumers {"username":"…","custom_id":"${clientId}"}).`,
    );
  }
  return warn(`Kong listed consumers for custom_id ${clientId} but none carries it`, `Check in the GG UI that a consumer has custom_id ${clientId}.`);
}

/** Where a redirect goes, and its `error` parameter. */
function redirectError(location: string, base: string): string | undefined {
  try {
    return new URL(location, base).searchParams.get('error') ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * The claims interaction endpoint with the client, a made-up ticket and
 * CLAIMS_REDIRECT_URL (oxauth.md §4 validation order): the redirect URI is
 * checked before the ticket, so `invalid_ticket` means it is registered.
 */
export async function probeClaimsRedirectUri(ctx: ProbeContext, discovered: DiscoveredEndpoints): Promise<ProbeOutcome> {
  const clientId = ctx.config.client!.clientId;
  const cru = ctx.config.claimsRedirectUrl;
  const url = new URL(discovered.claimsInteractionEndpoint);
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('ticket', crypto.randomUUID());
  url.searchParams.set('claims_redirect_uri', cru);
  const x = await ctx.http.as.get(url.toString());
  const unset = cru === DEFAULT_CLAIMS_REDIRECT_URL ? ' (CLAIMS_REDIRECT_URL is not set, so the suite would use this default)' : '';
  const notRegistered = fail(
    `${cru} is not a registered claims redirect URI of CLIENT_ID ${clientId}${unset}`,
    `Register it on the consumer OP client (oxTrust > OpenID Connect > Clients > Claim Redirect URIs, or oxd update-site with "claims_redirect_uri":["${cru}"] as a JSON array), or set CLAIMS_REDIRECT_URL to the one registered.`,
  );
  const location = x.response.headers.location;
  if (x.response.status >= 300 && x.response.status < 400 && location) {
    const error = redirectError(location, url.toString());
    if (error === 'invalid_ticket') return ok(`${cru} is registered on CLIENT_ID ${clientId} (the AS checked it, then refused the made-up ticket)`);
    if (error === 'invalid_claims_redirect_uri') return notRegistered;
    return warn(`the claims interaction endpoint answered ${x.response.status} to ${error ? `error=${error}` : 'a page'} for a made-up ticket; could not tell whether ${cru} is registered`, 'The scenarios will show it; check the client\'s Claim Redirect URIs in oxTrust if they fail at the claims redirect.');
  }
  const j = jsonObject<OAuthErrorBody>(x, ctx.secrets);
  if (!j.ok) return fail(`${discovered.claimsInteractionEndpoint} ${j.problem}`, 'Point CE_URL at a Gluu Server 4.2.');
  const error = str(j.body.error);
  if (error === 'invalid_claims_redirect_uri') return notRegistered;
  if (error === 'invalid_client_id') return fail(`the AS does not know CLIENT_ID ${clientId} (invalid_client_id)`, 'Set CLIENT_ID to the client_id of the consumer OP client registered at CE_URL.');
  return warn(
    `the claims interaction endpoint answered ${statusAndType(x)}${error ? ` ${error}` : ''}; could not tell whether ${cru} is registered`,
    'The scenarios will show it; check the client\'s Claim Redirect URIs in oxTrust if they fail at the claims redirect.',
  );
}

/** A token-less `GET {API_PATH}` on HOST_WITH_CLAIMS: 401 when the tutorial route is in place (gateway.md §6.3 R1). */
export async function probeProtectedRoute(ctx: ProbeContext): Promise<ProbeOutcome> {
  const host = ctx.config.hostWithClaims!;
  const url = `${ctx.config.ggProxyUrl}${ctx.config.apiPath}`;
  const x = await ctx.http.kongProxy.get(url, { Host: host });
  const what = `token-less GET ${ctx.config.apiPath} on host ${host}`;
  if (x.response.status === 401) return ok(`${what} answered 401${x.response.headers['www-authenticate'] ? ' with a WWW-Authenticate challenge' : ''}`);
  const j = jsonObject<KongMessage>(x, ctx.secrets);
  if (x.response.status === 404 && j.ok && j.body.message === 'no Route matched with those values') {
    // Kong's own answer for an unknown host: a wrong setting, not a conformance question.
    return fail(`Kong has no route for host ${host} (404 "no Route matched with those values")`, 'Set HOST_WITH_CLAIMS to a host of the Kong route the tutorial protects with the claims-gathering scope.');
  }
  // Anything else may be a conformance problem: the scenarios judge it.
  return warn(`${what} answered ${statusAndType(x)}, not 401`, 'The scenarios will judge this answer; if it is unexpected, check the route\'s gluu-uma-auth and gluu-uma-pep plugins and API_PATH.');
}
