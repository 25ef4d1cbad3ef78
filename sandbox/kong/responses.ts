// Every answer the gateway gives on its own (gateway.md §6.3 R1–R16, §6.1.3,
// kong/error_handlers.lua), as data. Plugins throw a KongExit; the proxy
// writes it. Lua errors become Kong's own error page (R12).

export interface ExitSpec {
  status: number;
  /** A table body is JSON; absent means no body (kong.response.exit(400)). */
  body?: { message: string };
}

export const RESPONSES = {
  /** R1/R3: ticket-bearing challenge; WWW-Authenticate copied verbatim from oxd (§6.4). */
  UNAUTHORIZED_WITH_TICKET: { status: 401, body: { message: 'Unauthorized' } },
  /** R2 */
  NO_BEARER_TOKEN: { status: 401, body: { message: 'Failed to get bearer token from Authorization header' } },
  /** R4 */
  INVALID_TOKEN: { status: 401, body: { message: 'Invalid access token provided in Authorization header' } },
  /** R5: even when `anonymous` is set */
  UNKNOWN_CONSUMER: { status: 401, body: { message: 'Unknown consumer' } },
  /** R7: no WWW-Authenticate, the ticket oxd registered is dropped (Q2, DIV-RS-01) */
  NOT_AUTHORIZED: { status: 403, body: { message: 'You are not authorized to access this resource' } },
  /** R8 */
  UNPROTECTED_NOT_ALLOWED: { status: 403, body: { message: 'Unprotected path/method are not allowed' } },
  /** R9 */
  NO_TOKEN_NO_PROTECTED_PATH: { status: 403, body: { message: 'Invalid request, no token and no protected path' } },
  /** PEP without a token authenticated by gluu-uma-auth */
  TOKEN_NOT_AUTHENTICATED: { status: 403, body: { message: 'Token not authenticated' } },
  /** R11: kong-common.lua unexpected_error, with GG's spelling (Q4) */
  UNEXPECTED_ERROR: { status: 502, body: { message: 'An unexpected error ocurred' } },
  /** R13: claims_redirect_path without session or stored URL — status only, no body */
  CLAIMS_CALLBACK_NO_SESSION: { status: 400 },
  /** R14 */
  CLAIMS_CALLBACK_MISSING_ARGS: { status: 400, body: { message: 'missed ticket or state argument(s)' } },
  /** R16: generic Kong (runloop/handler.lua) */
  NO_ROUTE: { status: 404, body: { message: 'no Route matched with those values' } },
  /** An https-only route reached over http, https_redirect_status_code 426 (runloop/handler.lua) */
  USE_HTTPS: { status: 426, body: { message: 'Please use HTTPS protocol' } },
  /** A gRPC route reached by a non-gRPC request */
  NON_GRPC: { status: 415, body: { message: 'Non-gRPC request matched gRPC route' } },
  /** A route without a service (kong/init.lua) */
  NO_SERVICE: { status: 503, body: { message: 'no Service found with those values' } },
} as const satisfies Record<string, ExitSpec>;

/** gluu-uma-auth JWT failures (kong-common.lua process_jwt, gateway.md §6.1.3). */
export const JWT_MESSAGES = {
  BAD_JWT: 'Bad JWT',
  MISSED_KID: 'JWT - missed kid',
  UNKNOWN_KID: 'Unknown kid',
  // process_jwt returns `nil, 401, "JWT is not verified, reason: ", reason`; the caller keeps three values.
  NOT_VERIFIED: 'JWT is not verified, reason: ',
  MALFORMED_PAYLOAD: 'JWT - malformed payload',
} as const;

/** kong.response.exit / ngx.redirect from a plugin: ends the request with this answer. */
export class KongExit {
  constructor(
    readonly status: number,
    readonly body: { message: string } | undefined,
    readonly headers: Record<string, string | string[]> = {},
    /** ngx.redirect: nginx writes its own HTML page. */
    readonly redirect?: string,
  ) {}

  static of(spec: ExitSpec, headers: Record<string, string | string[]> = {}): KongExit {
    return new KongExit(spec.status, 'body' in spec ? spec.body : undefined, headers);
  }
}

/** GG's unexpected_error(): 502 `ocurred`. */
export const unexpectedError = (): KongExit => KongExit.of(RESPONSES.UNEXPECTED_ERROR);

// ---- Kong's error page (kong/error_handlers.lua, utils.get_mime_type) ----

const BODIES: Record<number, string> = {
  400: 'Bad request',
  404: 'Not found',
  408: 'Request timeout',
  411: 'Length required',
  412: 'Precondition failed',
  413: 'Payload too large',
  414: 'URI too long',
  417: 'Expectation failed',
  494: 'Request header or cookie too large',
  500: 'An unexpected error occurred',
  502: 'An invalid response was received from the upstream server',
  503: 'The upstream server is currently unavailable',
  504: 'The upstream server is timing out',
};

const MIME_TYPES: Record<string, string> = {
  'text/html': 'text/html; charset=utf-8',
  'application/json': 'application/json; charset=utf-8',
  'text/plain': 'text/plain; charset=utf-8',
  'application/xml': 'application/xml; charset=utf-8',
  application: 'application/json; charset=utf-8',
  text: 'text/plain; charset=utf-8',
};
const DEFAULT_MIME = 'application/json; charset=utf-8';

const TEMPLATES: Record<string, (m: string) => string> = {
  'application/json; charset=utf-8': (m) => `{\n  "message":"${m}"\n}`,
  'text/html; charset=utf-8': (m) =>
    `<!doctype html>\n<html>\n  <head>\n    <meta charset="utf-8">\n    <title>Kong Error</title>\n  </head>\n  <body>\n    <h1>Kong Error</h1>\n    <p>${m}.</p>\n  </body>\n</html>\n`,
  'text/plain; charset=utf-8': (m) => `${m}\n`,
  'application/xml; charset=utf-8': (m) => `<?xml version="1.0" encoding="UTF-8"?>\n<error>\n  <message>${m}</message>\n</error>\n`,
};

function mimeType(header: string): string {
  const first = header.trim().split(';')[0];
  const entries = first.split('/');
  if (entries.length > 1) {
    if (entries[1] === '*') return entries[0] === '*' ? DEFAULT_MIME : (MIME_TYPES[entries[0]] ?? DEFAULT_MIME);
    return MIME_TYPES[first] ?? DEFAULT_MIME;
  }
  return DEFAULT_MIME;
}

/**
 * The page Kong writes for nginx-level errors and Lua errors: the message of
 * the status, in the format the request's Accept (else Content-Type, else
 * error_default_type = text/plain) asks for. axios' default Accept yields JSON.
 */
export function kongErrorPage(status: number, accept: string | undefined, contentType: string | undefined): { body: string; contentType: string } {
  const mime = mimeType(accept ?? contentType ?? 'text/plain');
  const message = BODIES[status] ?? `The upstream server responded with ${status}`;
  return { body: TEMPLATES[mime](message), contentType: mime };
}

/** nginx's own page for ngx.redirect (server_tokens off, OpenResty build). */
export const NGINX_302_PAGE =
  '<html>\r\n<head><title>302 Found</title></head>\r\n<body>\r\n<center><h1>302 Found</h1></center>\r\n<hr><center>openresty</center>\r\n</body>\r\n</html>\r\n';
