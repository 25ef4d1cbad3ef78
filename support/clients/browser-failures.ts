// What a browser failure says about the target. Chromium reports a page it
// could not load as `net::ERR_…` (Playwright: "page.goto: net::ERR_CONNECTION_REFUSED
// at https://…"); a request the suite fetched itself for the browser (the
// AS's answers, claims-browser.ts) fails with Node's codes, and is aborted
// with the matching Chromium error so that the page load fails the same way.

/** Chromium net errors that mean the server is not there or not answering, in the words support/http.ts uses. */
const NET_ERRORS: Record<string, string> = {
  ERR_CONNECTION_REFUSED: 'refused the connection (nothing listens there)',
  ERR_CONNECTION_RESET: 'closed the connection without answering',
  ERR_CONNECTION_CLOSED: 'closed the connection without answering',
  ERR_EMPTY_RESPONSE: 'closed the connection without answering',
  ERR_CONNECTION_ABORTED: 'closed the connection without answering',
  ERR_CONNECTION_FAILED: 'could not be connected to',
  ERR_CONNECTION_TIMED_OUT: 'did not answer in time',
  ERR_TIMED_OUT: 'did not answer in time',
  ERR_NAME_NOT_RESOLVED: 'has a host name that does not resolve',
  ERR_ADDRESS_UNREACHABLE: 'is not reachable from here',
  ERR_INTERNET_DISCONNECTED: 'is not reachable from here (no network)',
  // What route.abort('failed') gives: the suite's own fetch for the browser failed otherwise.
  ERR_FAILED: 'could not be loaded',
};

export interface NetFailure {
  /** Chromium's code, e.g. ERR_CONNECTION_REFUSED. */
  code: string;
  words: string;
  /** The URL Chromium names, when it names one. */
  url?: string;
}

/** The network failure a Playwright error message or a failed request's errorText names, if it is one. */
export function chromiumNetFailure(text: string): NetFailure | undefined {
  const m = /net::(ERR_[A-Z_]+)(?: at (\S+))?/.exec(text);
  if (!m || !(m[1] in NET_ERRORS)) return undefined;
  return { code: m[1], words: NET_ERRORS[m[1]], url: m[2] };
}

export type AbortCode = 'connectionrefused' | 'connectionreset' | 'timedout' | 'namenotresolved' | 'addressunreachable' | 'failed';

const ABORT_ERRORS: Record<AbortCode, string> = {
  connectionrefused: 'ERR_CONNECTION_REFUSED',
  connectionreset: 'ERR_CONNECTION_RESET',
  timedout: 'ERR_TIMED_OUT',
  namenotresolved: 'ERR_NAME_NOT_RESOLVED',
  addressunreachable: 'ERR_ADDRESS_UNREACHABLE',
  failed: 'ERR_FAILED',
};

/** A request the suite fetched for the browser failed with `err` (Node's codes in Playwright's message): how to abort it, and what it means. */
export function fetchFailure(err: unknown, url: string): { abort: AbortCode; failure: NetFailure } {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  let abort: AbortCode = 'failed';
  if (/ECONNREFUSED/.test(text)) abort = 'connectionrefused';
  else if (/ECONNRESET|EPIPE|socket hang up/.test(text)) abort = 'connectionreset';
  else if (/^TimeoutError|ETIMEDOUT|Timeout \d+ms exceeded/.test(text)) abort = 'timedout';
  else if (/ENOTFOUND|EAI_AGAIN/.test(text)) abort = 'namenotresolved';
  else if (/EHOSTUNREACH|ENETUNREACH/.test(text)) abort = 'addressunreachable';
  const code = ABORT_ERRORS[abort];
  return { abort, failure: { code, words: NET_ERRORS[code], url } };
}

/** A Playwright timeout (its TimeoutError class). */
export function isPlaywrightTimeout(err: unknown): boolean {
  return err instanceof Error && err.name === 'TimeoutError';
}
