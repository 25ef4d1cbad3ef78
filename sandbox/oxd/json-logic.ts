// The scope-expression check of uma-rs-protect (RsProtectOperation
// .validateScopeExpression, oxd.md §4.6): the expression must parse as a
// JsonLogicNode {"rule": <JsonLogic>, "data": [scopes…]} and applying the
// rule to the data must yield one of the data scopes. A small JsonLogic
// evaluator covers the operators scope expressions use.
import type { JsonValue } from './params';

export interface JsonLogicNode {
  rule: JsonValue;
  data: (string | null)[];
}

/** JsonLogicNodeParser.parseNode: null when the JSON does not bind to {rule, data: List<String>}. */
export function parseJsonLogicNode(expr: JsonValue | undefined): JsonLogicNode | null {
  if (expr === null || expr === undefined || typeof expr !== 'object' || Array.isArray(expr)) return null;
  const data = expr.data;
  if (data !== undefined && data !== null && !Array.isArray(data)) return null;
  const list: (string | null)[] = [];
  for (const d of data ?? []) {
    if (d !== null && typeof d === 'object') return null;
    list.push(d === null ? null : String(d));
  }
  return { rule: expr.rule ?? null, data: list };
}

/** JsonLogicNode.isValid: non-empty data and a rule. */
export function isValidNode(node: JsonLogicNode | null): node is JsonLogicNode {
  return node !== null && node.data.length > 0 && node.rule !== null;
}

class UnsupportedOperation extends Error {}

function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return Boolean(v);
}

function evaluate(rule: JsonValue, data: (string | null)[]): unknown {
  if (Array.isArray(rule)) return rule.map((r) => evaluate(r, data));
  if (rule === null || typeof rule !== 'object') return rule;
  const ops = Object.keys(rule);
  if (ops.length !== 1) throw new UnsupportedOperation('a JsonLogic rule has exactly one operator');
  const op = ops[0];
  const raw = rule[op];
  const args = Array.isArray(raw) ? raw : [raw];
  switch (op) {
    case 'var': {
      const key = evaluate(args[0], data);
      if (key === null || key === undefined || key === '') return data;
      const index = Number(key);
      const value = Number.isInteger(index) ? data[index] : undefined;
      return value === undefined ? (args.length > 1 ? evaluate(args[1], data) : null) : value;
    }
    case 'and': {
      let last: unknown = null;
      for (const a of args) {
        last = evaluate(a, data);
        if (!truthy(last)) return last;
      }
      return last;
    }
    case 'or': {
      let last: unknown = null;
      for (const a of args) {
        last = evaluate(a, data);
        if (truthy(last)) return last;
      }
      return last;
    }
    case '!':
      return !truthy(evaluate(args[0], data));
    case '!!':
      return truthy(evaluate(args[0], data));
    case 'if':
    case '?:': {
      let i = 0;
      for (; i + 1 < args.length; i += 2) if (truthy(evaluate(args[i], data))) return evaluate(args[i + 1], data);
      return i < args.length ? evaluate(args[i], data) : null;
    }
    case '==':
    case '===':
      return evaluate(args[0], data) === evaluate(args[1], data);
    case '!=':
    case '!==':
      return evaluate(args[0], data) !== evaluate(args[1], data);
    default:
      throw new UnsupportedOperation(`unsupported JsonLogic operator ${op}`);
  }
}

/** Object.toString() of the JsonLogic result. */
function javaToString(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(javaToString).join(', ')}]`;
  return String(v);
}

/** validateScopeExpression: the rule must evaluate to one of the data scopes. */
export function scopeExpressionYieldsDataScope(node: JsonLogicNode): boolean {
  try {
    const result = evaluate(node.rule, node.data);
    return result !== null && result !== undefined && node.data.includes(javaToString(result));
  } catch {
    return false;
  }
}
