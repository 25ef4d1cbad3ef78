// The user's moves along the second tutorial's flow (oidc-uma.md §2), each
// one browser action plus its evidence: every document exchange attached to
// the step, a screenshot of each authorization-server page, and what later
// steps need (the authorization request the browser was sent with, a held
// callback). Steps compose these; compound "Given" steps reuse whole runs.
import * as crypto from 'node:crypto';
import type { UmaWorld } from './world';
import type { Navigation, WebsiteBrowser } from './clients/website-browser';
import { REQUEST_ID_HEADER } from './clients/kong-proxy';
import { oidcUmaUrl, type OidcUmaPath } from './provisioning';
import { renderExchange, attachmentName } from './evidence';
import * as oidc from './checks/oidc';
import { SetupError } from './errors';
import type { EchoedRequest } from './clients/echo-upstream';
import type { Exchange } from './http';

/** The scenario's browsers: the user's, and a second one (another device, or an attacker's). */
export type BrowserName = 'first' | 'second';

/** What the scenario knows about one browser's journey. */
export interface BrowserFlow {
  last?: Navigation;
  /** The authorization request the gateway last sent this browser with (its state and nonce). */
  authRequest?: URL;
  /** An authorization response or claims redirect the browser held instead of bringing it to the gateway. */
  held?: URL;
  /** The id of the browser's last visit, as the echo upstream knows it. */
  requestId?: string;
}

function flowOf(w: UmaWorld, name: BrowserName): BrowserFlow {
  w.oidc[name] ??= {};
  return w.oidc[name]!;
}

export function lastNavigation(w: UmaWorld, name: BrowserName = 'first'): Navigation {
  const last = w.oidc[name]?.last;
  if (!last) throw new SetupError('suite defect: this step needs a browser navigation from an earlier step');
  return last;
}

/** Joins the navigations of consecutive actions (log in, then consent) into one. */
function joined(parts: Navigation[]): Navigation {
  const last = parts[parts.length - 1];
  return { exchanges: parts.flatMap((p) => p.exchanges), pages: parts.flatMap((p) => p.pages), held: parts.find((p) => p.held)?.held, final: last.final };
}

/** Evidence, secrets and the authorization request of one navigation. */
async function recordNavigation(w: UmaWorld, name: BrowserName, nav: Navigation): Promise<Navigation> {
  const flow = flowOf(w, name);
  const authorization = new URL((await w.op.config()).authorization_endpoint);
  // Authorization codes are single-use credentials, and oxAuth's session_id on the callback is its
  // session cookie's value: evidence shows their fingerprints only.
  const learn = (url: URL) => {
    w.secrets.add(url.searchParams.get('code'));
    w.secrets.add(url.searchParams.get('session_id'));
  };
  for (const x of nav.exchanges) {
    learn(new URL(x.request.url));
    const location = x.response.headers.location;
    if (location) {
      const target = new URL(location, x.request.url);
      learn(target);
      if (target.origin === authorization.origin && target.pathname === authorization.pathname) flow.authRequest = target;
    }
  }
  if (nav.held) learn(nav.held);
  for (const x of nav.exchanges) w.attach(renderExchange(x, w.secrets), { mediaType: 'text/plain', fileName: `${attachmentName(x)}.txt` });
  for (const page of nav.pages) {
    w.attach(page.screenshot, { mediaType: 'image/png', fileName: `${page.kind} page${page.asks.length ? ` ${page.asks.join('+')}` : ''}.png` });
  }
  flow.last = nav;
  if (nav.held) flow.held = nav.held;
  return nav;
}

/** The browser opens one of the website's pages through Kong and follows wherever it is sent. */
export async function openPage(w: UmaWorld, name: BrowserName, path: OidcUmaPath | string, headers: Record<string, string> = {}): Promise<Navigation> {
  const site = await w.oidcSite();
  const browser = await w.websiteBrowser(name);
  const requestId = crypto.randomUUID();
  await browser.markRequests(REQUEST_ID_HEADER, requestId, headers);
  flowOf(w, name).requestId = requestId;
  return recordNavigation(w, name, await browser.open(oidcUmaUrl(site, path)));
}

/** What the echo upstream received for the browser's last visit. */
export async function upstreamSaw(w: UmaWorld, name: BrowserName = 'first'): Promise<{ request: EchoedRequest; exchange: Exchange }> {
  if (!w.echo) throw new SetupError('no echo upstream is configured (ECHO_UPSTREAM_URL)');
  const requestId = w.oidc[name]?.requestId;
  if (!requestId) throw new SetupError('suite defect: no browser visit to look up at the echo upstream');
  const { request, exchange } = await w.echo.received(requestId);
  if (!request) throw new SetupError(`the echo upstream never received the browser's request (${requestId})`, exchange);
  return { request, exchange };
}

/** The browser opens a URL it holds (a callback it kept, possibly altered). */
export async function openUrl(w: UmaWorld, name: BrowserName, url: string): Promise<Navigation> {
  const browser = await w.websiteBrowser(name);
  return recordNavigation(w, name, await browser.open(url));
}

function testUser(w: UmaWorld) {
  if (!w.config.testUser) throw new SetupError('no test user is configured (TEST_USER_NAME, TEST_USER_PASSWORD)');
  return w.config.testUser;
}

/**
 * The login page with the test user's credentials, then the consent page
 * when the AS shows one (it does not for a trusted client or stored consent).
 */
export async function logIn(w: UmaWorld, name: BrowserName): Promise<Navigation> {
  const browser = await w.websiteBrowser(name);
  const parts = [await browser.logIn(testUser(w))];
  if ((await browser.pageKind()) === 'consent') parts.push(await browser.consent(true));
  return recordNavigation(w, name, joined(parts));
}

/**
 * The login, then Don't Allow on the consent page. Undefined when the AS
 * showed no consent page: with the tutorial's own OP client (existing mode)
 * the consent given in an earlier scenario is stored (oidc-uma.md §2 F4).
 */
export async function logInAndRefuseConsent(w: UmaWorld, name: BrowserName): Promise<Navigation | undefined> {
  const browser = await w.websiteBrowser(name);
  const login = await browser.logIn(testUser(w));
  if ((await browser.pageKind()) !== 'consent') {
    await recordNavigation(w, name, login);
    return undefined;
  }
  return recordNavigation(w, name, joined([login, await browser.consent(false)]));
}

/** Every claims page answered with the given values. */
export async function answerClaims(w: UmaWorld, name: BrowserName, answers: Record<string, string>): Promise<Navigation> {
  const browser = await w.websiteBrowser(name);
  return recordNavigation(w, name, await browser.answerClaims(answers));
}

/** The browser will keep the next request to one of the gateway's paths instead of sending it. */
export async function holdNext(w: UmaWorld, name: BrowserName, path: 'callback' | 'claimsCallback'): Promise<void> {
  const site = await w.oidcSite();
  const target = new URL(oidcUmaUrl(site, path));
  const browser: WebsiteBrowser = await w.websiteBrowser(name);
  browser.hold((url) => url.origin === target.origin && url.pathname === target.pathname);
}

export function requireHeld(w: UmaWorld, name: BrowserName = 'first'): URL {
  const held = w.oidc[name]?.held;
  if (!held) throw new SetupError('suite defect: this step needs a held callback from an earlier step');
  return held;
}

/** The held URL with one query parameter replaced. */
export function withParam(url: URL, name: string, value: string): string {
  const u = new URL(url.href);
  u.searchParams.set(name, value);
  return u.href;
}

export function madeUpState(): string {
  return `made-up-${crypto.randomBytes(12).toString('hex')}`;
}

export function requireAuthRequest(w: UmaWorld, name: BrowserName): URL {
  const r = w.oidc[name]?.authRequest;
  if (!r) throw new SetupError('suite defect: this step needs the authorization request the gateway sent the browser with');
  return r;
}

// ── Given-level sequences, checked as they go ──

/** Settings page → login page → logged in (consent allowed) → the claims pages. */
export async function loggedInOnClaimsPages(w: UmaWorld, name: BrowserName = 'first'): Promise<void> {
  const config = await w.op.config();
  const uma = await w.as.config();
  const first = await openPage(w, name, 'settings');
  oidc.sentToAuthorization(w.checks, first, config.authorization_endpoint, 'a browser without a session');
  oidc.loginPageShown(w.checks, first);
  oidc.sentToClaimsGathering(w.checks, await logIn(w, name), claimsEndpoint(uma.claims_interaction_endpoint));
}

/** The whole tutorial flow with Country US and City NY, ending on the settings page. */
export async function loggedInAndGathered(w: UmaWorld, name: BrowserName = 'first'): Promise<void> {
  await loggedInOnClaimsPages(w, name);
  const nav = await answerClaims(w, name, { country: 'US', city: 'NY' });
  // The echo upstream answers with what it received: no page heading to look for.
  if (w.oidcPlan.upstream === 'echo') oidc.servedByUpstream(w.checks, nav, 'After Country US and City NY the gateway did not pass the settings page request to the upstream.');
  else oidc.landedOn(w.checks, nav, SETTINGS_HEADING, 'UMA-GRANT-3.3.4-ASSESSMENT', 'After Country US and City NY the gateway did not serve the settings page.');
}

/** Settings page → login page → logged in, the authorization response held in the browser. */
export async function loggedInHoldingCallback(w: UmaWorld, name: BrowserName = 'first'): Promise<URL> {
  const config = await w.op.config();
  const first = await openPage(w, name, 'settings');
  oidc.sentToAuthorization(w.checks, first, config.authorization_endpoint, 'a browser without a session');
  await holdNext(w, name, 'callback');
  const nav = await logIn(w, name);
  if (!nav.held) throw new SetupError(`the authorization server did not send the browser to the gateway's callback after the login: ${oidc.hops(nav)}`);
  return nav.held;
}

export function claimsEndpoint(endpoint: string | undefined): string {
  if (!endpoint) throw new SetupError('the UMA discovery document has no claims_interaction_endpoint');
  return endpoint;
}

/** The website's page names (gg-demo/node-ejs views, oidc-uma.md §5). */
export const SETTINGS_HEADING = 'Profile settings';
