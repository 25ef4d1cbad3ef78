// The few browser requests the suite answers itself, paused inside Chromium
// through the DevTools Fetch domain (which, unlike Playwright's routing, also
// pauses the requests a redirect makes). Only the requests that match the
// patterns given are paused; everything else goes from Chromium to the
// server without a round trip through the test process.
//
// A paused request that cannot be answered stays paused until the page
// load times out, so a failed answer is kept and reported at the next step
// (throwIfFailed) instead of being swallowed. Chromium refuses an answer
// for a request it has cancelled itself (a navigation superseded, the page
// closing): that is no failure.
import type { CDPSession } from 'playwright';
import { originOnly } from '../mask';

export interface PausedRequest {
  url: string;
  method: string;
  /** Chromium's resource type: Document, Stylesheet, Script, Image, … */
  resourceType: string;
}

export type Decision = { action: 'continue' } | { action: 'fulfill'; body: string } | { action: 'fail' };

/** The DevTools Fetch domain's RequestPattern. */
export interface RequestPattern {
  urlPattern: string;
  /** Chromium's Network.ResourceType; only the ones the suite pauses by. */
  resourceType?: 'Document' | 'Stylesheet' | 'Script' | 'Image' | 'XHR' | 'Fetch' | 'Other';
}

interface RequestPausedEvent {
  requestId: string;
  request: { url: string; method: string };
  resourceType: string;
}

/**
 * Chromium's words when the request is gone or the page closing: nothing left
 * to answer. Playwright 1.65: "Target page, context or browser has been
 * closed", "Target closed", "Session closed"; Chromium: "Invalid InterceptionId."
 */
const GONE = /Invalid InterceptionId|Target (page, context or browser has been )?closed|Session closed|has been closed/i;

export class FetchInterception {
  private failure?: Error;
  private enabled = '';

  constructor(
    private readonly cdp: CDPSession,
    private readonly decide: (request: PausedRequest) => Decision,
  ) {
    cdp.on('Fetch.requestPaused', (e: RequestPausedEvent) => void this.answer(e));
  }

  /** A URL pattern matching every URL that starts with `prefix` (the DevTools wildcards escaped). */
  static prefixPattern(prefix: string): string {
    return `${prefix.replace(/[\\*?]/g, (c) => `\\${c}`)}*`;
  }

  /** Pauses exactly the requests matching these patterns from now on (none: nothing paused). */
  async pause(patterns: Array<string | RequestPattern>): Promise<void> {
    const wanted = patterns.map((p) => (typeof p === 'string' ? { urlPattern: p } : p));
    const key = JSON.stringify(wanted);
    if (key === this.enabled) return;
    if (wanted.length) await this.cdp.send('Fetch.enable', { patterns: wanted.map((p) => ({ ...p, requestStage: 'Request' as const })) });
    else await this.cdp.send('Fetch.disable');
    this.enabled = key;
  }

  /** A paused request the suite could not answer, as the error of the step that made it. */
  throwIfFailed(): void {
    const failure = this.failure;
    this.failure = undefined;
    if (failure) throw failure;
  }

  private async answer(e: RequestPausedEvent): Promise<void> {
    const request: PausedRequest = { url: e.request.url, method: e.request.method, resourceType: e.resourceType };
    let decision: Decision;
    try {
      decision = this.decide(request);
    } catch (err) {
      this.noteFailure(request, 'answered', err);
      decision = { action: 'fail' };
    }
    try {
      if (decision.action === 'continue') await this.cdp.send('Fetch.continueRequest', { requestId: e.requestId });
      else if (decision.action === 'fail') await this.cdp.send('Fetch.failRequest', { requestId: e.requestId, errorReason: 'BlockedByClient' });
      else {
        await this.cdp.send('Fetch.fulfillRequest', {
          requestId: e.requestId,
          responseCode: 200,
          responseHeaders: [{ name: 'Content-Type', value: 'text/html' }],
          body: Buffer.from(decision.body).toString('base64'),
        });
      }
    } catch (err) {
      this.noteFailure(request, decision.action === 'continue' ? 'let through' : decision.action === 'fail' ? 'refused' : 'answered', err);
    }
  }

  private noteFailure(request: PausedRequest, what: string, err: unknown): void {
    const text = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    if (GONE.test(text)) return;
    // The URL may carry a ticket or a code: only its origin is named.
    this.failure ??= new Error(`the suite paused the browser's ${request.resourceType.toLowerCase()} request to ${originOnly(request.url) ?? '(not a URL)'} and could not have it ${what}: ${text}`);
  }
}
