// The Lua expressions of `custom_headers[].value_lua_exp` and
// `pushed_claims_lua_exp` (gateway.md §2, kong-common.lua make_headers).
// GG compiles them with `loadstring("return " .. exp)` and runs them in a
// sandbox table; the sandbox cannot run Lua, so it supports the forms the
// GG UI and docs use: a dotted path into one of the environment tables
// (`introspect_data.client_id`, `consumer.id`, `introspect_data.permissions[1]`)
// (gluu-openid-connect adds `id_token`, `userinfo`, `access_token`), a quoted
// string literal or a decimal number literal (GG's own test uses `123`), and a table constructor of
// named fields holding those (`{id_token=id_token,userinfo=userinfo}`, the GG UI's and the second
// tutorial's pushed_claims_lua_exp, oidc-uma.md §1.3). Anything else is refused at configuration
// time (DEVIATIONS.part.md). Evaluation errors read as nil, as under pcall.

export const LUA_ROOTS = ['consumer', 'introspect_data', 'id_token', 'userinfo', 'access_token', 'request'] as const;

export const UNSUPPORTED_LUA_MESSAGE =
  'the sandbox supports only dotted paths into consumer, introspect_data, id_token, userinfo, access_token, request, quoted string or number literals, and tables of named fields holding those';

type SimpleExp = { kind: 'literal'; value: string | number } | { kind: 'path'; root: string; segments: Array<string | number> };
export type LuaExp = SimpleExp | { kind: 'table'; fields: Array<{ name: string; value: SimpleExp }> };

/** `{ name = exp, name = exp }` (`,` or `;` between fields, one trailing allowed); values without commas or braces. */
function parseTable(src: string): LuaExp | undefined {
  const body = /^\{([\s\S]*)\}$/.exec(src)?.[1];
  if (body === undefined) return undefined;
  const fields: Array<{ name: string; value: SimpleExp }> = [];
  const parts = body.split(/[,;]/);
  if (parts.length > 1 && parts[parts.length - 1].trim() === '') parts.pop();
  if (parts.length === 1 && parts[0].trim() === '') return { kind: 'table', fields };
  for (const part of parts) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=([\s\S]+)$/.exec(part);
    const value = m ? parseSimple(m[2].trim()) : undefined;
    if (!m || !value) return undefined;
    fields.push({ name: m[1], value });
  }
  return { kind: 'table', fields };
}

const STRING = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')$/s;

function unescape(s: string): string {
  return s.replace(/\\(.)/gs, (_, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c);
}

/** Parses a supported expression; undefined when the sandbox cannot run it. */
export function parseLuaExp(text: string): LuaExp | undefined {
  const src = text.trim();
  return src.startsWith('{') ? parseTable(src) : parseSimple(src);
}

function parseSimple(src: string): SimpleExp | undefined {
  const lit = STRING.exec(src);
  if (lit) return { kind: 'literal', value: unescape(lit[1] ?? lit[2] ?? '') };
  if (/^[0-9]+(?:\.[0-9]+)?$/.test(src)) return { kind: 'literal', value: Number(src) };
  const head = /^([A-Za-z_][A-Za-z0-9_]*)/.exec(src);
  if (!head || !(LUA_ROOTS as readonly string[]).includes(head[1])) return undefined;
  const segments: Array<string | number> = [];
  let rest = src.slice(head[1].length);
  while (rest.length > 0) {
    let m = /^\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
    if (m) {
      segments.push(m[1]);
    } else if ((m = /^\s*\[\s*(\d+)\s*\]/.exec(rest))) {
      segments.push(Number(m[1]));
    } else if ((m = /^\s*\[\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*\]/.exec(rest))) {
      segments.push(unescape(m[1].slice(1, -1)));
    } else if (/^\s+$/.test(rest)) {
      break;
    } else {
      return undefined;
    }
    rest = rest.slice(m[0].length);
  }
  return { kind: 'path', root: head[1], segments };
}

/** Runs an expression against the environment; nil (undefined) on any Lua error, null for cjson.null. */
export function evalLuaExp(exp: LuaExp, env: Record<string, unknown>): unknown {
  if (exp.kind === 'literal') return exp.value;
  if (exp.kind === 'table') {
    // A field whose value is nil is not in the Lua table (cjson then leaves it out).
    const table: Record<string, unknown> = {};
    for (const f of exp.fields) {
      const v = evalLuaExp(f.value, env);
      if (v !== undefined) table[f.name] = v;
    }
    return table;
  }
  let current: unknown = env[exp.root];
  for (const seg of exp.segments) {
    if (current === undefined || current === null || typeof current !== 'object') {
      // Indexing nil/number/boolean raises; indexing a string yields string methods or nil.
      return undefined;
    }
    if (Array.isArray(current)) current = typeof seg === 'number' ? current[seg - 1] : undefined;
    else current = typeof seg === 'number' ? undefined : (current as Record<string, unknown>)[seg];
  }
  // JSON null stays null: cjson.safe decodes it to a truthy userdata, not nil.
  return current;
}
