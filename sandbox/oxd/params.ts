// Binds a request body to a command's parameter class the way oxd's
// `RestResource.read` does with Jackson (oxd.md §1): empty body = `{}`,
// unknown fields ignored, scalars coerced where Jackson coerces them, and
// any failure → ParamsError carrying Jackson's message.
import { ParamsError } from './errors';
import { JsonSyntaxError, location, readJackson, tokenName, type JNode } from './jackson-json';

export type FieldKind = 'string' | 'stringList' | 'boolean' | 'integer' | 'stringMap' | 'node' | { listOf: ClassSpec };

export interface ClassSpec {
  /** Java class name, as Jackson prints it in messages. */
  javaClass: string;
  fields: Record<string, FieldKind>;
}

/** Plain JSON-like value (what a JsonNode field holds). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A bound parameter object; absent fields are undefined, JSON null is null. */
export type Params = Record<string, unknown>;

const LIST_TYPE = 'java.util.ArrayList';
const STRING_LIST_TYPE = 'java.util.ArrayList<java.lang.String>';
const MAP_TYPE = 'java.util.LinkedHashMap';
const STRING_MAP_TYPE = 'java.util.LinkedHashMap<java.lang.String,java.lang.String>';

class Binder {
  constructor(private readonly text: string) {}

  private fail(message: string, node: JNode, chain: string[]): never {
    const through = chain.length ? ` (through reference chain: ${chain.join('->')})` : '';
    throw new ParamsError(`${message}\n${location(this.text, node.pos)}${through}`);
  }

  private mismatch(type: string, node: JNode, chain: string[]): never {
    this.fail(`Cannot deserialize instance of \`${type}\` out of ${tokenName(node)} token`, node, chain);
  }

  bindClass(spec: ClassSpec, node: JNode, chain: string[]): Params | null {
    if (node.kind === 'null') return null;
    if (node.kind === 'string') {
      this.fail(
        `Cannot construct instance of \`${spec.javaClass}\` (although at least one Creator exists): no String-argument constructor/factory method to deserialize from String value ('${node.value}')`,
        node,
        chain,
      );
    }
    if (node.kind === 'number') {
      this.fail(
        `Cannot construct instance of \`${spec.javaClass}\` (although at least one Creator exists): no ${node.integral ? 'int/Int' : 'double/Double'}-argument constructor/factory method to deserialize from Number value (${node.text})`,
        node,
        chain,
      );
    }
    if (node.kind === 'boolean') {
      this.fail(
        `Cannot construct instance of \`${spec.javaClass}\` (although at least one Creator exists): no boolean/Boolean-argument constructor/factory method to deserialize from boolean value (${node.value})`,
        node,
        chain,
      );
    }
    if (node.kind !== 'object') this.mismatch(spec.javaClass, node, chain);
    const out: Params = {};
    for (const [name, value] of node.entries) {
      const kind = spec.fields[name];
      if (kind === undefined) continue; // @JsonIgnoreProperties(ignoreUnknown = true)
      out[name] = this.bindField(kind, value, [...chain, `${spec.javaClass}["${name}"]`]);
    }
    return out;
  }

  private bindField(kind: FieldKind, node: JNode, chain: string[]): unknown {
    if (node.kind === 'null') return null;
    if (typeof kind === 'object') {
      if (node.kind !== 'array') this.mismatch(`${LIST_TYPE}<${kind.listOf.javaClass}>`, node, chain);
      return node.items.map((item, i) => this.bindClass(kind.listOf, item, [...chain, `${LIST_TYPE}[${i}]`]));
    }
    switch (kind) {
      case 'string':
        return this.bindString(node, chain);
      case 'stringList':
        if (node.kind !== 'array') this.mismatch(STRING_LIST_TYPE, node, chain);
        return node.items.map((item, i) => (item.kind === 'null' ? null : this.bindString(item, [...chain, `${LIST_TYPE}[${i}]`])));
      case 'stringMap': {
        if (node.kind !== 'object') this.mismatch(STRING_MAP_TYPE, node, chain);
        const map: Record<string, string | null> = {};
        for (const [k, v] of node.entries) map[k] = v.kind === 'null' ? null : this.bindString(v, [...chain, `${MAP_TYPE}["${k}"]`]);
        return map;
      }
      case 'boolean':
        return this.bindBoolean(node, chain);
      case 'integer':
        return this.bindInteger(node, chain);
      case 'node':
        return toJsonValue(node);
    }
  }

  private bindString(node: JNode, chain: string[]): string {
    // StringDeserializer takes any scalar's text.
    if (node.kind === 'string') return node.value;
    if (node.kind === 'number') return node.text;
    if (node.kind === 'boolean') return String(node.value);
    this.mismatch('java.lang.String', node, chain);
  }

  private bindBoolean(node: JNode, chain: string[]): boolean {
    if (node.kind === 'boolean') return node.value;
    if (node.kind === 'number' && node.integral) return Number(node.text) !== 0;
    if (node.kind === 'string') {
      const v = node.value.trim();
      if (v === 'true' || v === 'True' || v === 'TRUE') return true;
      if (v === 'false' || v === 'False' || v === 'FALSE') return false;
      this.fail(`Cannot deserialize value of type \`java.lang.Boolean\` from String "${node.value}": only "true" or "false" recognized`, node, chain);
    }
    this.mismatch('java.lang.Boolean', node, chain);
  }

  private bindInteger(node: JNode, chain: string[]): number {
    let n: number;
    if (node.kind === 'number') n = Math.trunc(Number(node.text));
    else if (node.kind === 'string') {
      const v = node.value.trim();
      if (!/^[+-]?\d+$/.test(v)) this.fail(`Cannot deserialize value of type \`java.lang.Integer\` from String "${node.value}": not a valid Integer value`, node, chain);
      n = Number(v);
    } else this.mismatch('java.lang.Integer', node, chain);
    if (n > 2147483647 || n < -2147483648) this.fail(`Numeric value (${node.kind === 'number' ? node.text : n}) out of range of int`, node, chain);
    return n;
  }
}

export function toJsonValue(node: JNode): JsonValue {
  switch (node.kind) {
    case 'object': {
      const o: { [key: string]: JsonValue } = {};
      for (const [k, v] of node.entries) o[k] = toJsonValue(v);
      return o;
    }
    case 'array':
      return node.items.map(toJsonValue);
    case 'string':
      return node.value;
    case 'number':
      return Number(node.text);
    case 'boolean':
      return node.value;
    case 'null':
      return null;
  }
}

/**
 * `RestResource.read(safeToJson(body), paramsClass)`: returns null for a
 * literal `null` body (Jackson returns null), throws ParamsError otherwise.
 */
export function bindParams(body: Buffer, spec: ClassSpec): Params | null {
  const raw = body.toString('utf8');
  const text = raw === '' ? '{}' : raw; // safeToJson: empty → "{}"
  let root: JNode;
  try {
    root = readJackson(text);
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw new ParamsError(err.message);
    throw err;
  }
  return new Binder(text).bindClass(spec, root, []);
}

// ---- helpers for the operations (commons-lang semantics) ----

export function str(p: Params, name: string): string | undefined {
  const v = p[name];
  return typeof v === 'string' ? v : undefined;
}

export function strList(p: Params, name: string): (string | null)[] | undefined {
  const v = p[name];
  return Array.isArray(v) ? (v as (string | null)[]) : undefined;
}

export function strMap(p: Params, name: string): Record<string, string | null> | undefined {
  const v = p[name];
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string | null>) : undefined;
}

export function int(p: Params, name: string): number | undefined {
  const v = p[name];
  return typeof v === 'number' ? v : undefined;
}

export function bool(p: Params, name: string): boolean | undefined {
  const v = p[name];
  return typeof v === 'boolean' ? v : undefined;
}

/** StringUtils.isBlank */
export function isBlank(v: string | null | undefined): boolean {
  return v === undefined || v === null || v.trim() === '';
}

/** Strings.isNullOrEmpty */
export function isNullOrEmpty(v: string | null | undefined): boolean {
  return v === undefined || v === null || v === '';
}
