// The scope-expression check of uma-rs-protect (RsProtectOperation
// .validateScopeExpression, oxd.md §4.6): the expression must parse as a
// JsonLogicNode {"rule": <JsonLogic>, "data": [scopes…]} and applying the
// rule to the data must yield one of the data scopes (sandbox/lib/json-logic.ts).
import type { JsonValue } from './params';
import { applyJsonLogic } from '../lib/json-logic';

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

/** Object.toString() of the JsonLogic result. */
function javaToString(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(javaToString).join(', ')}]`;
  return String(v);
}

/** validateScopeExpression: the rule must evaluate to one of the data scopes. */
export function scopeExpressionYieldsDataScope(node: JsonLogicNode): boolean {
  try {
    const result = applyJsonLogic(node.rule, node.data);
    return result !== null && result !== undefined && node.data.includes(javaToString(result));
  } catch {
    return false;
  }
}
