// The sandbox log's line for each answer a user debugging a flow needs to see
// (issue 14 item 13): every 4xx and 5xx of every component, and every
// redirect that carries an error (oxAuth's gather_claims redirects, e.g.
// error=invalid_claims_redirect_uri). Secrets are shortened as the rest of
// the log does (the first 4 characters and "…"): query values of secret
// parameters, tickets in bodies. Request bodies are never logged.
import type * as http from 'node:http';
import type { Request, Served } from './http';

/** The log's way of showing a secret: enough to tell two apart, too little to use. */
export function shortSecret(secret: string | undefined | null): string {
  if (!secret) return '<none>';
  return secret.length <= 4 ? '****' : `${secret.slice(0, 4)}…`;
}

/** Query and Location parameters whose values are secrets or single-use credentials. */
const SECRET_PARAMS = new Set([
  'ticket',
  'code',
  'state',
  'nonce',
  'client_secret',
  'access_token',
  'id_token',
  'id_token_hint',
  'rpt',
  'pct',
  'claim_token',
  'refresh_token',
  'password',
  'session_id',
  'session_state',
]);

/** A path with its query, secret parameter values shortened. */
export function maskedTarget(path: string, query: URLSearchParams): string {
  const parts = [...query].map(([k, v]) => `${k}=${SECRET_PARAMS.has(k.toLowerCase()) ? shortSecret(v) : v}`);
  return parts.length ? `${path}?${parts.join('&')}` : path;
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** What the body says went wrong, in one short line (JSON error members; else the first line of the text). */
export function errorSummary(body: string): string {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  if (json && typeof json === 'object' && !Array.isArray(json)) {
    const b = json as Record<string, unknown>;
    const parts: string[] = [];
    if (typeof b.error === 'string') parts.push(b.error);
    if (typeof b.error_description === 'string' && b.error_description !== '') parts.push(`"${cut(b.error_description, 120)}"`);
    if (typeof b.message === 'string') parts.push(`"${cut(b.message, 120)}"`); // Kong's and the container's own
    if (Array.isArray(b.required_claims)) {
      const names = b.required_claims.map((c) => (c && typeof c === 'object' ? String((c as Record<string, unknown>).name) : '?'));
      parts.push(`claims ${names.join(', ')}`);
    }
    if (typeof b.ticket === 'string') parts.push(`new ticket ${shortSecret(b.ticket)}`);
    if (parts.length) return parts.join(' ');
  }
  // oxd's plain-text parse errors quote the request body after the first line: keep the first line only.
  const first = body.split('\n')[0].trim();
  return first === '' ? '(empty body)' : cut(first, 160);
}

/** A Location that carries `error=`: the endpoint and the error, secret parameters shortened. */
export function errorRedirectSummary(location: string): string | undefined {
  let url: URL;
  try {
    url = new URL(location, 'http://relative.invalid');
  } catch {
    return undefined;
  }
  const error = url.searchParams.get('error');
  if (!error) return undefined;
  const where = location.startsWith('/') || !/^[a-z][a-z0-9+.-]*:/i.test(location) ? url.pathname : `${url.origin}${url.pathname}`;
  const state = url.searchParams.get('state');
  return `error=${error} to ${where}${state !== null ? ` (state ${shortSecret(state)})` : ''}`;
}

function locationIn(headers: unknown): string | undefined {
  if (!headers || typeof headers !== 'object' || Array.isArray(headers)) return undefined;
  for (const [k, v] of Object.entries(headers as Record<string, unknown>)) if (k.toLowerCase() === 'location' && typeof v === 'string') return v;
  return undefined;
}

/**
 * Wraps a component so that its error answers are logged once they are sent:
 * `GET /path?ticket=abcd… → 403 need_info …`.
 */
export function withAnswerLog(served: Served, component: string, log: (component: string, message: string) => void): Served {
  const watched = new WeakSet<http.ServerResponse>();
  const watch = (req: Pick<Request, 'method' | 'path' | 'query'> | undefined, res: http.ServerResponse) => {
    if (watched.has(res)) return;
    watched.add(res);
    // Headers given to writeHead directly are not visible to getHeader: take Location from the call.
    let location: string | undefined;
    let body = '';
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => http.ServerResponse;
    const end = res.end.bind(res) as (...args: unknown[]) => http.ServerResponse;
    const patched = res as unknown as { writeHead: (...args: unknown[]) => http.ServerResponse; end: (...args: unknown[]) => http.ServerResponse };
    patched.writeHead = (...args: unknown[]) => {
      location = locationIn(args[1]) ?? locationIn(args[2]) ?? location;
      return writeHead(...args);
    };
    patched.end = (...args: unknown[]) => {
      const chunk = args[0];
      if (res.statusCode >= 400 && (typeof chunk === 'string' || Buffer.isBuffer(chunk))) body = chunk.toString();
      return end(...args);
    };
    res.once('finish', () => {
      const what = req ? `${req.method} ${maskedTarget(req.path, req.query)}` : 'a request';
      if (res.statusCode >= 400) {
        log(component, `${what} → ${res.statusCode} ${errorSummary(body)}`);
        return;
      }
      const header = res.getHeader('location');
      const to = location ?? (typeof header === 'string' ? header : undefined);
      if (res.statusCode >= 300 && to !== undefined) {
        const redirect = errorRedirectSummary(to);
        if (redirect) log(component, `${what} → ${res.statusCode} ${redirect}`);
      }
    });
  };
  return {
    ...served,
    handler: (req, res) => {
      watch(req, res);
      return served.handler(req, res);
    },
    // Before the handler (body too large) or after it threw: the request's line is not known here.
    onTooLarge: (res) => {
      watch(undefined, res);
      served.onTooLarge(res);
    },
    onError: (res, err) => {
      watch(undefined, res);
      served.onError(res, err);
    },
  };
}
