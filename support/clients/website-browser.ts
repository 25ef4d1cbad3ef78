// The user's browser on the second tutorial's website (oidc-uma.md §2): it
// asks Kong for a page, follows every redirect itself, and is driven on the
// authorization server's pages by the ids oxAuth renders: the login form
// (`loginForm:username`, `loginForm:password`, `loginForm:loginButton`), the
// consent form (`authorizeForm:allowButton`, `authorizeForm:doNotAllowButton`)
// and the claims pages (`loginForm:country`, `loginForm:city`,
// `loginForm:gather`). One browser context per session; the browser process
// is the worker's shared one (claims-browser.ts).
//
// Every main-frame navigation response (redirects included) becomes an HTTP
// exchange for the evidence. A navigation the scenario wants to hold (the
// callback, to replay or tamper with it) is answered inside the browser
// through the DevTools Fetch domain, which sees redirected requests too
// (Playwright's own routing does not); only document requests are paused.
// Nothing reaches an origin other than the target's (the gateway's and the
// AS's): the context's proxy is one that is not there, and only the target's
// host:port pairs bypass it (<-loopback> sends loopback through it too), so
// Chromium itself refuses the rest (the demo site's CDN stylesheets) without
// a round trip through the test process per request (issue 15), and a
// closed network does not hold every page load.
import { type BrowserContext, type Page, type Response } from 'playwright';
import type { Exchange } from '../http';
import { activeBreaker, OPENED_NOTE } from '../circuit-breaker';
import { EnvironmentError } from '../errors';
import { originOnly } from '../mask';
import { chromiumNetFailure } from './browser-failures';
import { FetchInterception, type Decision, type PausedRequest } from './fetch-interception';
import { sharedBrowser, type BrowserSettings } from './claims-browser';

export type PageKind = 'login' | 'consent' | 'claims' | 'website';

/** One look at the page (readPage()). */
interface PageReading {
  kind: PageKind;
  title: string;
  /** Ids of the text inputs of the form `loginForm`. */
  textInputIds: string[];
  /** document.body.textContent, untrimmed. */
  text: string;
  /** Each h1's textContent. */
  headings: string[];
}

/** An authorization-server page the user passed, with what it showed. */
export interface AsPage {
  kind: Exclude<PageKind, 'website'>;
  url: string;
  title: string;
  /** Claims pages: the claim names asked (`loginForm:<name>` text inputs). */
  asks: string[];
  screenshot: Buffer;
}

/** What one user action made the browser do. */
export interface Navigation {
  /** Main-frame document requests in order, each with its answer. */
  exchanges: Exchange[];
  /** The authorization server's pages the user acted on during the action. */
  pages: AsPage[];
  /** The navigation that was held instead of loaded, if one was asked for. */
  held?: URL;
  /** Where the browser ended. */
  final: FinalPage;
}

export interface FinalPage {
  url: string;
  /** The status of the last document answer (undefined when none arrived). */
  status?: number;
  kind: PageKind;
  title: string;
  /** The page's visible text, trimmed (the JSON of a gateway error page). */
  text: string;
  /** The h1 headings, the website's page names ("Profile settings"). */
  headings: string[];
}

export interface TestUser {
  username: string;
  password: string;
}

// The empty icon keeps Chromium from asking the gateway for /favicon.ico while the page is shown: with a
// host route GG would answer that request too and overwrite the session's original_url (oidc-uma.md §6 W21).
const HELD_PAGE = '<!doctype html><title>held by the conformance suite</title><link rel="icon" href="data:,"><p>The conformance suite held this navigation.</p>';
const MAX_PAGES = 8;
/**
 * Where the browser's traffic to any other origin goes: the discard port on the browser's own loopback,
 * where nothing listens, so Chromium fails those requests at once (net::ERR_PROXY_CONNECTION_FAILED).
 */
export const NO_PROXY = 'http://127.0.0.1:9';

/** Chromium's proxy bypass list for these origins: host:port each, loopback not implicitly bypassed. */
export function bypassList(origins: string[]): string {
  const hosts = origins.map((o) => {
    const u = new URL(o);
    return `${u.hostname}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
  });
  return ['<-loopback>', ...hosts].join(',');
}

function isMainDocument(r: Response, page: Page): boolean {
  return r.request().isNavigationRequest() && r.frame() === page.mainFrame();
}

export class WebsiteBrowser {
  private page!: Page;
  private interception!: FetchInterception;
  private recording?: { responses: Response[] };
  private holdWhen?: (url: URL) => boolean;
  private heldUrl?: URL;
  /** A document request refused because it left the target's origins, if one was. */
  private refused?: string;
  private readonly allowedOrigins = new Set<string>();
  private tracing = false;

  private constructor(
    private readonly context: BrowserContext,
    /** Names the target of each exchange by its origin ("Kong proxy", "authorization server"). */
    private readonly targetOf: (origin: string) => string,
  ) {}

  /**
   * A fresh browser context. `origins`: the gateway's and the AS's, the only
   * ones the browser reaches. `trace`: a Playwright trace of actions and
   * network, without DOM snapshots (hooks.ts keeps it for a failed scenario).
   */
  static async open(settings: BrowserSettings, origins: Record<string, string>, trace: boolean): Promise<WebsiteBrowser> {
    const b = await sharedBrowser(settings);
    const context = await b.newContext({ ignoreHTTPSErrors: settings.tlsInsecure, proxy: { server: NO_PROXY, bypass: bypassList(Object.keys(origins)) } });
    context.setDefaultTimeout(settings.timeoutMs);
    const session = new WebsiteBrowser(context, (origin) => origins[origin] ?? 'browser');
    for (const o of Object.keys(origins)) session.allowedOrigins.add(new URL(o).origin);
    if (trace) {
      await context.tracing.start({ screenshots: false, snapshots: false });
      session.tracing = true;
    }
    session.page = await context.newPage();
    session.page.on('response', (r) => {
      if (session.recording && isMainDocument(r, session.page)) session.recording.responses.push(r);
    });
    session.interception = new FetchInterception(await context.newCDPSession(session.page), (r) => session.onDocument(r));
    await session.interception.pause([{ urlPattern: '*', resourceType: 'Document' }]);
    return session;
  }

  private onDocument(r: PausedRequest): Decision {
    const url = new URL(r.url);
    if (this.holdWhen?.(url)) {
      this.holdWhen = undefined;
      this.heldUrl = url;
      return { action: 'fulfill', body: HELD_PAGE };
    }
    if (!this.allowedOrigins.has(url.origin)) {
      // The proxy would refuse it too; refused here, the step can say why.
      this.refused ??= url.origin;
      return { action: 'fail' };
    }
    return { action: 'continue' };
  }

  /** The next main-frame navigation whose URL matches is held (answered by the suite, not sent). */
  hold(when: (url: URL) => boolean): void {
    this.holdWhen = when;
    this.heldUrl = undefined;
  }

  /**
   * Marks every request of the next actions, so the echo upstream can be
   * asked what it received; `extra`: further headers the browser sends along.
   */
  async markRequests(header: string, id: string, extra: Record<string, string> = {}): Promise<void> {
    await this.context.setExtraHTTPHeaders({ ...extra, [header]: id });
  }

  /** Opens a URL as if typed into the address bar, and follows wherever it leads. */
  open(url: string): Promise<Navigation> {
    return this.record(async () => {
      try {
        await this.page.goto(url, { waitUntil: 'load' });
      } catch (err) {
        // An error status with an empty body (Kong's bodyless exits, e.g. the callback's 400)
        // makes Chromium show its own error page, and goto reports it; the answer is recorded.
        if (err instanceof Error && err.message.includes('ERR_HTTP_RESPONSE_CODE_FAILURE')) return;
        throw (await networkFailure(err, url)) ?? err;
      }
    });
  }

  /** What the browser shows now. */
  async pageKind(): Promise<PageKind> {
    return (await this.readPage()).kind;
  }

  /**
   * What the page is and shows, read in one round trip to the browser (issue
   * 15: a locator count per field id cost a round trip each, four per look).
   */
  private readPage(): Promise<PageReading> {
    return this.page.evaluate(() => {
      const has = (id: string) => document.getElementById(id) !== null;
      const kind = has('loginForm:username') ? 'login' : has('authorizeForm:allowButton') ? 'consent' : has('loginForm:country') || has('loginForm:city') ? 'claims' : 'website';
      const form = document.querySelector('form[id="loginForm"]');
      const textInputIds = form ? Array.from(form.querySelectorAll('input[type="text"]'), (e) => e.id) : [];
      return {
        kind: kind as PageKind,
        title: document.title,
        textInputIds,
        text: document.body?.textContent ?? '',
        headings: Array.from(document.querySelectorAll('h1'), (h) => h.textContent ?? ''),
      };
    });
  }

  /** The login page: the user's name and password, then the Login button (oidc-uma.md §2 F3). */
  logIn(user: TestUser): Promise<Navigation> {
    return this.record(async (pages) => {
      await this.expectPage('login');
      await this.page.locator('[id="loginForm:username"]').fill(user.username);
      await this.page.locator('[id="loginForm:password"]').fill(user.password);
      pages.push(await this.shot('login', []));
      await this.submit('[id="loginForm:loginButton"]');
    });
  }

  /** The consent page: Allow or Don't Allow (oidc-uma.md §2 F4). */
  consent(allow: boolean): Promise<Navigation> {
    return this.record(async (pages) => {
      await this.expectPage('consent');
      pages.push(await this.shot('consent', []));
      await this.submit(allow ? '[id="authorizeForm:allowButton"]' : '[id="authorizeForm:doNotAllowButton"]');
    });
  }

  /** Every claims page in turn, each answered with the given values (oxauth.md §5). */
  answerClaims(answers: Record<string, string>): Promise<Navigation> {
    return this.record(async (pages) => {
      for (let i = 0; i < MAX_PAGES && !this.heldUrl; i++) {
        const reading = await this.readPage();
        if (reading.kind !== 'claims') break;
        const ids = reading.textInputIds;
        const asks = ids.filter((id) => id.startsWith('loginForm:')).map((id) => id.slice('loginForm:'.length));
        for (const name of asks) {
          const value = answers[name];
          if (value === undefined) throw new Error(`the claims-gathering page ${this.page.url()} asks for "${name}", which the scenario does not answer`);
          await this.page.locator(`[id="loginForm:${name}"]`).fill(value);
        }
        pages.push(await this.shot('claims', asks, reading.title));
        await this.submit('[id="loginForm:gather"]');
      }
    });
  }

  /** The cookies the browser holds for a URL, with their attributes. */
  cookies(url: string): ReturnType<BrowserContext['cookies']> {
    return this.context.cookies(url);
  }

  /** What the page's own scripts can read of the cookies (`document.cookie`). */
  scriptCookies(): Promise<string> {
    return this.page.evaluate(() => document.cookie);
  }

  /** Copies this browser's cookies for the given URLs into another browser (a replayed session). */
  async copyCookiesTo(other: WebsiteBrowser, urls: string[]): Promise<void> {
    await other.context.addCookies(await this.context.cookies(urls));
  }

  private async expectPage(kind: PageKind): Promise<void> {
    const now = await this.pageKind();
    if (now !== kind) throw new Error(`the browser shows no ${kind} page at ${this.page.url()} (it shows a ${now} page)`);
  }

  private async shot(kind: AsPage['kind'], asks: string[], title?: string): Promise<AsPage> {
    // caret 'initial': Playwright otherwise injects a style to hide the text caret and removes it after, two more round trips.
    return { kind, url: this.page.url(), title: title ?? (await this.page.title()), asks, screenshot: await this.page.screenshot({ caret: 'initial' }) };
  }

  private async submit(selector: string): Promise<void> {
    await Promise.all([this.page.waitForEvent('framenavigated', { predicate: (f) => f === this.page.mainFrame() }), this.page.locator(selector).click()]);
    await this.page.waitForLoadState('load');
  }

  /** Runs a user action and returns every document exchange it caused and where the browser ended. */
  private async record(action: (pages: AsPage[]) => Promise<void>): Promise<Navigation> {
    const recording = { responses: [] as Response[] };
    this.recording = recording;
    const pages: AsPage[] = [];
    this.refused = undefined;
    try {
      await action(pages);
    } catch (err) {
      throw this.leftTarget() ?? err;
    } finally {
      this.recording = undefined;
    }
    this.interception.throwIfFailed();
    const held = this.heldUrl;
    this.heldUrl = undefined;
    // The held navigation's stand-in page is the suite's, not evidence.
    const responses = recording.responses.filter((r) => !held || r.url() !== held.href);
    const exchanges = await Promise.all(responses.map((r) => this.exchange(r)));
    const last = responses[responses.length - 1];
    return { exchanges, pages, held, final: await this.finalPage(held ? undefined : last?.status()) };
  }

  /** The browser was sent outside the target: said so, rather than as the page load's failure. */
  private leftTarget(): Error | undefined {
    if (!this.refused) return undefined;
    return new Error(`the browser was sent to ${this.refused}, which is neither the gateway's nor the authorization server's origin; the suite lets the browser reach no other origin`);
  }

  private async finalPage(status: number | undefined): Promise<FinalPage> {
    const r = await this.readPage().catch(() => undefined);
    const text = (r?.text ?? '').replace(/\s+/g, ' ').trim().slice(0, 2000);
    return { url: this.page.url(), status, kind: r?.kind ?? (await this.pageKind()), title: r?.title ?? '', text, headings: (r?.headings ?? []).map((h) => h.trim()) };
  }

  private async exchange(r: Response): Promise<Exchange> {
    const req = r.request();
    const redirect = r.status() >= 300 && r.status() < 400;
    const text = redirect ? '' : await r.text().catch(() => '');
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    const timing = req.timing();
    return {
      target: `browser → ${this.targetOf(new URL(req.url()).origin)}`,
      request: { method: req.method(), url: req.url(), headers: await req.allHeaders().catch(() => req.headers()), body: req.postData() ?? undefined },
      response: { status: r.status(), headers: await r.allHeaders().catch(() => r.headers()), text, json },
      durationMs: timing.responseStart > 0 ? Math.round(timing.responseStart * 10) / 10 : 0,
    };
  }

  /** Stops tracing; keeps the trace at `path` when given, discards it otherwise. */
  async stopTrace(path?: string): Promise<void> {
    if (!this.tracing) return;
    this.tracing = false;
    await this.context.tracing.stop(path ? { path } : undefined);
  }

  async close(): Promise<void> {
    await this.stopTrace();
    await this.context.close();
  }
}

/**
 * A page the browser could not load at the network level (net::ERR_CONNECTION_REFUSED, …) is the
 * environment's failure, not the gateway's answer: told to the circuit breaker (circuit-breaker.ts),
 * as claims-browser.ts does for the claims-gathering pages.
 */
async function networkFailure(err: unknown, url: string): Promise<EnvironmentError | undefined> {
  const net = chromiumNetFailure(err instanceof Error ? err.message : String(err));
  if (!net) return undefined;
  const origin = originOnly(net.url ?? url) ?? originOnly(url) ?? '(an address that is not a URL)';
  const breaker = activeBreaker();
  const component = breaker?.componentAt(origin) ?? 'the website through the gateway';
  const opened = await breaker?.afterNetworkFailure(component, origin, `${net.words} (in the browser)`);
  return new EnvironmentError(`${component} at ${origin} ${net.words} (in the browser)${opened ? OPENED_NOTE : ''}`);
}
