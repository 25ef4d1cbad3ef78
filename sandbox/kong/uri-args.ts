// How GG's Lua code sees a request's query string: ngx.req.get_uri_args()
// (used by the openid-connect callback and the uma-pep claims callback).

/** ngx.req.get_uri_args(): `+` is a space, a repeated name gives a list, a name without `=` is `true`. */
export function uriArgs(requestUri: string): Record<string, unknown> {
  const q = requestUri.indexOf('?');
  const out: Record<string, unknown> = {};
  if (q === -1) return out;
  const unescape = (s: string): string => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s.replace(/\+/g, ' ');
    }
  };
  for (const part of requestUri.slice(q + 1).split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = unescape(eq === -1 ? part : part.slice(0, eq));
    if (key === '') continue;
    const value: unknown = eq === -1 ? true : unescape(part.slice(eq + 1));
    const prev = out[key];
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...(prev as unknown[]), value] : [prev, value];
  }
  return out;
}
