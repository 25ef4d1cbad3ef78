// oxd's shared Jackson mapper: before the first RP save it writes null
// members; after it, properties that are null, "" or empty containers are
// left out, except for the classes it had already written (SharedMapper,
// oxd.md §2.4). List elements are written as they are.
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

/** The same value as Jackson's default inclusion (ALWAYS) writes it: absent bean properties as null, empties kept. */
function always(v: unknown): unknown {
  if (v instanceof JsonNode) return v;
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : always(x)));
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) out[k] = child === undefined ? null : always(child);
    return out;
  }
  return v;
}

/**
 * oxd's one shared ObjectMapper (Jackson2.java @ oxd 4.2.3, lines 26–60): it starts with Jackson's default
 * inclusion and writes null members; the first RP save goes through `createJsonMapperWithoutEmptyAttributes`,
 * which calls `setSerializationInclusion(NON_NULL)` then `(NON_EMPTY)` on that very mapper (`configure` returns
 * `this`). Jackson keeps each class's BeanSerializer once built and does not rebuild it when the inclusion
 * changes, so a response class first written before that save keeps writing nulls for the life of the process;
 * the others leave null and empty members out (oxd.md §2.4). A fresh sandbox oxd has no stored RPs: its first
 * save is the first successful register-site.
 */
export class SharedMapper {
  private saved = false;
  /** Response classes whose serializer was built before the first RP save. */
  private readonly writingNulls = new Set<string>();

  /** Jackson2.serializeWithoutNulls(rp) in the persistence's create/update. */
  rpSaved(): void {
    this.saved = true;
  }

  /** JSON text of a response of Java class `javaClass` (its properties present, `undefined` = null). */
  write(javaClass: string, value: unknown): string {
    if (!this.saved) this.writingNulls.add(javaClass);
    if (this.writingNulls.has(javaClass)) return JSON.stringify(always(value) ?? null);
    return nonEmptyJson(value);
  }
}
