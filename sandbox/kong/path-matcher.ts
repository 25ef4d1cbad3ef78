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

function hasKeys(node: Node): boolean {
  return node.children.size > 0 || node.regexes.length > 0;
}

/** processItem: [next node, matched by `??`]; undefined = no match at this level. */
function processItem(node: Node, parts: string[], index: number): [Node, boolean] | undefined {
  const item = parts[index - 1];
  const exact = node.children.get(item);
  if (exact) return [exact, false];
  for (const r of node.regexes) {
    // ngx.re.match error → print and give up on this level
    if (!r.compiled) return undefined;
    if (r.compiled.test(item)) return [r, false];
  }
  const wildcard = node.children.get(WILDCARD);
  if (wildcard) return [wildcard, false];
  const multiple = node.children.get(WILDCARD_MULTIPLE);
  if (multiple) {
    if (hasKeys(multiple)) {
      const n = parts.length;
      // skip = -1: `??` takes no element; each further skip lets it take one more.
      for (let skip = -1; skip <= n - index; skip++) {
        let local: Node | undefined = multiple;
        let last: number | undefined;
        for (let j = 1; j <= n - index - skip; j++) {
          local = processItem(local, parts, index + skip + j)?.[0];
          if (!local) break;
          last = index + skip + j;
        }
        if (last === n && local?.rule) return [local, true];
      }
    }
    if (multiple.rule) return [multiple, true];
  }
  return undefined;
}

export function matchPath(tree: Tree, method: string, path: string): Rule | undefined {
  const parts = splitPath(`/${method}${path}`);
  let node: Node | undefined = tree;
  let last: number | undefined;
  for (let i = 1; i <= parts.length; i++) {
    const step: [Node, boolean] | undefined = processItem(node, parts, i);
    if (step?.[1]) return step[0].rule;
    node = step?.[0];
    if (!node) break;
    last = i;
  }
  if (last === parts.length && node) {
    // corner case: protected /test/??, request /test
    const multiple = node.children.get(WILDCARD_MULTIPLE);
    if (multiple?.rule) return multiple.rule;
    if (node.rule) return node.rule;
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
export function matchPathLikeWebsite(foldedTree: Tree, method: string, path: string): Rule | undefined {
  const lower = path.toLowerCase();
  const rule = matchPath(foldedTree, method, lower);
  if (rule) return rule;
  const toggled = lower.endsWith('/') ? lower.slice(0, -1) : `${lower}/`;
  return toggled === '' ? undefined : matchPath(foldedTree, method, toggled);
}

/** The method names the tree's first level knows (used by the `method-ignored` fault). */
export function treeMethods(tree: Tree): string[] {
  return [...tree.children.keys()];
}
