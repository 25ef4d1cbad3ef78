// Renders HTTP exchanges as readable, masked evidence: for report
// attachments and for the tail of a failure message.
import type { Exchange } from './http';
import { maskHeaders, maskJson, maskParams, Secrets } from './mask';

const MAX_BODY_CHARS = 4000;

/**
 * A body cut to its first `max` characters, for a one-line message (a
 * check's "actual", an error). Secret-named JSON members are masked before
 * the cut, known secrets after it (Secrets.maskText masks a cut-off one too):
 * a cut never shows the start of a token.
 */
export function bodyExcerpt(text: string, max: number, secrets: Secrets = new Secrets()): string {
  let shown = text;
  try {
    const parsed: unknown = JSON.parse(text);
    const masked = JSON.stringify(maskJson(parsed, secrets));
    // Re-rendered only when something was masked: otherwise the body as sent.
    if (masked !== JSON.stringify(parsed)) shown = masked;
  } catch {
    // not JSON: known secrets only
  }
  return secrets.maskText(shown.slice(0, max));
}

function renderBody(text: string | undefined, contentType: string | undefined, secrets: Secrets): string {
  if (!text) return '(empty body)';
  let out: string;
  try {
    out = JSON.stringify(maskJson(JSON.parse(text), secrets), null, 2);
  } catch {
    out = /x-www-form-urlencoded/.test(contentType ?? '') ? maskParams(text, secrets) : secrets.maskText(text);
  }
  return out.length > MAX_BODY_CHARS ? `${out.slice(0, MAX_BODY_CHARS)}\n… (${out.length - MAX_BODY_CHARS} more characters)` : out;
}

function renderHeaders(headers: Record<string, string>, secrets: Secrets): string {
  return Object.entries(maskHeaders(headers, secrets))
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
}

function headerOf(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key ? headers[key] : undefined;
}

/** One line: "POST https://oxd/uma-rp-get-rpt → 403 (12 ms)". */
export function summaryLine(x: Exchange, secrets: Secrets): string {
  return `${x.request.method} ${maskParams(x.request.url, secrets)} → ${x.response.status} (${x.target}, ${x.durationMs} ms)`;
}

export function renderExchange(x: Exchange, secrets: Secrets): string {
  return [
    `${x.request.method} ${maskParams(x.request.url, secrets)}   [${x.target}]`,
    renderHeaders(x.request.headers, secrets),
    '',
    x.request.body === undefined ? '(no body)' : renderBody(x.request.body, headerOf(x.request.headers, 'content-type'), secrets),
    '',
    `── ${x.response.status} in ${x.durationMs} ms`,
    renderHeaders(x.response.headers, secrets),
    '',
    renderBody(x.response.text, x.response.headers['content-type'], secrets),
  ].join('\n');
}

/** File-name-safe title of an exchange attachment. */
export function attachmentName(x: Exchange): string {
  const path = new URL(x.request.url).pathname.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '') || 'root';
  return `${x.target} ${x.request.method} ${path} → ${x.response.status}`;
}
