// The user's browser on the AS's claims-gathering pages (oxauth.md §5),
// driven by Playwright: one browser per worker, launched on first use, and a
// fresh context per scenario. Form fields are addressed by the ids the AS
// renders (`loginForm:country`, `loginForm:city`, `loginForm:gather`). The
// final redirect to the claims redirect URI is captured inside the browser
// (DevTools Fetch domain, which pauses redirected requests too, unlike
// Playwright's routing), so no server needs to live there. Only requests to
// the watched URIs are paused; the AS's pages and their stylesheets and
// scripts go from Chromium to the AS directly, without a round trip through
// the test process (issue 15: that round trip per request was most of the
// step's cost above Chromium's own).
import * as fs from 'node:fs';
import type { Browser, BrowserContext, BrowserType, CDPSession, Page } from 'playwright';
import { stripAnsiFromError } from '../ansi';
import { activeBreaker, OPENED_NOTE } from '../circuit-breaker';
import { EnvironmentError } from '../errors';
import { originOnly } from '../mask';
import { chromiumNetFailure, isPlaywrightTimeout, type NetFailure } from './browser-failures';
import { FetchInterception } from './fetch-interception';

export const FORM_ID = 'loginForm';
export const SUBMIT_ID = 'loginForm:gather';
const MAX_PAGES = 6;
// The empty icon keeps Chromium from asking the watched host for /favicon.ico once the page is shown:
// that request, arriving late, once became the next gathering's "redirect" (a CI run, 2026-12-03).
const CAPTURED_PAGE = '<!doctype html><title>claims redirect captured</title><link rel="icon" href="data:,"><p>The conformance suite captured this redirect.</p>';

export interface BrowserSettings {
  executablePath?: string;
  wsEndpoint?: string;
  timeoutMs: number;
  tlsInsecure: boolean;
}

/** One claims-gathering page as the user saw it. */
export interface PageSeen {
  url: string;
  title: string;
  /** Claim names the page asked for, from its input ids (`loginForm:<name>`). */
  asks: string[];
  screenshot: Buffer;
}

export interface GatheringOutcome {
  pages: PageSeen[];
  /** The first navigation to one of the watched URLs (the claims redirect), captured. */
  redirect?: URL;
  /** Where the browser ended when nothing was captured. */
  finalUrl: string;
  finalText: string;
}

let browser: Promise<Browser> | undefined;

/**
 * Playwright, loaded on first use: it takes a quarter of a second or more to load, and the launcher
 * (scripts/run.ts, through the doctor's probes) and the scenarios without a browser never need it.
 */
function chromium(): BrowserType {
  return (require('playwright') as typeof import('playwright')).chromium;
}

/** Playwright's own Chromium when installed, else the system one (Debian's chromium package). */
export function chooseExecutable(explicit?: string): string | undefined {
  if (explicit) return explicit;
  try {
    const own = chromium().executablePath();
    if (own && fs.existsSync(own)) return undefined;
  } catch {
    // no bundled browser registered
  }
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => fs.existsSync(p));
}

async function launch(settings: BrowserSettings): Promise<Browser> {
  if (settings.wsEndpoint) return chromium().connect(settings.wsEndpoint, { timeout: settings.timeoutMs });
  return chromium().launch({
    headless: true,
    executablePath: chooseExecutable(settings.executablePath),
    // As root Chromium needs --no-sandbox; the others keep a closed network quiet.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    // The launcher owns interrupts (scripts/run.ts): Playwright's own handlers would close the browser
    // under the scenarios in flight on SIGTERM and exit 130 on SIGINT before the reports are complete
    // (playwright-core 1.65.1 lib/coreBundle.js sigintHandler/sigtermHandler).
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
}

/** The browser could not be started or reached: an environment problem, not a conformance failure. */
export class BrowserUnavailableError extends Error {
  override name = 'EnvironmentError';
}

/** Where the browser is, without a grid endpoint's path or query (they may carry its token). */
function whereBrowser(settings: BrowserSettings): string {
  if (!settings.wsEndpoint) return `the browser ${chooseExecutable(settings.executablePath) ?? "(Playwright's own Chromium)"}`;
  const origin = originOnly(settings.wsEndpoint);
  return origin ? `the remote browser at ${origin} (UMA_BROWSER_WS)` : 'the remote browser (UMA_BROWSER_WS, not a URL)';
}

export function sharedBrowser(settings: BrowserSettings): Promise<Browser> {
  browser ??= launch(settings).catch((err: unknown) => {
    // Not cached: a later scenario tries again (a grid may have been busy).
    browser = undefined;
    const first = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    const shown = settings.wsEndpoint ? first.split(settings.wsEndpoint).join('(UMA_BROWSER_WS)') : first;
    throw new BrowserUnavailableError(`${whereBrowser(settings)} could not be started or reached: ${shown}. Set UMA_BROWSER_PATH to a Chromium, or UMA_BROWSER_WS to a Playwright browser server.`);
  });
  return browser;
}

export async function closeSharedBrowser(): Promise<void> {
  const b = browser;
  browser = undefined;
  if (!b) return;
  try {
    await (await b).close();
  } catch {
    // never started, or already gone: nothing to close
  }
}

export class ClaimsBrowserSession {
  private page?: Page;
  private interception?: FetchInterception;
  private captured?: URL;
  private readonly watched: string[] = [];
  /** Origins of the claims-gathering URLs opened: the AS, whose redirects are inspected. */
  private readonly asOrigins = new Set<string>();
  private tracing = false;
  /** The first page load of the current gathering that failed at the network level, and where. */
  private loadFailure?: { origin: string; failure: NetFailure };

  private constructor(
    private readonly context: BrowserContext,
    private readonly settings: BrowserSettings,
  ) {}

  /**
   * A fresh context. `trace`: record a Playwright trace (actions and network,
   * no DOM snapshots: those cost a snapshot per action and a failed
   * scenario's trace is read for its requests; hooks.ts keeps it only then).
   */
  static async open(settings: BrowserSettings, trace: boolean): Promise<ClaimsBrowserSession> {
    const b = await sharedBrowser(settings);
    const context = await b.newContext({ ignoreHTTPSErrors: settings.tlsInsecure });
    context.setDefaultTimeout(settings.timeoutMs);
    const session = new ClaimsBrowserSession(context, settings);
    if (trace) {
      await context.tracing.start({ screenshots: false, snapshots: false });
      session.tracing = true;
    }
    return session;
  }

  /**
   * A URI whose navigation is captured instead of loaded: any URL on its
   * origin, so that a redirect to another path of an untrusted host is seen
   * too (only the URI's path and below when it shares the AS's origin).
   */
  watch(uri: string): void {
    this.watched.push(uri);
  }

  private isWatched(href: string): boolean {
    let url: URL;
    try {
      url = new URL(href);
    } catch {
      return false;
    }
    return this.watched.some((uri) => {
      const w = new URL(uri);
      if (!this.asOrigins.has(w.origin)) return url.origin === w.origin;
      return url.origin === w.origin && url.pathname.startsWith(w.pathname);
    });
  }

  /** The DevTools URL patterns that pause the watched URIs' requests (isWatched() decides precisely). */
  private watchedPatterns(): string[] {
    return this.watched.map((uri) => {
      const w = new URL(uri);
      return FetchInterception.prefixPattern(this.asOrigins.has(w.origin) ? `${w.origin}${w.pathname}` : `${w.origin}/`);
    });
  }

  /** The page, with the watched URIs' requests paused: captured when they are watched, let through otherwise. */
  private async preparePage(): Promise<Page> {
    if (!this.page) {
      this.page = await this.context.newPage();
      // Chromium's failures: the AS not there, or a host the suite does not watch.
      this.page.on('requestfailed', (r) => {
        const failure = r.isNavigationRequest() ? chromiumNetFailure(r.failure()?.errorText ?? '') : undefined;
        if (failure) this.noteLoadFailure(r.url(), failure);
      });
      const cdp: CDPSession = await this.context.newCDPSession(this.page);
      this.interception = new FetchInterception(cdp, (paused) => {
        if (!this.isWatched(paused.url)) return { action: 'continue' };
        // Only a navigation is the claims redirect; anything else on a watched host never leaves the browser.
        if (paused.resourceType !== 'Document') return { action: 'fail' };
        this.captured ??= new URL(paused.url);
        return { action: 'fulfill', body: CAPTURED_PAGE };
      });
    }
    await this.interception!.pause(this.watchedPatterns());
    return this.page;
  }

  /** A page load that failed at the network level (the first one counts). */
  private noteLoadFailure(url: string, failure: NetFailure): void {
    const origin = originOnly(url);
    if (origin && !this.loadFailure) this.loadFailure = { origin, failure };
  }

  /**
   * Opens the claims-gathering URL and answers every page the AS shows with
   * the given claim values, until the browser is redirected to a watched URL
   * or a page asks nothing more.
   */
  async gather(url: string, answers: Record<string, string>): Promise<GatheringOutcome> {
    this.asOrigins.add(new URL(url).origin);
    this.captured = undefined;
    this.loadFailure = undefined;
    const notTried = activeBreaker()?.notTried(url);
    if (notTried) throw new EnvironmentError(`the claims-gathering page at ${new URL(url).origin} ${notTried}`);
    try {
      return await this.answerPages(url, answers);
    } catch (err) {
      stripAnsiFromError(err);
      throw (await this.environmentFailure(err, url)) ?? err;
    }
  }

  private async answerPages(url: string, answers: Record<string, string>): Promise<GatheringOutcome> {
    const page = await this.preparePage();
    const pages: PageSeen[] = [];
    await page.goto(url, { waitUntil: 'load' });
    this.throwIfLoadFailed(page);
    this.interception!.throwIfFailed();
    for (let i = 0; i < MAX_PAGES && !this.captured; i++) {
      // One round trip for the form, its fields and the title (issue 15: three before).
      const look = await page.evaluate((formId) => {
        const form = document.querySelector(`form[id="${formId}"]`);
        return form ? { ids: Array.from(form.querySelectorAll('input[type="text"]'), (e) => e.id), title: document.title } : undefined;
      }, FORM_ID);
      if (!look) break;
      const ids = look.ids;
      const asks = ids.filter((id) => id.startsWith(`${FORM_ID}:`)).map((id) => id.slice(FORM_ID.length + 1));
      for (const name of asks) {
        const value = answers[name];
        if (value === undefined) throw new Error(`the claims-gathering page ${page.url()} asks for "${name}", which the scenario does not answer`);
        await page.locator(`[id="${FORM_ID}:${name}"]`).fill(value);
      }
      // caret 'initial': hiding the caret costs Playwright two more round trips per screenshot.
      pages.push({ url: page.url(), title: look.title, asks, screenshot: await page.screenshot({ caret: 'initial' }) });
      await Promise.all([page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame() }), page.locator(`[id="${SUBMIT_ID}"]`).click()]);
      await page.waitForLoadState('load');
      this.throwIfLoadFailed(page);
    }
    this.interception!.throwIfFailed();
    return { pages, redirect: this.captured, finalUrl: page.url(), finalText: ((await page.evaluate(() => document.body?.textContent ?? '').catch(() => '')) ?? '').trim().slice(0, 2000) };
  }

  /** A form submitted to a server that is gone ends on Chromium's error page, without an error: made one here. */
  private throwIfLoadFailed(page: Page): void {
    if (this.loadFailure) throw new Error('a page load failed'); // environmentFailure() says which and why
    if (page.url().startsWith('chrome-error://')) throw new EnvironmentError('the browser could not load a claims-gathering page: Chromium shows its own error page');
  }

  /**
   * The browser failure as the environment's, when it is: a page load that
   * failed at the network level (always), or a Playwright timeout while the
   * server does not answer a health probe (circuit-breaker.ts). A timeout on
   * a server that answers stays the scenario's own failure.
   */
  private async environmentFailure(err: unknown, url: string): Promise<EnvironmentError | undefined> {
    if (err instanceof EnvironmentError) return err;
    const breaker = activeBreaker();
    const text = err instanceof Error ? err.message : String(err);
    const netFromText = chromiumNetFailure(text);
    const failed = this.loadFailure ?? (netFromText ? { origin: originOnly(netFromText.url ?? '') ?? originOnly(url)!, failure: netFromText } : undefined);
    if (failed) {
      const words = failed.failure.words;
      const component = breaker?.componentAt(failed.origin) ?? 'the claims-gathering page';
      const opened = await breaker?.afterNetworkFailure(component, failed.origin, `${words} (in the browser)`);
      return new EnvironmentError(`${component} at ${failed.origin} ${words} (in the browser)${opened ? OPENED_NOTE : ''}`);
    }
    if (!isPlaywrightTimeout(err) || !breaker) return undefined;
    const origin = originOnly(this.page?.url().startsWith('http') ? this.page.url() : url) ?? originOnly(url)!;
    const component = breaker.componentAt(origin) ?? 'the claims-gathering page';
    const why = `did not answer in time: no page within ${this.settings.timeoutMs} ms (in the browser)`;
    const opened = await breaker.afterNetworkFailure(component, origin, why);
    return opened ? new EnvironmentError(`${component} at ${origin} ${why}${OPENED_NOTE}`) : undefined;
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

  get timeoutMs(): number {
    return this.settings.timeoutMs;
  }
}
