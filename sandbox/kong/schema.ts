// A small port of Kong 2.2.1's schema engine (kong/db/schema/init.lua): the
// field types the sandbox's entities use, defaults filled in on insert,
// field-by-field validation with Kong's messages and validator order, entity
// checks, and the merge of a PATCH into the stored entity. Absent values are
// `undefined`, JSON null is Lua's ngx.null.
import { deepCopy, isJsonObject, type Json, type JsonObject } from './json';
import { uuid } from '../lib/ids';
import { isUuid } from './validators';

export const MESSAGES = {
  ARRAY: 'expected an array',
  SET: 'expected a set',
  MAP: 'expected a map',
  RECORD: 'expected a record',
  STRING: 'expected a string',
  NUMBER: 'expected a number',
  BOOLEAN: 'expected a boolean',
  INTEGER: 'expected an integer',
  REQUIRED: 'required field missing',
  UNKNOWN: 'unknown field',
  MISSING_PK: 'missing primary key',
  UUID: 'expected a valid UUID',
  TIMESTAMP: 'expected a valid timestamp',
  EQ_NULL: 'value must be null',
} as const;

interface Common {
  required?: boolean;
  default?: Json;
  /** `eq = ngx.null` (typedefs.no_consumer and friends). */
  mustBeNull?: boolean;
  /** `ne = <value>`. */
  ne?: Json;
  /** The schema's `err`: replaces every validator message. */
  err?: string;
  unique?: boolean;
  /** uuid / created_at / updated_at set by the DAO. */
  auto?: boolean;
}

export interface StringField extends Common {
  type: 'string';
  oneOf?: readonly string[];
  notOneOf?: readonly string[];
  uuid?: boolean;
  lenMin?: number;
  startsWith?: string;
  /** Lua patterns translated to RegExp; each with its message. */
  matchNone?: ReadonlyArray<{ pattern: RegExp; err: string }>;
  match?: RegExp;
  matchAll?: ReadonlyArray<{ pattern: RegExp; err: string }>;
  matchAny?: { patterns: readonly RegExp[]; err: string };
  custom?: (value: string) => string | undefined;
}

export interface IntegerField extends Common {
  type: 'integer' | 'number';
  between?: readonly [number, number];
  oneOf?: readonly number[];
  timestamp?: boolean;
}

export interface BooleanField extends Common {
  type: 'boolean';
}

export interface ArrayField extends Common {
  type: 'array' | 'set';
  elements: Field;
  lenMin?: number;
  mutuallyExclusiveSubsets?: ReadonlyArray<readonly string[]>;
}

export type EntityCheck = (entity: JsonObject, errors: FieldErrorTree, fullCheck: boolean) => void;

export interface SchemaDef {
  fields: ReadonlyArray<readonly [string, Field]>;
  entityChecks?: readonly EntityCheck[];
}

export interface RecordField extends Common, SchemaDef {
  type: 'record';
  /** The record's custom_validator (runs after its fields validated). */
  custom?: (value: JsonObject) => string | undefined;
}

export interface ForeignField extends Common {
  type: 'foreign';
  reference: 'services' | 'routes' | 'consumers' | 'certificates';
  onDelete?: 'cascade';
}

export interface MapField extends Common {
  type: 'map';
  keys: Field;
  values: Field;
}

export type Field = StringField | IntegerField | BooleanField | ArrayField | RecordField | ForeignField | MapField;

export type FieldErrorTree = { [field: string]: unknown };

export type Context = 'insert' | 'update' | 'upsert';

/** Kong: entity records are required by default (kong/db/schema/entity.lua). */
function isRequired(field: Field): boolean {
  return field.required === true;
}

function handleMissing(field: Field): Json | undefined {
  if (field.default !== undefined) return deepCopy(field.default);
  if (!isRequired(field)) return null;
  if (field.type === 'record') return processAutoFields(field, {}, 'insert');
  return undefined;
}

function adjust(field: Field, value: Json | undefined, context: Context): Json | undefined {
  if (field.type === 'record') {
    const recurse = context === 'update' ? value !== null && value !== undefined : value !== null && (value !== undefined || isRequired(field));
    if (recurse) {
      const v = value === undefined ? handleMissing(field) : value;
      if (isJsonObject(v)) return processAutoFields(field, v, context);
      if (Array.isArray(v) && v.length === 0) return processAutoFields(field, {}, context);
      return v;
    }
  } else if (Array.isArray(value) && (field.type === 'array' || field.type === 'set')) {
    let items = value;
    if (field.type === 'set' && items.every((v) => typeof v !== 'object' || v === null)) {
      items = items.filter((v, i) => items.indexOf(v) === i);
    }
    return items.map((e) => adjust(field.elements, e, context) as Json);
  }
  if (value === undefined && context !== 'update') return handleMissing(field);
  return value;
}

/** Schema:process_auto_fields — defaults and auto values, on a copy. */
export function processAutoFields(schema: SchemaDef, data: JsonObject, context: Context, now = Math.floor(Date.now() / 1000)): JsonObject {
  const out = deepCopy(data);
  for (const [key, field] of schema.fields) {
    if (field.auto) {
      if (field.type === 'string' && field.uuid) {
        if ((context === 'insert' || context === 'upsert') && out[key] === undefined) out[key] = uuid();
      } else if (key === 'created_at' && (context === 'insert' || context === 'upsert') && (out[key] === undefined || out[key] === null)) {
        out[key] = now;
      } else if (key === 'updated_at') {
        out[key] = now;
      }
    }
    const adjusted = adjust(field, out[key], context);
    if (adjusted === undefined) delete out[key];
    else out[key] = adjusted;
  }
  return out;
}

type ForeignResolver = (reference: ForeignField['reference']) => SchemaDef;

let foreignSchemas: ForeignResolver = () => ({ fields: [] });

/** The entities module registers how a foreign reference's schema is found. */
export function setForeignResolver(resolver: ForeignResolver): void {
  foreignSchemas = resolver;
}

function lenOf(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (Array.isArray(value)) return value.length;
  return 0;
}

/** Every validator attribute a field may carry (the union's members each have some). */
interface ValidatorProps {
  notOneOf?: readonly unknown[];
  oneOf?: readonly unknown[];
  timestamp?: boolean;
  uuid?: boolean;
  between?: readonly [number, number];
  lenMin?: number;
  startsWith?: string;
  matchNone?: ReadonlyArray<{ pattern: RegExp; err: string }>;
  match?: RegExp;
  matchAll?: ReadonlyArray<{ pattern: RegExp; err: string }>;
  matchAny?: { patterns: readonly RegExp[]; err: string };
  mutuallyExclusiveSubsets?: ReadonlyArray<readonly string[]>;
}

/** Validators in Kong's `validators_order`; each returns a message or undefined. */
function runValidators(field: Field, value: Json): string | undefined {
  const fail = (msg: string) => field.err ?? msg;
  const f = field as ValidatorProps;
  if (field.ne !== undefined && value === field.ne) return fail(`value must not be ${String(value)}`);
  if (f.notOneOf && f.notOneOf.includes(value)) return fail(`must not be one of: ${f.notOneOf.join(', ')}`);
  if (f.oneOf && !f.oneOf.includes(value)) return fail(`expected one of: ${f.oneOf.join(', ')}`);
  if (f.timestamp && !((value as number) > 0)) return fail(MESSAGES.TIMESTAMP);
  if (f.uuid && !isUuid(value as string)) return fail(MESSAGES.UUID);
  if (f.between && ((value as number) < f.between[0] || (value as number) > f.between[1])) {
    return fail(`value should be between ${f.between[0]} and ${f.between[1]}`);
  }
  const lenMin = field.type === 'string' ? (f.lenMin ?? 1) : f.lenMin;
  if (lenMin !== undefined && lenOf(value) < lenMin) return fail(`length must be at least ${lenMin}`);
  if (f.startsWith !== undefined && !(value as string).startsWith(f.startsWith)) return fail(`should start with: ${f.startsWith}`);
  if (f.matchNone) for (const m of f.matchNone) if (m.pattern.test(value as string)) return fail(m.err);
  if (f.match && !f.match.test(value as string)) return fail(`invalid value: ${String(value)}`);
  if (f.matchAll) for (const m of f.matchAll) if (!m.pattern.test(value as string)) return fail(m.err);
  if (f.matchAny && !f.matchAny.patterns.some((p) => p.test(value as string))) return fail(f.matchAny.err);
  if (field.type === 'record' && field.custom) {
    const err = field.custom(value as JsonObject);
    if (err !== undefined) return fail(err);
  } else if (field.type === 'string' && field.custom) {
    const err = field.custom(value as string);
    if (err !== undefined) return fail(err);
  }
  if (f.mutuallyExclusiveSubsets) {
    const memberOf: Array<readonly string[]> = [];
    for (const v of value as string[]) {
      const subset = f.mutuallyExclusiveSubsets.find((s) => s.includes(v));
      if (subset && !memberOf.includes(subset)) memberOf.push(subset);
    }
    if (memberOf.length > 1) {
      return fail(`these sets are mutually exclusive: ${memberOf.map((s) => `(${s.map((x) => `'${x}'`).join(', ')})`).join(', ')}`);
    }
  }
  return undefined;
}

function validateForeign(field: ForeignField, value: Json): unknown {
  const pkErrors: FieldErrorTree = {};
  const id = isJsonObject(value) ? value.id : undefined;
  if (id === undefined || id === false) pkErrors.id = MESSAGES.MISSING_PK;
  else if (id === null) pkErrors.id = MESSAGES.REQUIRED;
  else if (typeof id !== 'string') pkErrors.id = MESSAGES.STRING;
  else if (!isUuid(id)) pkErrors.id = MESSAGES.UUID;
  if (Object.keys(pkErrors).length === 0) return undefined;
  if (isJsonObject(value)) {
    const foreignErrors = validate(foreignSchemas(field.reference), value, false);
    if (foreignErrors) return foreignErrors;
  }
  return pkErrors;
}

/** Schema:validate_field — undefined when valid, else a message or an error tree. */
export function validateField(field: Field, value: Json): unknown {
  if (value === null) {
    if (field.mustBeNull) return undefined;
    return isRequired(field) ? MESSAGES.REQUIRED : undefined;
  }
  if (field.mustBeNull) return field.err ?? MESSAGES.EQ_NULL;
  switch (field.type) {
    case 'array':
    case 'set': {
      const seq = Array.isArray(value) ? value : isJsonObject(value) && Object.keys(value).length === 0 ? [] : undefined;
      if (!seq) return field.type === 'array' ? MESSAGES.ARRAY : MESSAGES.SET;
      const errs: unknown[] = [];
      let ok = true;
      seq.forEach((v, i) => {
        const err = validateField({ ...field.elements, required: true }, v);
        if (err !== undefined) {
          errs[i] = err;
          ok = false;
        }
      });
      if (!ok) return errs;
      value = seq;
      break;
    }
    case 'map': {
      if (!isJsonObject(value)) return MESSAGES.MAP;
      for (const [k, v] of Object.entries(value)) {
        const kErr = validateField({ ...field.keys, required: true }, k);
        if (kErr !== undefined) return kErr;
        const vErr = validateField({ ...field.values, required: true }, v);
        if (vErr !== undefined) return vErr;
      }
      break;
    }
    case 'record': {
      const rec = isJsonObject(value) ? value : Array.isArray(value) && value.length === 0 ? {} : undefined;
      if (!rec) return MESSAGES.RECORD;
      const errors = validate(field, processAutoFields(field, rec, 'insert'), true);
      if (errors) return errors;
      break;
    }
    case 'foreign':
      return validateForeign(field, value);
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return MESSAGES.INTEGER;
      break;
    case 'number':
      if (typeof value !== 'number') return MESSAGES.NUMBER;
      break;
    case 'string':
      if (typeof value !== 'string') return MESSAGES.STRING;
      break;
    case 'boolean':
      if (typeof value !== 'boolean') return MESSAGES.BOOLEAN;
      break;
  }
  return runValidators(field, value);
}

/** Schema:validate — the error tree, or undefined when valid. */
export function validate(schema: SchemaDef, input: JsonObject, fullCheck: boolean): FieldErrorTree | undefined {
  const errors: FieldErrorTree = {};
  const byName = new Map(schema.fields);
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const field = byName.get(key);
    if (!field) {
      errors[key] = MESSAGES.UNKNOWN;
      continue;
    }
    const err = validateField(field, value);
    if (err !== undefined) errors[key] = err;
  }
  for (const [name, field] of schema.fields) {
    if (isRequired(field) && (input[name] === null || (fullCheck && input[name] === undefined))) errors[name] = MESSAGES.REQUIRED;
  }
  for (const check of schema.entityChecks ?? []) check(input, errors, fullCheck);
  return Object.keys(errors).length > 0 ? errors : undefined;
}

/** Schema:merge_values — a PATCH body over the stored entity (records merged one level per record). */
export function mergeValues(schema: SchemaDef, top: JsonObject, bottom: JsonObject): JsonObject {
  const out: JsonObject = { ...bottom, ...top };
  for (const [key, field] of schema.fields) {
    const topV = top[key];
    if (topV === undefined) {
      if (bottom[key] !== undefined) out[key] = bottom[key];
    } else if (field.type === 'record' && topV !== null && isJsonObject(topV)) {
      const bottomV = bottom[key];
      out[key] = mergeValues(field, topV, isJsonObject(bottomV) ? bottomV : {});
    } else {
      out[key] = topV;
    }
  }
  return out;
}

export function addEntityError(errors: FieldErrorTree, message: string): void {
  const list = (errors['@entity'] as string[] | undefined) ?? [];
  list.push(message);
  errors['@entity'] = list;
}

/** "'a', 'b'" as Kong quotes field lists in entity-check messages. */
export function quotedList(words: readonly string[]): string {
  return words.map((w) => `'${w}'`).join(', ');
}

export function isNonEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value !== '';
  if (Array.isArray(value)) return value.length > 0;
  if (isJsonObject(value)) return Object.keys(value).length > 0;
  return true;
}
