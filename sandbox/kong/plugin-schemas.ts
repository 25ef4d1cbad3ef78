// The config schemas of gluu-uma-auth and gluu-uma-pep as GG 4.2 ships
// them (lib/kong/plugins/gluu-uma-{auth,pep}/schema.lua @ version_4.2.2,
// gateway.md §2) and the `check_expression` validation of
// uma_scope_expression (kong-common.lua, gateway.md §3).
import type { JsonObject } from './json';
import { parseLuaExp, UNSUPPORTED_LUA_MESSAGE } from './lua-exp';
import type { Field, RecordField } from './schema';
import { validateUrl } from './validators';

export const UMA_AUTH = 'gluu-uma-auth';
export const UMA_PEP = 'gluu-uma-pep';
export const OPENID_CONNECT = 'gluu-openid-connect';

/** A Lua runtime error inside a schema validator: Kong's Admin API answers 500. */
export class LuaRuntimeError extends Error {}

export const PASS_CREDENTIALS = ['pass', 'hide', 'phantom_token'] as const;
export const CUSTOM_HEADERS_FORMATS = ['string', 'jwt', 'base64', 'urlencoded', 'list'] as const;

const url = (): Field => ({ type: 'string', required: true, custom: validateUrl });
const requiredString = (): Field => ({ type: 'string', required: true });

const commonFields: Array<[string, Field]> = [
  ['oxd_id', requiredString()],
  ['oxd_url', url()],
  ['client_id', requiredString()],
  ['client_secret', requiredString()],
  ['op_url', url()],
];

/** kong-common.lua check_headers_valid_lua_expression */
function checkHeaders(config: JsonObject): string | undefined {
  const headers = config.custom_headers;
  if (!Array.isArray(headers)) return undefined;
  for (const h of headers) {
    const header = h as JsonObject;
    if (!parseLuaExp(String(header.value_lua_exp))) {
      return `${String(header.header_name)} has not a valid lua expression value, Error: ${UNSUPPORTED_LUA_MESSAGE}`;
    }
  }
  return undefined;
}

const customHeadersField = (): Field => ({
  type: 'array',
  elements: {
    type: 'record',
    fields: [
      ['header_name', requiredString()],
      ['value_lua_exp', requiredString()],
      ['format', { type: 'string', oneOf: CUSTOM_HEADERS_FORMATS }],
      ['sep', { type: 'string' }],
      ['iterate', { type: 'boolean' }],
    ],
  },
});

export const umaAuthConfig: RecordField = {
  type: 'record',
  required: true,
  fields: [
    ...commonFields,
    ['anonymous', { type: 'string', default: ' ' }],
    ['pass_credentials', { type: 'string', default: 'pass', oneOf: PASS_CREDENTIALS }],
    ['consumer_mapping', { type: 'boolean', default: true }],
    ['custom_headers', customHeadersField()],
  ],
  custom: checkHeaders,
};

// ---- check_expression (gateway.md §3), with Lua's semantics of `#` and indexing ----

/** Lua `#x` for a decoded JSON value; non-countable values raise. */
function luaLen(x: unknown): number {
  if (typeof x === 'string') return Buffer.byteLength(x);
  if (Array.isArray(x)) return x.length;
  if (typeof x === 'object' && x !== null) return 0;
  throw new LuaRuntimeError('attempt to get length of a non-table value');
}

/** Lua `t.key` for a decoded JSON value; nil, number, boolean and cjson.null raise. */
function luaIndex(t: unknown, key: string): unknown {
  if (typeof t === 'string') return undefined;
  if (Array.isArray(t)) return undefined;
  if (typeof t === 'object' && t !== null) return (t as Record<string, unknown>)[key];
  throw new LuaRuntimeError(`attempt to index a ${t === null ? 'userdata' : typeof t} value`);
}

/** `not v or #v == 0` */
function missingOrEmpty(v: unknown): boolean {
  if (v === undefined || v === false) return true;
  return luaLen(v) === 0;
}

/** Lua `t[i]` (1-based) on a value that passed a `#` test. */
function luaAt(t: unknown, i: number): unknown {
  if (Array.isArray(t)) return t[i - 1];
  if (typeof t === 'string') return undefined;
  return undefined;
}

export function checkExpression(expression: unknown): string | undefined {
  if (expression === undefined || expression === null) return undefined;
  const paths: unknown[] = [];
  const count = luaLen(expression);
  if (count === 0) return 'Empty expression not allowed';
  for (let k = 1; k <= count; k++) {
    const item = luaAt(expression, k);
    const path = luaIndex(item, 'path');
    if (missingOrEmpty(path)) return 'Path is missing or empty in expression';
    if (typeof path !== 'string') throw new LuaRuntimeError("attempt to call method 'gsub'");
    if ((path.match(/\/\?\?/g) ?? []).length > 1) return 'Multiple ?? patterns in path are not supported';
    if (paths.includes(path)) return 'Duplicate path in expression';
    paths.push(path);
    const conditions = luaIndex(item, 'conditions');
    if (missingOrEmpty(conditions)) return 'Conditions are missing in expression';
    // pl.tablex.merge(t1, t2, true) merges by key, so for arrays index i of the
    // later condition overwrites index i of the earlier ones: the duplicate
    // check only sees the methods of the previous conditions at indexes the
    // current one does not reuse. Reproduced as GG has it.
    let httpMethods: unknown[] = [];
    const nConditions = luaLen(conditions);
    for (let i = 1; i <= nConditions; i++) {
      const condition = luaAt(conditions, i);
      const methods = luaIndex(condition, 'httpMethods');
      if (missingOrEmpty(methods)) return 'HTTP Methods are missing or empty from condition in expression';
      const nMethods = luaLen(methods);
      for (let j = 1; j <= nMethods; j++) {
        if (httpMethods.includes(luaAt(methods, j))) return 'Duplicate http method from conditions in expression';
      }
      const merged = [...httpMethods];
      for (let j = 1; j <= nMethods; j++) merged[j - 1] = luaAt(methods, j);
      httpMethods = merged;
    }
  }
  return undefined;
}

/** cjson.safe.decode: undefined on invalid JSON (Q6: the schema then accepts it). */
export function safeJsonDecode(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function checkPep(config: JsonObject): string | undefined {
  const pushed = config.pushed_claims_lua_exp;
  if (typeof pushed === 'string' && !parseLuaExp(pushed)) {
    return `String not a valid lua expression value, Error: ${UNSUPPORTED_LUA_MESSAGE}`;
  }
  const text = config.uma_scope_expression;
  if (typeof text !== 'string') return undefined;
  return checkExpression(safeJsonDecode(text));
}

/** GG 4.2.2 (Kong 2.2.1) added read_claims_from_pct and claims_gathering_pct_value (GG issue #452). */
export function umaPepConfig(gg422: boolean): RecordField {
  const pctFields: Array<[string, Field]> = gg422
    ? [
        ['read_claims_from_pct', { type: 'boolean', default: false }],
        ['claims_gathering_pct_value', { type: 'string' }],
      ]
    : [];
  return {
    type: 'record',
    required: true,
    fields: [
      ...commonFields,
      ['deny_by_default', { type: 'boolean', default: true }],
      ...pctFields,
      ['require_id_token', { type: 'boolean', default: false }],
      ['obtain_rpt', { type: 'boolean', default: false }],
      ['claims_redirect_path', { type: 'string' }],
      ['redirect_claim_gathering_url', { type: 'boolean', default: false }],
      ['uma_scope_expression', { type: 'string' }],
      ['pushed_claims_lua_exp', { type: 'string' }],
    ],
    custom: checkPep,
  };
}

/** GG 4.2.2 ships with Kong 2.2.1; 4.2.0/4.2.1 with Kong 2.0.4/2.1.1 (gateway.md §0). */
export function isGg422(kongVersion: string): boolean {
  const [major, minor] = kongVersion.split('.').map(Number);
  return major > 2 || (major === 2 && minor >= 2);
}

// ---- gluu-openid-connect (schema.lua lines 5–65 @ version_4.2.2, oidc-uma.md §1.2) ----

/** kong.db.schema.typedefs.timeout (Kong 2.2.1): an integer between 0 and 2^31 − 2. */
const timeout = (): Field => ({ type: 'integer', required: true, between: [0, 2 ** 31 - 2] });

/** custom_validator: the header expressions, then check_expression on cjson.safe.decode(required_acrs_expression). */
function checkOpenIdConnect(config: JsonObject): string | undefined {
  const headersError = checkHeaders(config);
  if (headersError) return headersError;
  const text = config.required_acrs_expression;
  if (typeof text !== 'string') return undefined;
  return checkExpression(safeJsonDecode(text));
}

export const openIdConnectConfig: RecordField = {
  type: 'record',
  required: true,
  fields: [
    ['oxd_id', requiredString()],
    ['oxd_url', url()],
    ['client_id', requiredString()],
    ['client_secret', requiredString()],
    ['op_url', url()],
    ['authorization_redirect_path', requiredString()],
    ['logout_path', { type: 'string' }],
    ['post_logout_redirect_path_or_url', { type: 'string' }],
    ['requested_scopes', { type: 'array', elements: { type: 'string' } }],
    ['max_id_token_age', timeout()],
    ['max_id_token_auth_age', timeout()],
    ['required_acrs_expression', { type: 'string' }],
    ['restore_original_auth_params', { type: 'boolean', default: false }],
    ['custom_headers', customHeadersField()],
  ],
  custom: checkOpenIdConnect,
};
