// oxd's shared Jackson mapper after the first RP save: properties that are
// null, "" or empty containers are left out (oxd.md §2.4; the sandbox always
// emits this null-free form). List elements are written as they are.

function isEmptyValue(v: unknown): boolean {
  if (v === null || v === undefined || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v as object).length === 0;
  return false;
}

function clean(v: unknown): unknown {
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
