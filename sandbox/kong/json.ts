// JSON as Kong 2.2 writes it: lua-cjson with its default settings, which
// escape every "/" as "\/" (Kong never turns encode_escape_forward_slash
// off). Parsers read both forms alike; the bytes match the real product.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function cjsonEncode(value: unknown): string {
  // "/" only ever occurs inside string literals of JSON text.
  return JSON.stringify(value).replace(/\//g, '\\/');
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function deepCopy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
