// RFC 7235 WWW-Authenticate parsing: challenges with auth-params in any
// order, quoted or token values, optional whitespace. The exact Gluu
// Gateway format (no spaces, fixed order) is checked separately as a
// product fact (gateway.md §6.4); the protocol checks use this parser.

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;

export function parseChallenges(header: string): Challenge[] {
  const challenges: Challenge[] = [];
  let rest = header.trim();
  let current: Challenge | undefined;
  while (rest.length) {
    rest = rest.replace(/^[\s,]+/, '');
    if (!rest) break;
    const name = TOKEN.exec(rest)?.[0];
    if (!name) throw new Error(`unexpected text in WWW-Authenticate at "${rest.slice(0, 20)}"`);
    const after = rest.slice(name.length);
    const param = /^\s*=\s*/.exec(after);
    if (param && current) {
      let value: string;
      let tail = after.slice(param[0].length);
      if (tail.startsWith('"')) {
        let i = 1;
        value = '';
        while (i < tail.length && tail[i] !== '"') {
          if (tail[i] === '\\' && i + 1 < tail.length) i++;
          value += tail[i++];
        }
        if (i >= tail.length) throw new Error('unterminated quoted string in WWW-Authenticate');
        tail = tail.slice(i + 1);
      } else {
        value = TOKEN.exec(tail)?.[0] ?? '';
        tail = tail.slice(value.length);
      }
      current.params[name.toLowerCase()] = value;
      rest = tail;
      continue;
    }
    // A new challenge: scheme, then params (or a token68, which UMA does not use).
    current = { scheme: name, params: {} };
    challenges.push(current);
    rest = after;
  }
  return challenges;
}

export function umaChallenge(header: string | undefined): Challenge | undefined {
  if (!header) return undefined;
  try {
    return parseChallenges(header).find((c) => c.scheme.toLowerCase() === 'uma');
  } catch {
    return undefined;
  }
}

/** The exact value Gluu Gateway sends (uma-rs RptPreProcessInterceptor, gateway.md §6.4). */
export function gluuChallengeFormat(asUri: string, ticket: string): string {
  return `UMA realm="rs",as_uri="${asUri}",error="insufficient_scope",ticket="${ticket}"`;
}
