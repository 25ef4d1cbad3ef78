// The JsonLogic subset a resource scope_expression uses (oxauth.md §3.3 step
// 4, UmaExpressionService): the rule is applied to the list of per-scope
// policy results, e.g. {"and":[{"var":0},{"var":1}]} with data [true,false].
// Supported operators: var, and, or, !, !!, ==, ===, !=, !==, if. Anything
// else throws, which oxAuth answers as forbidden_by_policy.

import { applyJsonLogic, truthy } from '../lib/json-logic';

/** JsonLogic.apply(rule, data) as a boolean, the way oxAuth reads the result. */
export function jsonLogicTrue(rule: unknown, data: unknown): boolean {
  return truthy(applyJsonLogic(rule, data));
}
