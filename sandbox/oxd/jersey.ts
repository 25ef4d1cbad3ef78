// The servlet container in front of oxd's RestResource (Dropwizard 2 /
// Jersey 2): resource matching, then the 404 / 405 / 415 / 406 answers
// Jersey raises before a resource method runs, each written by Dropwizard's
// LoggingExceptionMapper as {"code","message"} (oxd.md §1, §2.2).
import type * as http from 'node:http';
import { headerValue, send, type Handler, type Request } from '../lib/http';
import { containerErrorBody, jerseyMessage } from './errors';
import { jsonOutcome, unhandledOutcome, type Outcome } from './processor';

export interface Resource {
  method: 'GET' | 'POST';
  /** `/name` or `/name/:param`. */
  path: string;
  /** @Consumes(MediaType.APPLICATION_JSON) */
  consumesJson: boolean;
  handle(req: Request): Promise<Outcome>;
}

function matchPath(pattern: string, path: string): boolean {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return false;
  return want.every((seg, i) => (seg.startsWith(':') ? got[i] !== '' : seg === got[i]));
}

/** Jersey's MediaType.isCompatible against application/json. */
function compatibleWithJson(mediaType: string): boolean {
  const [type, subtype] = mediaType.split(';')[0].trim().toLowerCase().split('/');
  if (subtype === undefined) return false;
  return (type === '*' || type === 'application') && (subtype === '*' || subtype === 'json');
}

/** An Accept header that rules application/json out → 406. */
function acceptsJson(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept.split(',').some((range) => {
    const q = /;\s*q\s*=\s*([0-9.]+)/i.exec(range);
    return compatibleWithJson(range) && (q === null || Number(q[1]) > 0);
  });
}

function allowHeader(matched: Resource[]): string {
  const methods: string[] = [];
  for (const r of matched) {
    if (r.method === 'GET') methods.push('HEAD');
    methods.push(r.method);
  }
  methods.push('OPTIONS');
  return methods.join(',');
}

function write(res: http.ServerResponse, outcome: Outcome, extra: Record<string, string> = {}): void {
  send(res, outcome.status, outcome.body, { 'Content-Type': outcome.contentType, ...extra });
}

function jerseyError(res: http.ServerResponse, status: number, extra: Record<string, string> = {}): void {
  write(res, jsonOutcome(status, containerErrorBody(status, jerseyMessage(status))), extra);
}

export function jerseyHandler(resources: Resource[]): Handler {
  return async (req, res) => {
    // Jersey matches a resource path with or without one trailing slash.
    const path = req.path.length > 1 && req.path.endsWith('/') ? req.path.slice(0, -1) : req.path;
    const matched = resources.filter((r) => matchPath(r.path, path));
    if (matched.length === 0) return jerseyError(res, 404);
    if (req.method === 'OPTIONS') return send(res, 200, '', { Allow: allowHeader(matched) });
    const target = matched.find((r) => r.method === req.method) ?? (req.method === 'HEAD' ? matched.find((r) => r.method === 'GET') : undefined);
    if (!target) return jerseyError(res, 405, { Allow: allowHeader(matched) });
    if (target.consumesJson) {
      const contentType = headerValue(req, 'content-type');
      if (contentType === undefined || !compatibleWithJson(contentType)) return jerseyError(res, 415);
    }
    if (!acceptsJson(headerValue(req, 'accept'))) return jerseyError(res, 406);
    let outcome: Outcome;
    try {
      outcome = await target.handle(req);
    } catch {
      outcome = unhandledOutcome();
    }
    write(res, outcome);
  };
}
