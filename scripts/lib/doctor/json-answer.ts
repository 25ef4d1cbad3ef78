// Reads an answer that should be a JSON object and, when it is not, says in
// plain words what came instead (an HTML page, plain text, a truncated body),
// so a wrong URL is recognisable at a glance.
import type { Exchange } from '../../../support/http';
import type { Secrets } from '../../../support/mask';
import { maskDetail } from './masking';

export type JsonAnswer<T> = { ok: true; body: T } | { ok: false; problem: string };

/**
 * A body quoted in one table cell: secrets masked first (so a cut can never
 * leave part of one), whitespace collapsed, then cut.
 */
export function snippet(text: string, secrets: Secrets, max = 80): string {
  const flat = maskDetail(text, secrets).replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function htmlTitle(text: string): string | undefined {
  const m = /<title[^>]*>([^<]*)<\/title>/i.exec(text);
  return m ? m[1].replace(/\s+/g, ' ').trim().slice(0, 60) : undefined;
}

function looksLikeHtml(contentType: string, text: string): boolean {
  return contentType.includes('html') || /^\s*(<!doctype html|<html)/i.test(text);
}

/** How the body was sent, e.g. `HTTP 200 text/html`. */
export function statusAndType(x: Exchange): string {
  const type = (x.response.headers['content-type'] ?? '').split(';')[0].trim();
  return `HTTP ${x.response.status}${type ? ` ${type}` : ''}`;
}

/**
 * The body as a JSON object, or why not. A JSON content type is required
 * when one is declared: `text/plain` or `text/html` with a JSON-looking body
 * means something other than the expected product answered.
 */
export function jsonObject<T>(x: Exchange, secrets: Secrets): JsonAnswer<T> {
  const contentType = (x.response.headers['content-type'] ?? '').toLowerCase();
  const text = x.response.text;
  const how = statusAndType(x);
  if (looksLikeHtml(contentType, text)) {
    const title = htmlTitle(text);
    return { ok: false, problem: `answered an HTML page (${how}${title ? `, title "${title}"` : ''}), not JSON` };
  }
  if (contentType && !contentType.includes('json')) {
    return { ok: false, problem: `answered ${how} instead of JSON${text ? `: "${snippet(text, secrets)}"` : ''}` };
  }
  if (!text.trim()) return { ok: false, problem: `answered ${how} with an empty body instead of JSON` };
  const json = x.response.json;
  if (json === undefined) return { ok: false, problem: `answered ${how} with a body that is not valid JSON (truncated or malformed): "${snippet(text, secrets)}"` };
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return { ok: false, problem: `answered ${how} with JSON that is not an object: "${snippet(text, secrets)}"` };
  }
  return { ok: true, body: json as T };
}

/** A string member, or undefined. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
