// An echo backend like the one GG's own tests put behind Kong (gateway.md §10):
// it answers every request with what it received, and remembers requests
// that carry the suite's request id so the suite can ask afterwards whether
// a request reached the upstream at all. It is not part of the tutorial; a
// real deployment can run `npm run sandbox -- --only echo` next to Kong.
import type { ServerResponse } from 'node:http';
import type { Component } from '../component';
import { sendJson, type Request } from '../lib/http';

export const REQUEST_ID_HEADER = 'x-conformance-request-id';
const LOOKUP_PREFIX = '/__echo/requests/';
const MAX_RECORDS = 10_000;

export interface EchoedRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function createEchoApi(): Component {
  const seen = new Map<string, EchoedRequest>();
  return {
    name: 'echo',
    bodyLimit: 1024 * 1024,
    handler: (req: Request, res: ServerResponse) => {
      if (req.method === 'GET' && req.rawPath.startsWith(LOOKUP_PREFIX)) {
        const id = decodeURIComponent(req.rawPath.slice(LOOKUP_PREFIX.length));
        const hit = seen.get(id);
        return hit ? sendJson(res, 200, hit) : sendJson(res, 404, { message: `no request with ${REQUEST_ID_HEADER} ${id}` });
      }
      const echoed: EchoedRequest = {
        method: req.method,
        path: req.rawPath,
        query: req.query.toString(),
        headers: req.headers,
        body: req.body.toString('utf8'),
      };
      const id = req.headers[REQUEST_ID_HEADER];
      if (typeof id === 'string' && id) {
        if (seen.size >= MAX_RECORDS) seen.delete(seen.keys().next().value as string);
        seen.set(id, echoed);
      }
      sendJson(res, 200, echoed, {}, 'application/json; charset=utf-8');
    },
    onTooLarge: (res) => sendJson(res, 413, { message: 'body too large' }),
    onError: (res) => sendJson(res, 500, { message: 'echo failed' }),
  };
}
