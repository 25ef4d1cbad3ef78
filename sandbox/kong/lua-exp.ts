// The Lua expressions of `custom_headers[].value_lua_exp` and
// `pushed_claims_lua_exp` (gateway.md §2, kong-common.lua make_headers).
// GG compiles them with `loadstring("return " .. exp)` and runs them in a
// sandbox table; the sandbox cannot run Lua, so it supports the forms the
// GG UI and docs use: a dotted path into one of the environment tables
// (`introspect_data.client_id`, `consumer.id`, `introspect_data.permissions[1]`)
// (gluu-openid-connect adds `id_token`, `userinfo`, `access_token`), a quoted
// string literal, a decimal number literal (GG's own test uses `123`), or a
// table constructor of those (`{id_token=id_token,userinfo=userinfo}`, the
// tutorial's pushed claims; `name = exp` fields and positional values). Anything else is refused at configuration
// time (DEVIATIONS.part.md). Evaluation errors read as nil, as under pcall.

export const LUA_ROOTS = ['consumer', 'introspect_data', 'id_token', 'userinfo', 'access_token', 'request'] as const;

export const UNSUPPORTED_LUA_MESSAGE =
  'the sandbox supports only dotted paths into consumer, introspect_data, id_token, userinfo, access_token, request and quoted string or number literals';

export type LuaExp =
  | { kind: 'table'; fields: Array<{ key?: string; value: LuaExp }> }
  | { kind: 'literal'; value: string | number }
  | { kind: 'path'; root: string; segments: Array<string | number> };

const STRING = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')$/s;

function unescape(s: string): string {
  return s.replace(/\\(.)/gs, (_, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c);
}

/** The top-level `,`/`;`-separated fields of a table constructor body (strings and nested braces kept whole). */
function splitFields(body: string): string[] | undefined {
  const out: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    else if ((c === ',' || c === ';') && depth === 0) {
      out.push(body.slice(start, i));
      start = i + 1;
    }
    if (depth < 0) return undefined;
  }
  if (quote || depth !== 0) return undefined;
  const last = body.slice(start);
  if (last.trim() !== '') out.push(last);
  return out;
}

function parseTable(src: string): LuaExp | undefined {
  const parts = splitFields(src.slice(1, -1));
  if (!parts) return undefined;
  const fields: Array<{ key?: string; value: LuaExp }> = [];
  for (const part of parts) {
    const named = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)([\s\S]*)$/.exec(part);
    const value = parseLuaExp(named ? named[2] : part);
    if (!value || part.trim() === '') return undefined;
    fields.push({ key: named?.[1], value });
  }
  return { kind: 'table', fields };
}

/** Parses a supported expression; undefined when the sandbox cannot run it. */
export function parseLuaExp(text: string): LuaExp | undefined {
  const src = text.trim();
  if (src.startsWith('{') && src.endsWith('}')) return parseTable(src);
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
    // a nil value leaves its key out; only positional values make a JSON array (cjson)
    const positional = exp.fields.filter((f) => f.key === undefined).map((f) => evalLuaExp(f.value, env));
    const named = exp.fields.filter((f) => f.key !== undefined);
    if (named.length === 0 && positional.length > 0 && positional.every((v) => v !== undefined)) return positional;
    const out: Record<string, unknown> = {};
    positional.forEach((v, i) => {
      if (v !== undefined) out[String(i + 1)] = v;
    });
    for (const f of named) {
      const v = evalLuaExp(f.value, env);
      if (v !== undefined) out[f.key as string] = v;
    }
    return out;
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
