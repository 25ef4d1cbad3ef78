// GG's method/path matcher (lib/gluu/path-wildcard-tree.lua and
// method-path-tree-cache.lua @ version_4.2.2, gateway.md §5): the
// uma_scope_expression becomes a tree whose first level is the HTTP method;
// `?` = one element (may be empty), `??` = zero or more elements, `{re}` = one
// element matched by an unanchored regex. Priority per level: exact > regex
// (insertion order) > `?` > `??`; no backtracking except the search inside
// `??`; `/x/??` also matches `/x` and wins over an exact `/x` (Q5).

/** One rule of the expression for one method: the registered path plus the condition's other keys. */
export interface Rule {
  path: string;
  [key: string]: unknown;
}

interface Node {
  /** Literal children, and the `?` / `??` wildcard children under those very keys (as the Lua table has them). */
  children: Map<string, Node>;
  /** `{regex}` children in insertion order (the table's array part). */
  regexes: RegexNode[];
  rule?: Rule;
}

interface RegexNode extends Node {
  source: string;
  compiled: RegExp | null;
}

export type Tree = Node;

/** A Lua error raised while building or walking the tree: Kong answers 500 (R12). */
export class MatcherError extends Error {}

const WILDCARD = '?';
const WILDCARD_MULTIPLE = '??';
const EXPRESSION_KEY = '#';
const REGEXP_KEY = '##';

const newNode = (): Node => ({ children: new Map(), regexes: [] });

/** path_split: every "/"-led element, so a trailing "/" yields an empty last element. */
export function splitPath(s: string): string[] {
  const out: string[] = [];
  const re = /\/([^/]*)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) out.push(m[1]);
  return out;
}

/**
 * `foldCase` (fix-path-variants-protected only, SEC-W11): literal elements are
 * kept in lower case and `{regex}` elements compile case-insensitively, so a
 * lower-cased request path matches them as the website's router would.
 */
export function addPath(tree: Tree, method: unknown, path: string, rule: Rule, foldCase = false): void {
  if (typeof method !== 'string') throw new MatcherError(`attempt to index local 'method' (a ${typeof method} value)`);
  if (method === WILDCARD_MULTIPLE) throw new MatcherError('assertion failed!');
  if (/^\{(.+)\}$/.test(method)) throw new MatcherError('assertion failed!');
  let node = tree;
  for (const [index, raw] of splitPath(`/${method}${path}`).entries()) {
    const regexp = /^\{(.+)\}$/.exec(raw)?.[1];
    const item = foldCase && index > 0 && regexp === undefined ? raw.toLowerCase() : raw;
    if (item !== WILDCARD && item !== WILDCARD_MULTIPLE && regexp !== undefined) {
      let found = node.regexes.filter((r) => r.source === regexp).pop();
      if (!found) {
        let compiled: RegExp | null;
        try {
          compiled = new RegExp(regexp, foldCase ? 'i' : '');
        } catch {
          compiled = null;
        }
        found = { ...newNode(), source: regexp, compiled };
        node.regexes.push(found);
      }
      node = found;
    } else {
      let next = node.children.get(item);
      if (!next) {
        next = newNode();
        node.children.set(item, next);
      }
      node = next;
    }
  }
  node.rule = rule;
}

/**
 * What the match walks over. In the Lua tree the rule sits in its node under the key `#` (EXPRESSION_KEY) and a
 * regex node keeps its source under `##` (REGEXP_KEY), beside the path elements (path-wildcard-tree.lua lines
 * 18–19, 69 @ version_4.2.2); processItem looks a request element up with `node[item]` first, so an element `#`
 * (`/x/%23`, ngx.var.uri is decoded) steps into the rule table, and the walk goes on in whatever Lua finds there:
 * the rule's JSON members, a string (whose metatable indexes the string library), a function.
 */
type Cursor = Node | LuaFunction | unknown;

/** A string-library function reached by indexing a string (`("/x").len`). */
interface LuaFunction {
  luaFunction: string;
}

/** LuaJIT 2.1's string table: what `s[key]` finds for a string s. */
const STRING_LIBRARY = new Set(['byte', 'char', 'dump', 'find', 'format', 'gmatch', 'gsub', 'len', 'lower', 'match', 'rep', 'reverse', 'sub', 'upper']);

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && (v as Node).children instanceof Map;
}

function isLuaFunction(v: unknown): v is LuaFunction {
  return typeof v === 'object' && v !== null && typeof (v as LuaFunction).luaFunction === 'string';
}

function isRegexNode(n: Node): n is RegexNode {
  return typeof (n as RegexNode).source === 'string';
}

/** The Lua type name in "attempt to index a … value". */
function luaTypeName(v: unknown): string {
  if (v === undefined) return 'nil';
  if (v === null) return 'userdata'; // cjson.null
  if (isLuaFunction(v)) return 'function';
  return typeof v === 'object' ? 'table' : typeof v;
}

const truthy = (v: unknown): boolean => v !== undefined && v !== false;

/** `t[key]` with Lua semantics (a string key and an integer key are different keys). */
function luaIndex(t: Cursor, key: string | number): Cursor {
  if (isNode(t)) {
    if (typeof key === 'number') return t.regexes[key - 1];
    if (key === EXPRESSION_KEY) return t.rule ?? t.children.get(key);
    if (key === REGEXP_KEY && isRegexNode(t)) return t.source;
    return t.children.get(key);
  }
  if (typeof t === 'string') return typeof key === 'string' && STRING_LIBRARY.has(key) ? { luaFunction: `string.${key}` } : undefined;
  if (Array.isArray(t)) return typeof key === 'number' ? t[key - 1] : undefined; // cjson arrays: integer keys only
  if (typeof t === 'object' && t !== null && !isLuaFunction(t)) {
    return typeof key === 'string' && Object.prototype.hasOwnProperty.call(t, key) ? (t as Record<string, unknown>)[key] : undefined;
  }
  throw new MatcherError(`attempt to index local 'node' (a ${luaTypeName(t)} value)`);
}

/** `#t`: a node's array part is its regex children; a string's length is its byte count. */
function luaLength(t: Cursor): number {
  if (isNode(t)) return t.regexes.length;
  if (typeof t === 'string') return Buffer.byteLength(t);
  if (Array.isArray(t)) return t.length;
  if (typeof t === 'object' && t !== null && !isLuaFunction(t)) return 0;
  throw new MatcherError(`attempt to get length of local 'node' (a ${luaTypeName(t)} value)`);
}

/** isKeysExist: any key but `#` (pairs() of a non-table raises). */
function hasKeys(t: Cursor): boolean {
  if (isNode(t)) return t.children.size > 0 || t.regexes.length > 0 || isRegexNode(t);
  if (Array.isArray(t)) return t.length > 0;
  if (typeof t === 'object' && t !== null && !isLuaFunction(t)) return Object.keys(t).some((k) => k !== EXPRESSION_KEY);
  throw new MatcherError(`bad argument #1 to 'for iterator' (table expected, got ${luaTypeName(t)})`);
}

/**
 * processItem: [next cursor, matched by `??`]; undefined = no match at this level.
 * `apart` (fix-hash-element-protected, SEC-GW-05): a request element is looked up among the path elements
 * only, never as the tree's own `#` / `##` keys, so the walk never leaves the tree.
 */
function processItem(node: Cursor, parts: string[], index: number, apart = false): [Cursor, boolean] | undefined {
  const item = parts[index - 1];
  const exact = apart && isNode(node) ? node.children.get(item) : luaIndex(node, item);
  if (truthy(exact)) return [exact, false];
  const count = luaLength(node);
  for (let i = 1; i <= count; i++) {
    const child = luaIndex(node, i);
    if (isNode(node)) {
      const r = child as RegexNode;
      // ngx.re.match error → print and give up on this level
      if (!r.compiled) return undefined;
      if (r.compiled.test(item)) return [r, false];
      continue;
    }
    // Not a tree node (the walk went through `#`): `node[i][REGEXP_KEY]` as Lua evaluates it.
    const regexp = luaIndex(child, REGEXP_KEY);
    if (typeof regexp !== 'string') throw new MatcherError(`bad argument #2 to 'match' (string expected, got ${luaTypeName(regexp)})`);
    let compiled: RegExp;
    try {
      compiled = new RegExp(regexp);
    } catch {
      return undefined;
    }
    if (compiled.test(item)) return [child, false];
  }
  const wildcard = luaIndex(node, WILDCARD);
  if (truthy(wildcard)) return [wildcard, false];
  const multiple = luaIndex(node, WILDCARD_MULTIPLE);
  if (truthy(multiple)) {
    if (hasKeys(multiple)) {
      const n = parts.length;
      // skip = -1: `??` takes no element; each further skip lets it take one more.
      for (let skip = -1; skip <= n - index; skip++) {
        let local: Cursor = multiple;
        let last: number | undefined;
        for (let j = 1; j <= n - index - skip; j++) {
          local = processItem(local, parts, index + skip + j, apart)?.[0];
          if (!truthy(local)) break;
          last = index + skip + j;
        }
        if (last === n && truthy(luaIndex(local, EXPRESSION_KEY))) return [local, true];
      }
    }
    if (truthy(luaIndex(multiple, EXPRESSION_KEY))) return [multiple, true];
  }
  return undefined;
}

/**
 * What get_path_by_request_path_method does with matchPath's result (kong-common.lua lines 423–426):
 * `rule.path` of a table; a string has no `path` (nil); a number, boolean or cjson.null raises.
 */
function asRule(v: Cursor): Rule | undefined {
  if (!truthy(v)) return undefined;
  if (isNode(v) || typeof v === 'string' || Array.isArray(v)) return undefined; // no string `path` member
  if (typeof v !== 'object' || v === null || isLuaFunction(v)) throw new MatcherError(`attempt to index local 'rule' (a ${luaTypeName(v)} value)`);
  return typeof (v as Rule).path === 'string' ? (v as Rule) : undefined;
}

/** `rulesApart`: the fix-hash-element-protected profile (SEC-GW-05); stock GG looks `#` up as the rule key. */
export function matchPath(tree: Tree, method: string, path: string, rulesApart = false): Rule | undefined {
  const parts = splitPath(`/${method}${path}`);
  let node: Cursor = tree;
  let last: number | undefined;
  for (let i = 1; i <= parts.length; i++) {
    const step: [Cursor, boolean] | undefined = processItem(node, parts, i, rulesApart);
    if (step?.[1]) return asRule(luaIndex(step[0], EXPRESSION_KEY));
    node = step?.[0];
    if (!truthy(node)) break;
    last = i;
  }
  if (last === parts.length && truthy(node)) {
    // corner case: protected /test/??, request /test
    const multiple = luaIndex(node, WILDCARD_MULTIPLE);
    if (truthy(multiple) && truthy(luaIndex(multiple, EXPRESSION_KEY))) return asRule(luaIndex(multiple, EXPRESSION_KEY));
    if (truthy(luaIndex(node, EXPRESSION_KEY))) return asRule(luaIndex(node, EXPRESSION_KEY));
  }
  return undefined;
}

/** convert_scope_expression_to_path_wildcard_tree */
export function buildTree(expression: unknown, foldCase = false): Tree | undefined {
  if (expression === null || expression === undefined) return undefined;
  const tree = newNode();
  const items = Array.isArray(expression) ? expression : [];
  for (const item of items as Array<Record<string, unknown>>) {
    const conditions = item?.conditions;
    if (!Array.isArray(conditions)) throw new MatcherError("attempt to get length of field 'conditions'");
    for (const condition of conditions as Array<Record<string, unknown>>) {
      const methods = condition?.httpMethods;
      if (!Array.isArray(methods)) throw new MatcherError("attempt to get length of field 'httpMethods'");
      for (const method of methods) {
        const rule: Rule = { path: String(item.path) };
        for (const [k, v] of Object.entries(condition)) if (k !== 'httpMethods') rule[k] = v;
        addPath(tree, method, String(item.path), rule, foldCase);
      }
    }
  }
  return tree;
}

const TREE_CACHE_SIZE = 100;
const treeCache = new Map<string, Tree | undefined>();

/**
 * method-path-tree-cache.lua: the tree for an expression text. The strict
 * cjson.decode raises on invalid JSON, so a bad uma_scope_expression (which
 * the schema accepted, Q6) fails every request with a Lua error.
 */
export function treeFor(expressionText: string, foldCase = false): Tree | undefined {
  // A folded tree is cached apart ("fold\n" cannot start a JSON text that decodes).
  const cacheKey = foldCase ? `fold\n${expressionText}` : expressionText;
  if (treeCache.has(cacheKey)) return treeCache.get(cacheKey);
  let decoded: unknown;
  try {
    decoded = JSON.parse(expressionText);
  } catch (e) {
    throw new MatcherError(`Expected value but found invalid token: ${(e as Error).message}`);
  }
  const tree = buildTree(decoded, foldCase);
  if (treeCache.size >= TREE_CACHE_SIZE) treeCache.delete(treeCache.keys().next().value as string);
  treeCache.set(cacheKey, tree);
  return tree;
}

/**
 * fix-path-variants-protected (SEC-W11): the rule for a path as an Express
 * router with its defaults (not case-sensitive, not strict) would route it:
 * the path lower-cased against a `foldCase` tree, then with one trailing
 * slash added or removed. Stock GG has only matchPath: exact and
 * case-sensitive (path-wildcard-tree.lua), oidc-uma.md §6 W11.
 */
export function matchPathLikeWebsite(foldedTree: Tree, method: string, path: string, rulesApart = false): Rule | undefined {
  const lower = path.toLowerCase();
  const rule = matchPath(foldedTree, method, lower, rulesApart);
  if (rule) return rule;
  const toggled = lower.endsWith('/') ? lower.slice(0, -1) : `${lower}/`;
  return toggled === '' ? undefined : matchPath(foldedTree, method, toggled, rulesApart);
}

/** The method names the tree's first level knows (used by the `method-ignored` fault). */
export function treeMethods(tree: Tree): string[] {
  return [...tree.children.keys()];
}
