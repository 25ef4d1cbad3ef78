// oxd's shared Jackson mapper after the first RP save: properties that are
// null, "" or empty containers are left out (oxd.md §2.4; the sandbox always
// emits this null-free form). List elements are written as they are.
// A Jackson JsonNode (an AS answer read with readTree and handed back) is
// written as it is, nulls included: the inclusion rule applies to bean
// properties, not to the members of a tree (Jackson 2.10).

/** A JSON tree passed through unchanged (POJOResponse node, GetTokensByCodeResponse.id_token_claims). */
export class JsonNode {
  constructor(readonly value: unknown) {}

  toJSON(): unknown {
    return this.value;
  }

  /** JsonNode.isEmpty: containers without members. */
  isEmpty(): boolean {
    const v = this.value;
    if (Array.isArray(v)) return v.length === 0;
    if (v !== null && typeof v === 'object') return Object.keys(v).length === 0;
    return false;
  }
}

function isEmptyValue(v: unknown): boolean {
  if (v instanceof JsonNode) return v.isEmpty();
  if (v === null || v === undefined || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v as object).length === 0;
  return false;
}

function clean(v: unknown): unknown {
  if (v instanceof JsonNode) return v;
  if (Array.isArray(v)) return v.map(clean);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
      const c = clean(child);
      if (!isEmptyValue(c)) out[k] = c;
    }
    return out;
  }
  return v;
}

/** JSON text of a response object in the NON_EMPTY form. */
export function nonEmptyJson(value: unknown): string {
  return JSON.stringify(clean(value) ?? null);
}
