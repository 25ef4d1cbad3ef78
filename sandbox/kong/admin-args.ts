// Form-encoded Admin API bodies (kong/api/arguments.lua, utils.decode_args):
// `config.anonymous=…` nests, `hosts[]=a&hosts[]=b` and repeated keys make
// arrays, and values are inferred from the schema (numbers, booleans, a
// lone value for an array field, "" → null).
import { isJsonObject, type Json, type JsonObject } from './json';
import type { Field, SchemaDef } from './schema';

type Tree = { [key: string]: Json | Tree };

type Token = { key: string } | { index: number | 'push' };

/** `config.custom_headers[1].header_name` → config / custom_headers / [1] / header_name (1-based, `[]` appends). */
function tokens(name: string): Token[] {
  const out: Token[] = [];
  for (const part of name.split('.')) {
    const m = /^([^[]*)((?:\[\d*\])*)$/.exec(part);
    if (!m) {
      out.push({ key: part });
      continue;
    }
    if (m[1] !== '') out.push({ key: m[1] });
    for (const idx of m[2].match(/\[(\d*)\]/g) ?? []) {
      const n = idx.slice(1, -1);
      out.push({ index: n === '' ? 'push' : Math.max(1, Number(n)) });
    }
  }
  return out;
}

function setPath(target: Tree, name: string, value: Json): void {
  const path = tokens(name);
  let node: Tree | Json[] = target;
  path.forEach((token, i) => {
    const last = i === path.length - 1;
    const fresh = (): Tree | Json[] => ('index' in (path[i + 1] ?? { key: '' }) ? [] : {});
    if ('key' in token) {
      const obj = node as Tree;
      if (last) {
        const existing = obj[token.key];
        obj[token.key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing as Json, value];
        return;
      }
      const next = obj[token.key];
      if (typeof next !== 'object' || next === null) obj[token.key] = fresh() as Json;
      node = obj[token.key] as Tree | Json[];
      return;
    }
    if (!Array.isArray(node)) return;
    const arr: Json[] = node;
    const at = token.index === 'push' ? arr.length : token.index - 1;
    if (last) {
      arr[at] = value;
      return;
    }
    if (typeof arr[at] !== 'object' || arr[at] === null) arr[at] = fresh() as Json;
    node = arr[at] as Tree | Json[];
  });
}

function inferValue(value: Json | undefined, field: Field | undefined, schemaOf: (f: Field) => SchemaDef | undefined): Json | undefined {
  if (value === undefined || !field) return value;
  if (value === '' || value === null) return null;
  switch (field.type) {
    case 'integer':
    case 'number':
      return typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : value;
    case 'boolean':
      return value === 'true' ? true : value === 'false' ? false : value;
    case 'array':
    case 'set': {
      const list = Array.isArray(value) ? value : [value];
      return list.map((v) => inferValue(v, field.elements, schemaOf) as Json);
    }
    case 'record':
    case 'foreign': {
      const schema = schemaOf(field);
      return isJsonObject(value) && schema ? infer(value, schema, schemaOf) : value;
    }
    default:
      return value;
  }
}

function infer(args: JsonObject, schema: SchemaDef, schemaOf: (f: Field) => SchemaDef | undefined): JsonObject {
  const out: JsonObject = { ...args };
  for (const [name, field] of schema.fields) {
    if (out[name] !== undefined) out[name] = inferValue(out[name], field, schemaOf) as Json;
  }
  return out;
}

/** Decodes `application/x-www-form-urlencoded` the way Kong's Admin API does. */
export function decodeFormBody(body: string, schemaFor: (args: JsonObject) => SchemaDef): JsonObject {
  const tree: Tree = {};
  for (const pair of body.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    let name: string;
    let value: Json;
    try {
      // A key without "=" is `true` in ngx.req.get_post_args.
      name = decode(eq === -1 ? pair : pair.slice(0, eq));
      value = eq === -1 ? true : decode(pair.slice(eq + 1));
    } catch {
      continue;
    }
    setPath(tree, name, value);
  }
  const args = tree as JsonObject;
  const schemaOf = (f: Field): SchemaDef | undefined => (f.type === 'record' ? f : f.type === 'foreign' ? { fields: [['id', { type: 'string' }]] } : undefined);
  return infer(args, schemaFor(args), schemaOf);
}
