// The requesting party's moves along the tutorial's flows (reference README,
// flows A–C), each one call plus the checks that say it went as it must.
// Steps compose these; compound "Given" steps reuse whole sequences.
import type { UmaWorld } from './world';
import type { Exchange } from './http';
import { ID_TOKEN_CLAIM_FORMAT, type GetRptRequest } from './clients/oxd';
import { unsignedClaimToken } from './claim-token';
import { fromRedirectUser, newState, withParam } from './claims-url';
import { SECOND_PATH } from './provisioning';
import * as gateway from './checks/gateway';
import * as as from './checks/authorization-server';
import { SetupError } from './errors';
import { bodyExcerpt } from './evidence';
import type { ProxyResult } from './clients/kong-proxy';

export type Resource = 'protected' | 'no-claims host' | 'second path';

/** A request through the Kong proxy for one of the scenario's resources. */
export async function requestResource(w: UmaWorld, resource: Resource, token?: string, method = 'GET', path?: string): Promise<ProxyResult> {
  const gw = await w.gateway();
  let host = gw.host;
  if (resource === 'no-claims host') {
    if (!gw.hostWithoutClaims) throw new SetupError('no host protected by a scope without policy is configured (HOST_WITHOUT_CLAIMS)');
    host = gw.hostWithoutClaims;
  }
  const requestPath = path ?? (resource === 'second path' ? SECOND_PATH : w.config.apiPath);
  if (token) w.secrets.add(token);
  const result = await w.proxy.request({ method, path: requestPath, host, token });
  w.flow.proxied.push(result);
  return result;
}

/** README A1: a tokenless request, refused with 401 and a permission ticket. */
export async function obtainTicket(w: UmaWorld, resource: Resource = 'protected'): Promise<string> {
  const { exchange } = await requestResource(w, resource);
  const c = gateway.refusedWithTicket(w.checks, exchange, 'a request without a token');
  w.setTicket(c.ticket);
  return c.ticket;
}

/** README A3 / C3: uma-rp-get-rpt through oxd with the consumer client's token. */
export async function askOxdForRpt(w: UmaWorld, extra: Partial<GetRptRequest> = {}): Promise<Exchange> {
  const client = await w.rqp();
  const ticket = extra.ticket ?? w.requireTicket();
  const x = await w.oxd.getRpt({ oxd_id: client.oxdId, ticket, ...extra }, await w.rqpToken());
  w.flow.rptExchange = x;
  return x;
}

/** README A3 checked: need_info with a new ticket, the missing claims and a redirect_user. */
export function expectNeedInfo(w: UmaWorld, x: Exchange, claims: string[]): as.NeedInfo {
  const sent = w.requireTicket();
  const info = as.needInfo(w.checks, x, sent, claims);
  w.flow.replacedTicket = sent;
  w.flow.needInfo = { exchange: x, body: info.body };
  w.setTicket(info.ticket);
  return info;
}

export function expectRpt(w: UmaWorld, x: Exchange, after: string): void {
  const r = as.rptIssued(w.checks, x, after);
  w.flow.rpt = r.rpt;
  w.flow.pct = r.pct;
  w.secrets.add(r.rpt);
  w.secrets.add(r.pct);
}

export function claimToken(w: UmaWorld, claims: Record<string, string>): string {
  const token = unsignedClaimToken(w.config.ceUrl, claims);
  w.flow.claimToken = token;
  return token;
}

export function pushedClaims(w: UmaWorld, claims: Record<string, string>): Partial<GetRptRequest> {
  return { claim_token: claimToken(w, claims), claim_token_format: ID_TOKEN_CLAIM_FORMAT };
}

/** README A4': the claims-gathering URL from oxd, with an unguessable state. */
export async function claimsUrlFromOxd(w: UmaWorld): Promise<string> {
  const client = await w.rqp();
  const state = newState();
  const x = await w.oxd.claimsGatheringUrl({ oxd_id: client.oxdId, ticket: w.requireTicket(), claims_redirect_uri: client.claimsRedirectUri, state }, await w.rqpToken());
  const url = (x.response.json as { url?: string } | undefined)?.url;
  if (x.response.status !== 200 || typeof url !== 'string') {
    throw new SetupError(`oxd did not build the claims-gathering URL: HTTP ${x.response.status} ${bodyExcerpt(x.response.text, 200)}`, x);
  }
  w.flow.claimsUrl = url;
  w.flow.state = state;
  w.flow.watchedUri = client.claimsRedirectUri;
  return url;
}

/** README A4: the tutorial's shortcut, redirect_user + "&claims_redirect_uri=" (no state). */
export async function claimsUrlFromRedirectUser(w: UmaWorld): Promise<string> {
  const client = await w.rqp();
  const redirectUser = w.flow.needInfo?.body.redirect_user;
  if (typeof redirectUser !== 'string') throw new SetupError('suite defect: no redirect_user from an earlier need_info');
  w.flow.claimsUrl = fromRedirectUser(redirectUser, client.claimsRedirectUri);
  w.flow.state = undefined;
  w.flow.watchedUri = client.claimsRedirectUri;
  return w.flow.claimsUrl;
}

/**
 * The claims-gathering URL built from redirect_user with claims_redirect_uri
 * and a state added as proper query parameters (a URI with its own query
 * cannot be concatenated raw: DIV-CL-02). The redirect to it is watched.
 */
export async function claimsUrlEncoded(w: UmaWorld, claimsRedirectUri: string): Promise<string> {
  const redirectUser = w.flow.needInfo?.body.redirect_user;
  if (typeof redirectUser !== 'string') throw new SetupError('suite defect: no redirect_user from an earlier need_info');
  const state = newState();
  w.flow.claimsUrl = withParam(withParam(redirectUser, 'claims_redirect_uri', claimsRedirectUri), 'state', state);
  w.flow.state = state;
  w.flow.watchedUri = claimsRedirectUri;
  return w.flow.claimsUrl;
}

/** README A5–A8: the browser answers the AS's pages; the redirect to a watched URI is captured. */
export async function answerInBrowser(w: UmaWorld, answers: Record<string, string>, extraWatched: string[] = []): Promise<void> {
  const url = w.flow.claimsUrl;
  if (!url) throw new SetupError('suite defect: no claims-gathering URL from an earlier step');
  const session = await w.browser();
  for (const uri of [w.flow.watchedUri, ...extraWatched]) if (uri) session.watch(uri);
  w.flow.gatheredTicket = w.requireTicket();
  const outcome = await session.gather(url, answers);
  w.flow.gathering = outcome;
  for (const page of outcome.pages) {
    w.attach(page.screenshot, { mediaType: 'image/png', fileName: `claims page ${page.asks.join('+') || 'without fields'}.png` });
  }
}

/** README A8 checked: back at the claims redirect URI with the state (iff sent) and a new ticket. */
export async function expectRedirectBack(w: UmaWorld): Promise<as.RedirectBack> {
  const client = await w.rqp();
  const outcome = w.flow.gathering;
  if (!outcome) throw new SetupError('suite defect: no claims gathering happened in an earlier step');
  const back = as.redirectedBack(w.checks, outcome, client.claimsRedirectUri, w.flow.gatheredTicket ?? '', w.flow.state);
  w.setTicket(back.ticket);
  return back;
}

/** Given-level sequence: a fresh ticket, then need_info for it (A1–A3). */
export async function needInfoForFreshTicket(w: UmaWorld): Promise<void> {
  await obtainTicket(w);
  expectNeedInfo(w, await askOxdForRpt(w), ['country', 'city']);
}

/** Given-level sequence: A1–A8 with oxd's URL and the given answers. */
export async function gatheredForFreshTicket(w: UmaWorld, country: string, city: string): Promise<void> {
  await needInfoForFreshTicket(w);
  await claimsUrlFromOxd(w);
  await answerInBrowser(w, { country, city });
  as.pagesInOrder(w.checks, w.flow.gathering!, [['country'], ['city']]);
  await expectRedirectBack(w);
}

/** Given-level sequence: an RPT for the resource through pushed claims US/NY (flow C). */
export async function rptForResource(w: UmaWorld, resource: Resource = 'protected'): Promise<void> {
  await obtainTicket(w, resource);
  expectRpt(w, await askOxdForRpt(w, pushedClaims(w, { country: 'US', city: 'NY' })), 'for a claim token with country US and city NY');
}

/** The direct AS token call with the consumer client's credentials. */
export async function askAsForRpt(w: UmaWorld, form: Record<string, string | undefined>): Promise<Exchange> {
  const client = await w.rqp();
  const x = await w.as.requestRpt({ clientId: client.clientId, clientSecret: client.clientSecret }, form);
  w.learnSecrets(x.response.json);
  w.flow.lastAs = x;
  return x;
}
