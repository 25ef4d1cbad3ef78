// nginx's $uri, which GG's PEP matches (`ngx.var.uri`, gateway.md §5 rule 6):
// the request path without the query string, percent-decoded, with "//"
// merged (merge_slashes is on in Kong 2.2.1's nginx template) and "." / ".."
// segments resolved. An invalid escape or a ".." above the root is a 400
// from nginx before Kong runs.

export function nginxUri(rawPath: string): string | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < rawPath.length; i++) {
    const c = rawPath.charCodeAt(i);
    if (c === 0x25) {
      const hex = rawPath.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (c < 0x80) {
      bytes.push(c);
    } else {
      bytes.push(...Buffer.from(rawPath[i], 'utf8'));
    }
  }
  const decoded = Buffer.from(bytes).toString('utf8');
  const out: string[] = [];
  const segments = decoded.replace(/\/{2,}/g, '/').split('/').slice(1);
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    const last = i === segments.length - 1;
    if (s === '.') {
      if (last) out.push('');
      continue;
    }
    if (s === '..') {
      if (out.length === 0) return undefined;
      out.pop();
      if (last) out.push('');
      continue;
    }
    out.push(s);
  }
  return '/' + out.join('/');
}
