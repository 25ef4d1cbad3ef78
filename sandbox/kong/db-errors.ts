// Kong 2.2.1 DAO errors (kong/db/errors.lua) and the HTTP status the Admin
// API gives each (kong/api/endpoints.lua ERRORS_HTTP_CODES). The body of an
// Admin API error is the err_t itself: {code, name, message, fields}.
import { prettyWrite } from './lua-pretty';

export const ERROR_CODES = {
  INVALID_PRIMARY_KEY: 1,
  SCHEMA_VIOLATION: 2,
  PRIMARY_KEY_VIOLATION: 3,
  FOREIGN_KEY_VIOLATION: 4,
  UNIQUE_VIOLATION: 5,
  NOT_FOUND: 6,
  INVALID_OFFSET: 7,
  INVALID_SIZE: 9,
  FOREIGN_KEYS_UNRESOLVED: 13,
} as const;

type Code = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

const NAMES: Record<Code, string> = {
  1: 'invalid primary key',
  2: 'schema violation',
  3: 'primary key violation',
  4: 'foreign key violation',
  5: 'unique constraint violation',
  6: 'not found',
  7: 'invalid offset',
  9: 'invalid size',
  13: 'foreign keys unresolved',
};

const HTTP_STATUS: Record<Code, number> = { 1: 400, 2: 400, 3: 400, 4: 400, 5: 409, 6: 404, 7: 400, 9: 400, 13: 400 };

export interface ErrT {
  code: number;
  name: string;
  message: string;
  fields?: unknown;
}

/** Thrown by the store; the Admin API answers `status` with `errT` as the body. */
export class KongDbError extends Error {
  readonly status: number;
  constructor(readonly errT: ErrT) {
    super(errT.message);
    this.status = HTTP_STATUS[errT.code as Code] ?? 500;
  }
}

function make(code: Code, message: string, fields?: unknown): KongDbError {
  const errT: ErrT = { code, name: NAMES[code], message };
  if (fields !== undefined) errT.fields = fields;
  return new KongDbError(errT);
}

/** A nested error tree: field name → message, sub-tree, or (arrays) per-element errors. */
export type FieldErrors = { [field: string]: unknown };

export function schemaViolation(errors: FieldErrors): KongDbError {
  const buf: string[] = [];
  const entity = errors['@entity'];
  if (Array.isArray(entity)) buf.push(...entity.map(String));
  for (const name of Object.keys(errors).sort()) {
    if (name === '@entity') continue;
    const fieldErrors = errors[name];
    if (typeof fieldErrors === 'object' && fieldErrors !== null) {
      const sub = fieldErrors as Record<string, unknown>;
      const keys = Array.isArray(fieldErrors)
        ? fieldErrors.map((_, i) => String(i + 1)).filter((_, i) => fieldErrors[i] !== undefined && fieldErrors[i] !== null)
        : Object.keys(sub).sort();
      for (const subField of keys) {
        const value = Array.isArray(fieldErrors) ? fieldErrors[Number(subField) - 1] : sub[subField];
        buf.push(`${name}.${subField}: ${typeof value === 'object' && value !== null ? prettyWrite(value) : String(value)}`);
      }
    } else {
      buf.push(`${name}: ${String(fieldErrors)}`);
    }
  }
  const message = buf.length === 1 ? `schema violation (${buf[0]})` : `${buf.length} schema violations (${buf.join('; ')})`;
  return make(ERROR_CODES.SCHEMA_VIOLATION, message, errors);
}

export function invalidPrimaryKey(errors: FieldErrors): KongDbError {
  return make(ERROR_CODES.INVALID_PRIMARY_KEY, `invalid primary key: '${prettyWrite(errors, '')}'`, errors);
}

export function notFound(primaryKey: FieldErrors): KongDbError {
  return make(ERROR_CODES.NOT_FOUND, `could not find the entity with primary key '${prettyWrite(primaryKey, '')}'`, primaryKey);
}

export function notFoundByField(filter: FieldErrors): KongDbError {
  return make(ERROR_CODES.NOT_FOUND, `could not find the entity with '${prettyWrite(filter, '')}'`, filter);
}

export function uniqueViolation(uniqueKey: FieldErrors): KongDbError {
  const printed = prettyWrite(uniqueKey, '').replace(/"userdata: NULL"/g, 'null');
  return make(ERROR_CODES.UNIQUE_VIOLATION, `UNIQUE violation detected on '${printed}'`, uniqueKey);
}

export function foreignKeyViolationInvalidReference(foreignKey: FieldErrors, fieldName: string, parentName: string): KongDbError {
  return make(
    ERROR_CODES.FOREIGN_KEY_VIOLATION,
    `the foreign key '${prettyWrite(foreignKey, '')}' does not reference an existing '${parentName}' entity.`,
    { [fieldName]: foreignKey },
  );
}

export function foreignKeyViolationRestricted(parentName: string, childName: string): KongDbError {
  return make(ERROR_CODES.FOREIGN_KEY_VIOLATION, `an existing '${childName}' entity references this '${parentName}' entity`, {
    '@referenced_by': childName,
  });
}

export interface Unresolved {
  name: string;
  value: unknown;
  parent: string;
}

export function foreignKeysUnresolved(errors: Record<string, Record<string, Unresolved>>): KongDbError {
  const buf: string[] = [];
  const fields: Record<string, Record<string, string>> = {};
  for (const name of Object.keys(errors).sort()) {
    fields[name] = {};
    for (const sub of Object.keys(errors[name]).sort()) {
      const u = errors[name][sub];
      const text = `the foreign key cannot be resolved with '${prettyWrite({ [u.name]: u.value }, '')}' for an existing '${u.parent}' entity`;
      fields[name][sub] = text;
      buf.push(`${name}.${sub}: ${text}`);
    }
  }
  const message = buf.length === 1 ? `foreign key unresolved (${buf[0]})` : `${buf.length} foreign keys unresolved (${buf.join('; ')})`;
  return make(ERROR_CODES.FOREIGN_KEYS_UNRESOLVED, message, fields);
}

export function invalidOffset(offset: string, err: string): KongDbError {
  return make(ERROR_CODES.INVALID_OFFSET, `'${offset}' is not a valid offset: ${err}`);
}

export function invalidSize(err: string): KongDbError {
  return make(ERROR_CODES.INVALID_SIZE, err);
}
