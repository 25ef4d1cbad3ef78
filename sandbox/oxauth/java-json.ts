// How oxAuth puts JSON on the wire. Two libraries are in play:
// * org.json (`JSONObject`): error bodies (`toString(4)`), registration,
//   OIDC discovery, token and introspection answers (`toString()`). Its
//   objects are java.util.HashMap, so key order is the HashMap iteration
//   order, which javaHashOrder reproduces.
// * Jackson (`ServerUtil.asJson`, the UMA metadata pretty printer): POJO
//   field order, nulls included.
// Source: oxAuth Model/…/error/ErrorResponse.toJSonString, org.json 20180813
// JSONObject.write / JSONArray.write, Jackson DefaultPrettyPrinter.

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** java.lang.String#hashCode over UTF-16 code units. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * Iteration order of a java.util.HashMap (or HashSet) into which `keys` were
 * put in this order, starting from the default capacity 16 (load factor 0.75).
 * Resizing keeps the relative order inside a bucket, so the final order is the
 * bucket index at the final capacity, ties in insertion order.
 */
export function javaHashOrder(keys: readonly string[]): string[] {
  const unique = [...new Set(keys)];
  let capacity = 16;
  while (unique.length > capacity * 0.75) capacity *= 2;
  return unique
    .map((key, index) => {
      const h = javaStringHash(key);
      return { key, index, bucket: (h ^ (h >>> 16)) & (capacity - 1) };
    })
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((e) => e.key);
}

/** org.json JSONObject.quote: also escapes "</" and U+0080–U+009F, U+2000–U+20FF. */
function orgQuote(s: string): string {
  let out = '"';
  let prev = '';
  for (const c of s) {
    const code = c.charCodeAt(0);
    if (c === '\\' || c === '"') out += '\\' + c;
    else if (c === '/') out += prev === '<' ? '\\/' : '/';
    else if (c === '\b') out += '\\b';
    else if (c === '\t') out += '\\t';
    else if (c === '\n') out += '\\n';
    else if (c === '\f') out += '\\f';
    else if (c === '\r') out += '\\r';
    else if (code < 0x20 || (code >= 0x80 && code < 0xa0) || (code >= 0x2000 && code < 0x2100)) {
      out += '\\u' + code.toString(16).padStart(4, '0');
    } else out += c;
    prev = c;
  }
  return out + '"';
}

function orgValue(v: JsonValue, indentFactor: number, indent: number): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return orgQuote(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return orgArray(v, indentFactor, indent);
  return orgObject(v, indentFactor, indent);
}

function orgArray(a: JsonValue[], indentFactor: number, indent: number): string {
  if (a.length === 0) return '[]';
  if (a.length === 1) return '[' + orgValue(a[0], indentFactor, indent) + ']';
  const inner = indent + indentFactor;
  const nl = indentFactor > 0 ? '\n' : '';
  const parts = a.map((v) => nl + ' '.repeat(inner) + orgValue(v, indentFactor, inner));
  return '[' + parts.join(',') + nl + ' '.repeat(indentFactor > 0 ? indent : 0) + ']';
}

function orgObject(o: JsonObject, indentFactor: number, indent: number): string {
  const keys = javaHashOrder(Object.keys(o));
  const sep = indentFactor > 0 ? ': ' : ':';
  if (keys.length === 0) return '{}';
  if (keys.length === 1) return '{' + orgQuote(keys[0]) + sep + orgValue(o[keys[0]], indentFactor, indent) + '}';
  const inner = indent + indentFactor;
  const nl = indentFactor > 0 ? '\n' : '';
  const parts = keys.map((k) => nl + ' '.repeat(inner) + orgQuote(k) + sep + orgValue(o[k], indentFactor, inner));
  return '{' + parts.join(',') + nl + ' '.repeat(indentFactor > 0 ? indent : 0) + '}';
}

/**
 * org.json `toString(indentFactor)`. oxAuth follows most pretty-printed
 * bodies with `.replace("\\/", "/")`; pass unescapeSlash for those.
 */
export function orgJson(value: JsonValue, indentFactor = 0, unescapeSlash = false): string {
  const text = orgValue(value, indentFactor, 0);
  return unescapeSlash ? text.split('\\/').join('/') : text;
}

/** Jackson ObjectMapper#writeValueAsString: declared field order, nulls kept. */
export function jacksonCompact(value: JsonValue): string {
  return JSON.stringify(value);
}

/** Jackson DefaultPrettyPrinter: `"key" : value`, two-space indent, arrays inline, `[ ]` when empty. */
export function jacksonPretty(value: JsonValue, indent = 0): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[ ]';
    return '[ ' + value.map((v) => jacksonPretty(v, indent)).join(', ') + ' ]';
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return '{ }';
  const pad = ' '.repeat(indent + 2);
  const lines = keys.map((k) => pad + JSON.stringify(k) + ' : ' + jacksonPretty(value[k], indent + 2));
  return '{\n' + lines.join(',\n') + '\n' + ' '.repeat(indent) + '}';
}
