// JsonLogic, the subset scope expressions use. oxAuth (UmaExpressionService)
// and oxd (RsProtectOperation.validateScopeExpression) embed the same library,
// json-logic-java, so both emulations share this evaluator.
// Supported: var (dotted paths, array indexes), and, or, !, !!, ==, ===, !=,
// !==, if / ?:. Anything else throws JsonLogicError.

export class JsonLogicError extends Error {}

export function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return Boolean(v);
}

export function applyJsonLogic(rule: unknown, data: unknown): unknown {
  if (Array.isArray(rule)) return rule.map((r) => applyJsonLogic(r, data));
  if (rule === null || typeof rule !== 'object') return rule;
  const ops = Object.keys(rule);
  if (ops.length !== 1) throw new JsonLogicError('a JsonLogic rule has exactly one operator');
  const op = ops[0];
  const raw = (rule as Record<string, unknown>)[op];
  const args = Array.isArray(raw) ? raw : [raw];
  const arg = (i: number) => applyJsonLogic(args[i], data);
  switch (op) {
    case 'var': {
      const path = arg(0);
      const fallback = args.length > 1 ? arg(1) : null;
      if (path === null || path === undefined || path === '') return data;
      let cur: unknown = data;
      for (const key of String(path).split('.')) {
        if (cur === null || cur === undefined || typeof cur !== 'object') return fallback;
        cur = (cur as Record<string, unknown>)[key];
      }
      return cur === undefined ? fallback : cur;
    }
    case 'and': {
      let last: unknown = null;
      for (let i = 0; i < args.length; i++) {
        last = arg(i);
        if (!truthy(last)) return last;
      }
      return last;
    }
    case 'or': {
      let last: unknown = null;
      for (let i = 0; i < args.length; i++) {
        last = arg(i);
        if (truthy(last)) return last;
      }
      return last;
    }
    case '!':
      return !truthy(arg(0));
    case '!!':
      return truthy(arg(0));
    case '==':
      // JsonLogic's == is loose equality.
      return arg(0) == arg(1);
    case '!=':
      return arg(0) != arg(1);
    case '===':
      return arg(0) === arg(1);
    case '!==':
      return arg(0) !== arg(1);
    case 'if':
    case '?:': {
      let i = 0;
      for (; i + 1 < args.length; i += 2) if (truthy(arg(i))) return arg(i + 1);
      return i < args.length ? arg(i) : null;
    }
    default:
      throw new JsonLogicError(`unsupported JsonLogic operator ${op}`);
  }
}
