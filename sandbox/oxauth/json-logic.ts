// The JsonLogic subset a resource scope_expression uses (oxauth.md §3.3 step
// 4, UmaExpressionService): the rule is applied to the list of per-scope
// policy results, e.g. {"and":[{"var":0},{"var":1}]} with data [true,false].
// Supported operators: var, and, or, !, !!, ==, ===, !=, !==, if. Anything
// else throws, which oxAuth answers as forbidden_by_policy.

type Rule = unknown;

function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return Boolean(v);
}

function looseEquals(a: unknown, b: unknown): boolean {
  // JsonLogic's == is JavaScript's loose equality.
  return a == b;
}

export class JsonLogicError extends Error {}

export function applyJsonLogic(rule: Rule, data: unknown): unknown {
  if (Array.isArray(rule)) return rule.map((r) => applyJsonLogic(r, data));
  if (rule === null || typeof rule !== 'object') return rule;
  const ops = Object.keys(rule);
  if (ops.length !== 1) throw new JsonLogicError('a rule has exactly one operator');
  const op = ops[0];
  const raw = (rule as Record<string, unknown>)[op];
  const args = Array.isArray(raw) ? raw : [raw];
  switch (op) {
    case 'var': {
      const path = applyJsonLogic(args[0], data);
      const fallback = args.length > 1 ? applyJsonLogic(args[1], data) : null;
      if (path === null || path === undefined || path === '') return data;
      let cur: unknown = data;
      for (const key of String(path).split('.')) {
        if (cur === null || cur === undefined || typeof cur !== 'object') return fallback;
        cur = (cur as Record<string, unknown>)[key];
      }
      return cur === undefined ? fallback : cur;
    }
    case 'and': {
      let last: unknown = undefined;
      for (const a of args) {
        last = applyJsonLogic(a, data);
        if (!truthy(last)) return last;
      }
      return last;
    }
    case 'or': {
      let last: unknown = undefined;
      for (const a of args) {
        last = applyJsonLogic(a, data);
        if (truthy(last)) return last;
      }
      return last;
    }
    case '!':
      return !truthy(applyJsonLogic(args[0], data));
    case '!!':
      return truthy(applyJsonLogic(args[0], data));
    case '==':
      return looseEquals(applyJsonLogic(args[0], data), applyJsonLogic(args[1], data));
    case '!=':
      return !looseEquals(applyJsonLogic(args[0], data), applyJsonLogic(args[1], data));
    case '===':
      return applyJsonLogic(args[0], data) === applyJsonLogic(args[1], data);
    case '!==':
      return applyJsonLogic(args[0], data) !== applyJsonLogic(args[1], data);
    case 'if': {
      let i = 0;
      for (; i + 1 < args.length; i += 2) {
        if (truthy(applyJsonLogic(args[i], data))) return applyJsonLogic(args[i + 1], data);
      }
      return i < args.length ? applyJsonLogic(args[i], data) : null;
    }
    default:
      throw new JsonLogicError(`unsupported operator ${op}`);
  }
}

/** JsonLogic.apply(rule, data) as a boolean, the way oxAuth reads the result. */
export function jsonLogicTrue(rule: Rule, data: unknown): boolean {
  return truthy(applyJsonLogic(rule, data));
}
