// Kong's database, in memory: the DAO operations of kong/db/dao/init.lua
// over the entity schemas (defaults, validation, foreign-key resolution)
// and what the Postgres strategy enforces (unique keys, primary key, foreign
// keys, ON DELETE CASCADE for plugins, RESTRICT for a service's routes,
// pages ordered by id). The Admin API and the proxy share one store.
import {
  foreignKeysUnresolved,
  foreignKeyViolationInvalidReference,
  foreignKeyViolationRestricted,
  invalidOffset,
  invalidPrimaryKey,
  invalidSize,
  KongDbError,
  notFound,
  notFoundByField,
  schemaViolation,
  uniqueViolation,
  type ErrT,
  type Unresolved,
} from './db-errors';
import { entityDefs, expandServiceUrl, pluginNameError, type EntityDef, type EntityName } from './entities';
import { isJsonObject, type Json, type JsonObject } from './json';
import { mergeValues, processAutoFields, validate, validateField, type FieldErrorTree } from './schema';
import { isUuid } from './validators';

const PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

/** Unique (or endpoint-key) fields of each entity a foreign reference may name instead of the id. */
const RESOLVABLE: Record<string, string[]> = { services: ['name'], routes: ['name'], consumers: ['username', 'custom_id'] };

type Key = { field: string; value: string };

function primaryKeyViolation(id: string): KongDbError {
  const errT: ErrT = { code: 3, name: 'primary key violation', message: `primary key violation on key '{id="${id}"}'`, fields: { id } };
  return new KongDbError(errT);
}

export interface Page {
  data: JsonObject[];
  offset?: string;
}

export class KongStore {
  readonly defs: Record<EntityName, EntityDef>;
  private readonly rows: Record<EntityName, Map<string, JsonObject>> = {
    services: new Map(),
    routes: new Map(),
    consumers: new Map(),
    plugins: new Map(),
  };
  /** Bumped on every write, so the proxy can rebuild its router lazily. */
  version = 0;

  constructor(
    private readonly kongVersion: string,
    private readonly now: () => number,
  ) {
    this.defs = entityDefs(kongVersion);
  }

  // ---- reads -------------------------------------------------------------

  all(name: EntityName): JsonObject[] {
    return [...this.rows[name].values()];
  }

  byId(name: EntityName, id: string): JsonObject | undefined {
    return this.rows[name].get(id);
  }

  findBy(name: EntityName, field: string, value: Json): JsonObject | undefined {
    for (const row of this.rows[name].values()) if (row[field] === value) return row;
    return undefined;
  }

  /** How the Admin API reads `/{entity}/{key}` (endpoints.lua query_entity). */
  private keyOf(name: EntityName, key: string): Key {
    const endpointKey = this.defs[name].endpointKey;
    if (!isUuid(key) && endpointKey) return { field: endpointKey, value: key };
    if (!isUuid(key)) throw invalidPrimaryKey({ id: 'expected a valid UUID' });
    return { field: 'id', value: key };
  }

  select(name: EntityName, key: string): JsonObject | undefined {
    const k = this.keyOf(name, key);
    return k.field === 'id' ? this.byId(name, k.value) : this.findBy(name, k.field, k.value);
  }

  /** DAO:page — ordered by id, `size` rows, opaque offset (base64 of a JSON array of the last id). */
  page(name: EntityName, size: string | undefined, offset: string | undefined, filter?: { field: string; id: string }): Page {
    let n = PAGE_SIZE;
    if (size !== undefined) {
      n = Number(size);
      if (size.trim() === '' || Number.isNaN(n)) throw invalidSize('size must be a number');
      if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) throw invalidSize(`size must be an integer between 1 and ${MAX_PAGE_SIZE}`);
    }
    let after: unknown;
    if (offset !== undefined) {
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(offset) || offset.replace(/=+$/, '').length % 4 === 1) throw invalidOffset(offset, 'bad base64 encoding');
      let decoded: unknown;
      try {
        decoded = JSON.parse(Buffer.from(offset, 'base64').toString('utf8'));
      } catch {
        throw invalidOffset(offset, 'bad json encoding');
      }
      after = Array.isArray(decoded) ? decoded[0] : undefined;
      if (typeof after !== 'string') return { data: [] };
    }
    let rows = this.all(name).sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1));
    if (filter) rows = rows.filter((r) => isJsonObject(r[filter.field]) && (r[filter.field] as JsonObject).id === filter.id);
    if (typeof after === 'string') rows = rows.filter((r) => String(r.id) > (after as string));
    if (rows.length <= n) return { data: rows };
    const data = rows.slice(0, n);
    const last = String(data[data.length - 1].id);
    return { data, offset: Buffer.from(JSON.stringify([last]), 'utf8').toString('base64').replace(/=+$/, '') };
  }

  // ---- writes ------------------------------------------------------------

  insert(name: EntityName, body: JsonObject): JsonObject {
    const def = this.defs[name];
    const input = this.shorthands(name, body);
    let entity = processAutoFields(def.schemaFor(input), input, 'insert', this.now());
    entity = this.resolveForeign(def, entity);
    this.validateFull(def, entity, true);
    this.checkConstraints(def, entity, undefined);
    this.rows[name].set(String(entity.id), entity);
    this.version++;
    return entity;
  }

  /**
   * POST /schemas/{entity}/validate (kong/api/routes/kong.lua): the insert's
   * auto fields, then schema validation only — no foreign-key lookups, no
   * unique checks, nothing stored.
   */
  validateOnly(name: EntityName, body: JsonObject): void {
    const def = this.defs[name];
    const input = this.shorthands(name, body);
    const entity = processAutoFields(def.schemaFor(input), input, 'insert', this.now());
    this.validateFull(def, entity, true);
  }

  update(name: EntityName, key: string, body: JsonObject): JsonObject {
    const def = this.defs[name];
    const k = this.keyOf(name, key);
    const input = this.shorthands(name, body);
    const partial = processAutoFields(def.schemaFor(input), input, 'update', this.now());
    const current = k.field === 'id' ? this.byId(name, k.value) : this.findBy(name, k.field, k.value);
    if (!current) throw k.field === 'id' ? notFound({ id: k.value }) : notFoundByField({ [k.field]: k.value });
    let entity = mergeValues(def.schemaFor(current), partial, current);
    entity = this.resolveForeign(def, entity);
    this.validateFull(def, entity, false);
    this.checkConstraints(def, entity, String(current.id));
    this.rows[name].set(String(current.id), entity);
    this.version++;
    return entity;
  }

  upsert(name: EntityName, key: string, body: JsonObject): JsonObject {
    const def = this.defs[name];
    const k = this.keyOf(name, key);
    const input = this.shorthands(name, body);
    let entity = processAutoFields(def.schemaFor(input), input, 'upsert', this.now());
    entity[k.field] = k.value;
    entity = this.resolveForeign(def, entity);
    this.validateFull(def, entity, true);
    const existing = k.field === 'id' ? this.byId(name, k.value) : this.findBy(name, k.field, k.value);
    // ON CONFLICT … DO UPDATE SET every column but the primary key: the id stays.
    if (existing) entity.id = existing.id;
    this.checkConstraints(def, entity, existing ? String(existing.id) : String(entity.id));
    this.rows[name].set(String(entity.id), entity);
    this.version++;
    return entity;
  }

  /** DAO:delete — unknown keys are not an error (the Admin API answers 204). */
  delete(name: EntityName, key: string): void {
    const row = this.select(name, key);
    if (!row) return;
    const id = String(row.id);
    if (name === 'services' && this.all('routes').some((r) => isJsonObject(r.service) && r.service.id === id)) {
      throw foreignKeyViolationRestricted('services', 'routes');
    }
    for (const plugin of this.all('plugins')) {
      const field = name === 'services' ? 'service' : name === 'routes' ? 'route' : name === 'consumers' ? 'consumer' : undefined;
      if (field && isJsonObject(plugin[field]) && (plugin[field] as JsonObject).id === id) this.rows.plugins.delete(String(plugin.id));
    }
    this.rows[name].delete(id);
    this.version++;
  }

  // ---- helpers -----------------------------------------------------------

  private shorthands(name: EntityName, body: JsonObject): JsonObject {
    if (name !== 'services') return body;
    const expanded = expandServiceUrl(body);
    if (expanded.__shorthandError) throw schemaViolation({ url: expanded.url });
    return expanded as JsonObject;
  }

  private validateFull(def: EntityDef, entity: JsonObject, fullCheck: boolean): void {
    if (def.name === 'plugins') {
      const nameErr = pluginNameError(entity, this.kongVersion);
      if (nameErr) throw schemaViolation(nameErr);
    }
    const errors = validate(def.schemaFor(entity), entity, fullCheck);
    if (errors) throw schemaViolation(errors);
  }

  /** dao resolve_foreign: `{"service":{"name":"x"}}` becomes `{"service":{"id":…}}`. */
  private resolveForeign(def: EntityDef, entity: JsonObject): JsonObject {
    const errors: Record<string, Record<string, Unresolved>> = {};
    for (const { field, reference } of def.foreign) {
      const value = entity[field];
      if (!isJsonObject(value) || (typeof value.id === 'string' && isUuid(value.id))) continue;
      const unresolved: Record<string, Unresolved> = {};
      for (const uniqueField of RESOLVABLE[reference] ?? []) {
        const v = value[uniqueField];
        if (v === undefined || v === null || v === false) continue;
        if (validateField({ type: 'string' }, v) !== undefined) continue;
        const found = this.findBy(reference, uniqueField, v);
        if (found) {
          entity = { ...entity, [field]: { id: found.id } };
          break;
        }
        unresolved[uniqueField] = { name: uniqueField, value: v, parent: reference };
      }
      if (Object.keys(unresolved).length > 0) errors[field] = unresolved;
    }
    if (Object.keys(errors).length > 0) throw foreignKeysUnresolved(errors);
    return entity;
  }

  /** What Postgres enforces on write: primary key, unique keys, plugin cache_key, foreign keys. */
  private checkConstraints(def: EntityDef, entity: JsonObject, selfId: string | undefined): void {
    const id = String(entity.id);
    const others = this.all(def.name).filter((r) => r.id !== selfId);
    if (selfId === undefined && this.rows[def.name].has(id)) throw primaryKeyViolation(id);
    for (const field of def.unique) {
      const v = entity[field];
      if (v === undefined || v === null) continue;
      if (others.some((r) => r[field] === v)) throw uniqueViolation({ [field]: v });
    }
    if (def.name === 'plugins') {
      const ref = (v: Json | undefined) => (isJsonObject(v) ? String(v.id) : null);
      const clash = others.find(
        (r) => r.name === entity.name && ref(r.route) === ref(entity.route) && ref(r.service) === ref(entity.service) && ref(r.consumer) === ref(entity.consumer),
      );
      if (clash) {
        const pk = (v: Json | undefined): Json => (isJsonObject(v) ? { id: v.id } : null);
        throw uniqueViolation({ consumer: pk(entity.consumer), name: entity.name, route: pk(entity.route), service: pk(entity.service) });
      }
    }
    const foreign: Array<{ field: string; reference: string }> = [...def.foreign];
    if (def.name === 'services') foreign.push({ field: 'client_certificate', reference: 'certificates' });
    for (const { field, reference } of foreign) {
      const v = entity[field];
      if (!isJsonObject(v)) continue;
      const exists = reference !== 'certificates' && this.rows[reference as EntityName].has(String(v.id));
      if (!exists) throw foreignKeyViolationInvalidReference({ id: v.id }, field, reference);
    }
  }
}

export type { FieldErrorTree };
