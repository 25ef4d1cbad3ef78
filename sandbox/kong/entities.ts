// Kong 2.2.1 entity schemas for services, routes, consumers and plugins
// (kong/db/schema/entities/*.lua, routes_subschemas.lua, typedefs.lua): the
// fields, defaults and checks the Admin API applies, so that the entities it
// returns have the 2.2.1 shape (gateway.md §4 lists the fields checks use).
import { isJsonObject, type Json, type JsonObject } from './json';
import { isGg422, OPENID_CONNECT, openIdConnectConfig, UMA_AUTH, UMA_PEP, umaAuthConfig, umaPepConfig } from './plugin-schemas';
import {
  addEntityError,
  isNonEmpty,
  quotedList,
  setForeignResolver,
  validateField,
  type EntityCheck,
  type Field,
  type FieldErrorTree,
  type SchemaDef,
} from './schema';
import { parseUrl, validateHost, validateHostWithWildcards, validateName, validatePath, validateRoutePath } from './validators';

export type EntityName = 'services' | 'routes' | 'consumers' | 'plugins';

/** constants.PROTOCOLS, sorted as Kong sorts them. */
export const PROTOCOLS = ['grpc', 'grpcs', 'http', 'https', 'tcp', 'tls', 'udp'] as const;
const HTTP_PROTOCOLS = ['grpc', 'grpcs', 'http', 'https'];

const uuidField = (): Field => ({ type: 'string', uuid: true, auto: true });
const timestamp = (): Field => ({ type: 'integer', timestamp: true, auto: true });
const nameField = (): Field => ({ type: 'string', unique: true, custom: validateName });
const tags = (): Field => ({ type: 'set', elements: { type: 'string', required: true, match: /^[A-Za-z0-9.\-_~]+$/ } });
const protocol = (): Field => ({ type: 'string', oneOf: PROTOCOLS });
const timeout = (dflt: number): Field => ({ type: 'integer', between: [1, 2 ** 31 - 2], default: dflt });
const pathField = (): Field => ({
  type: 'string',
  startsWith: '/',
  matchNone: [{ pattern: /\/\//, err: 'must not have empty segments' }],
  custom: (p) => validatePath(p)?.err,
});

/** The `conditional` entity checker with an `eq = null` then-match (services). */
function nullUnlessProtocol(thenField: string, allowed: (protocol: string) => boolean): EntityCheck {
  return (entity, errors) => {
    const p = entity.protocol;
    if (p === undefined || entity[thenField] === undefined) return;
    if (typeof p !== 'string' || allowed(p)) return;
    if (entity[thenField] === null) return;
    errors[thenField] = 'value must be null';
    addEntityError(errors, "failed conditional validation given value of field 'protocol'");
  };
}

const services: SchemaDef = {
  fields: [
    ['id', uuidField()],
    ['created_at', timestamp()],
    ['updated_at', timestamp()],
    ['name', nameField()],
    ['retries', { type: 'integer', default: 5, between: [0, 32767] }],
    ['protocol', { ...protocol(), required: true, default: 'http' } as Field],
    ['host', { type: 'string', required: true, custom: validateHost }],
    ['port', { type: 'integer', required: true, default: 80, between: [0, 65535] }],
    ['path', pathField()],
    ['connect_timeout', timeout(60000)],
    ['write_timeout', timeout(60000)],
    ['read_timeout', timeout(60000)],
    ['tags', tags()],
    ['client_certificate', { type: 'foreign', reference: 'certificates' }],
    ['tls_verify', { type: 'boolean' }],
    ['tls_verify_depth', { type: 'integer', default: null, between: [0, 64] }],
    ['ca_certificates', { type: 'array', elements: { type: 'string', uuid: true } }],
  ],
  entityChecks: [
    nullUnlessProtocol('path', (p) => !['tcp', 'tls', 'udp', 'grpc', 'grpcs'].includes(p)),
    nullUnlessProtocol('client_certificate', (p) => p === 'https'),
    nullUnlessProtocol('tls_verify', (p) => p === 'https'),
    nullUnlessProtocol('tls_verify_depth', (p) => p === 'https'),
    nullUnlessProtocol('ca_certificates', (p) => p === 'https'),
  ],
};

/** services `url` shorthand (services.lua shorthand_fields). */
export function expandServiceUrl(body: JsonObject): JsonObject | FieldErrorTree {
  if (body.url === undefined) return body;
  const url = body.url;
  const err = validateField({ type: 'string' }, url);
  if (err !== undefined) return { url: err, __shorthandError: true };
  const out: JsonObject = { ...body };
  delete out.url;
  const parsed = parseUrl(String(url));
  if (!parsed) return out;
  const port = parsed.port !== undefined && parsed.port !== '' && !Number.isNaN(Number(parsed.port)) ? Number(parsed.port) : undefined;
  const protocolFromPort = port === 80 ? 'http' : port === 443 ? 'https' : undefined;
  const proto = parsed.scheme ?? protocolFromPort ?? 'http';
  out.protocol = proto;
  out.host = parsed.host ?? null;
  out.port = port ?? (proto === 'http' ? 80 : proto === 'https' ? 443 : 80);
  out.path = parsed.path ?? null;
  return out;
}

const hostsField: Field = {
  type: 'array',
  elements: {
    type: 'string',
    matchAll: [{ pattern: /^[^*]*\*?[^*]*$/, err: 'invalid wildcard: must have at most one wildcard' }],
    matchAny: { patterns: [/^\*\./, /\.\*$/, /^[^*]*$/], err: 'invalid wildcard: must be placed at leftmost or rightmost label' },
    custom: validateHostWithWildcards,
  },
};

const routesBase: Array<[string, Field]> = [
  ['id', uuidField()],
  ['created_at', timestamp()],
  ['updated_at', timestamp()],
  ['name', nameField()],
  [
    'protocols',
    {
      type: 'set',
      lenMin: 1,
      required: true,
      elements: protocol(),
      mutuallyExclusiveSubsets: [['http', 'https'], ['tcp', 'tls', 'udp'], ['grpc', 'grpcs']],
      default: ['http', 'https'],
    },
  ],
  ['methods', { type: 'set', elements: { type: 'string', match: /^[A-Z]+$/ } }],
  ['hosts', hostsField],
  [
    'paths',
    {
      type: 'array',
      elements: {
        type: 'string',
        startsWith: '/',
        matchNone: [{ pattern: /\/\//, err: 'must not have empty segments' }],
        custom: validateRoutePath,
      },
    },
  ],
  [
    'headers',
    {
      type: 'map',
      keys: {
        type: 'string',
        matchNone: [{ pattern: /^[Hh][Oo][Ss][Tt]$/, err: "cannot contain 'host' header, which must be specified in the 'hosts' attribute" }],
      },
      values: { type: 'array', elements: { type: 'string' } },
    },
  ],
  ['https_redirect_status_code', { type: 'integer', oneOf: [426, 301, 302, 307, 308], default: 426, required: true }],
  ['regex_priority', { type: 'integer', default: 0 }],
  ['strip_path', { type: 'boolean', default: true }],
  ['path_handling', { type: 'string', default: 'v0', oneOf: ['v0', 'v1'] }],
  ['preserve_host', { type: 'boolean', default: false }],
  ['request_buffering', { type: 'boolean', required: true, default: true }],
  ['response_buffering', { type: 'boolean', required: true, default: true }],
  ['snis', { type: 'set', elements: { type: 'string' } }],
  ['sources', { type: 'set', elements: { type: 'record', fields: [['ip', { type: 'string' }], ['port', { type: 'integer', between: [0, 65535] }]] } }],
  ['destinations', { type: 'set', elements: { type: 'record', fields: [['ip', { type: 'string' }], ['port', { type: 'integer', between: [0, 65535] }]] } }],
  ['tags', tags()],
  ['service', { type: 'foreign', reference: 'services' }],
];

const snisCheck: EntityCheck = (entity, errors) => {
  const protocols = entity.protocols;
  if (!Array.isArray(protocols) || entity.snis === undefined) return;
  if (protocols.some((p) => ['grpcs', 'https', 'tls'].includes(String(p)))) return;
  if (entity.snis === null || (Array.isArray(entity.snis) && entity.snis.length === 0)) return;
  errors.snis = 'length must be 0';
  addEntityError(errors, "'snis' can only be set when 'protocols' is 'grpcs', 'https' or 'tls'");
};

function atLeastOneOf(ifContains: string, fields: string[], err: string, elseContains?: string, elseFields?: string[], elseErr?: string): EntityCheck {
  return (entity, errors, fullCheck) => {
    const protocols = entity.protocols;
    if (!Array.isArray(protocols)) return;
    const prefix = fullCheck ? '' : 'when updating, ';
    if (protocols.includes(ifContains)) {
      if (!fields.some((f) => isNonEmpty(entity[f]))) addEntityError(errors, prefix + err.replace('%s', quotedList(fields)));
    } else if (elseContains && elseFields && elseErr && protocols.includes(elseContains)) {
      if (!elseFields.some((f) => isNonEmpty(entity[f]))) addEntityError(errors, prefix + elseErr.replace('%s', quotedList(elseFields)));
    }
  };
}

/** routes_subschemas.lua: the first protocol of the set picks the subschema. */
function routesFor(input: JsonObject): SchemaDef {
  const protocols = Array.isArray(input.protocols) ? input.protocols.map(String) : ['http', 'https'];
  const family = protocols.find((p) => (PROTOCOLS as readonly string[]).includes(p));
  const replace = (name: string, field: Field): Array<[string, Field]> => routesBase.map(([n, f]) => [n, n === name ? field : f]);
  if (family === 'tcp' || family === 'tls' || family === 'udp') {
    let fields = routesBase;
    for (const f of ['methods', 'hosts', 'paths', 'headers']) {
      fields = fields.map(([n, d]) => [n, n === f ? ({ ...d, mustBeNull: true, err: `cannot set '${f}' when 'protocols' is 'tcp', 'tls' or 'udp'` } as Field) : d]);
    }
    return {
      fields,
      entityChecks: [snisCheck, atLeastOneOf(family, ['sources', 'destinations', 'snis'], "must set one of %s when 'protocols' is 'tcp', 'tls' or 'udp'")],
    };
  }
  if (family === 'grpc' || family === 'grpcs') {
    const fields = replace('strip_path', { type: 'boolean', default: false, ne: true, err: "cannot set 'strip_path' when 'protocols' is 'grpc' or 'grpcs'" });
    return {
      fields,
      entityChecks: [
        snisCheck,
        atLeastOneOf('grpcs', ['hosts', 'headers', 'paths', 'snis'], "must set one of %s when 'protocols' is 'grpcs'", 'grpc', ['hosts', 'headers', 'paths'], "must set one of %s when 'protocols' is 'grpc'"),
      ],
    };
  }
  let fields = replace('sources', { ...(routesBase.find(([n]) => n === 'sources')?.[1] as Field), mustBeNull: true, err: "cannot set 'sources' when 'protocols' is 'http' or 'https'" } as Field);
  fields = fields.map(([n, d]) => [n, n === 'destinations' ? ({ ...d, mustBeNull: true, err: "cannot set 'destinations' when 'protocols' is 'http' or 'https'" } as Field) : d]);
  return {
    fields,
    entityChecks: [
      snisCheck,
      atLeastOneOf(
        'https',
        ['methods', 'hosts', 'headers', 'paths', 'snis'],
        "must set one of %s when 'protocols' is 'https'",
        'http',
        ['methods', 'hosts', 'headers', 'paths'],
        "must set one of %s when 'protocols' is 'http'",
      ),
    ],
  };
}

const consumers: SchemaDef = {
  fields: [
    ['id', uuidField()],
    ['created_at', timestamp()],
    ['username', { type: 'string', unique: true }],
    ['custom_id', { type: 'string', unique: true }],
    ['tags', tags()],
  ],
  entityChecks: [
    (entity, errors, fullCheck) => {
      if (!fullCheck && entity.custom_id === undefined && entity.username === undefined) return;
      if (!isNonEmpty(entity.custom_id) && !isNonEmpty(entity.username)) {
        addEntityError(errors, `${fullCheck ? '' : 'when updating, '}at least one of these fields must be non-empty: 'custom_id', 'username'`);
      }
    },
  ],
};

function pluginFields(config: Field, noConsumer: boolean): Array<[string, Field]> {
  return [
    ['id', uuidField()],
    ['name', { type: 'string', required: true }],
    ['created_at', timestamp()],
    ['route', { type: 'foreign', reference: 'routes', default: null, onDelete: 'cascade' }],
    ['service', { type: 'foreign', reference: 'services', default: null, onDelete: 'cascade' }],
    ['consumer', noConsumer ? { type: 'foreign', reference: 'consumers', mustBeNull: true } : { type: 'foreign', reference: 'consumers', default: null, onDelete: 'cascade' }],
    ['config', config],
    ['protocols', { type: 'set', required: true, default: HTTP_PROTOCOLS, elements: protocol() }],
    ['enabled', { type: 'boolean', default: true }],
    ['tags', tags()],
  ];
}

export interface EntityDef {
  name: EntityName;
  /** The schema, with the subschema the input selects (plugins: name; routes: protocols). */
  schemaFor(input: JsonObject): SchemaDef;
  /** Admin API key besides the id (`endpoint_key`). */
  endpointKey?: string;
  /** Unique fields in schema order (what a Postgres unique violation names). */
  unique: string[];
  /** Foreign-key fields: field name → referenced entity. */
  foreign: Array<{ field: string; reference: EntityName; onDelete?: 'cascade' }>;
}

/** The plugins this Kong has loaded (GG 4.2 loads bundled + gluu-*; the sandbox gluu-uma-auth, gluu-openid-connect, gluu-uma-pep). */
export function enabledPlugins(kongVersion: string): Record<string, SchemaDef> {
  const gg422 = isGg422(kongVersion);
  return {
    [UMA_AUTH]: { fields: pluginFields(umaAuthConfig, true) },
    [OPENID_CONNECT]: { fields: pluginFields(openIdConnectConfig, true) },
    [UMA_PEP]: { fields: pluginFields(umaPepConfig(gg422), true) },
  };
}

export const pluginNotEnabled = (name: string) => `plugin '${name}' not enabled; add it to the 'plugins' configuration property`;

export function entityDefs(kongVersion: string): Record<EntityName, EntityDef> {
  const plugins = enabledPlugins(kongVersion);
  const basePlugin: SchemaDef = { fields: pluginFields({ type: 'record', fields: [] }, false) };
  const defs: Record<EntityName, EntityDef> = {
    services: { name: 'services', schemaFor: () => services, endpointKey: 'name', unique: ['name'], foreign: [] },
    routes: {
      name: 'routes',
      schemaFor: routesFor,
      endpointKey: 'name',
      unique: ['name'],
      foreign: [{ field: 'service', reference: 'services' }],
    },
    consumers: { name: 'consumers', schemaFor: () => consumers, endpointKey: 'username', unique: ['username', 'custom_id'], foreign: [] },
    plugins: {
      name: 'plugins',
      schemaFor: (input) => (typeof input.name === 'string' && plugins[input.name]) || basePlugin,
      unique: [],
      foreign: [
        { field: 'route', reference: 'routes', onDelete: 'cascade' },
        { field: 'service', reference: 'services', onDelete: 'cascade' },
        { field: 'consumer', reference: 'consumers', onDelete: 'cascade' },
      ],
    },
  };
  const certificates: SchemaDef = { fields: [['id', uuidField()]] };
  setForeignResolver((reference) =>
    reference === 'routes' ? routesFor({}) : reference === 'consumers' ? consumers : reference === 'services' ? services : certificates,
  );
  return defs;
}

/** The subschema check of plugins: name required and enabled (Schema:validate subschema_key). */
export function pluginNameError(input: JsonObject, kongVersion: string): FieldErrorTree | undefined {
  const name = input.name as Json | undefined;
  if (name === undefined || name === null) return { name: 'required field missing' };
  if (typeof name !== 'string' || !enabledPlugins(kongVersion)[name]) {
    return { name: pluginNotEnabled(typeof name === 'string' ? name : isJsonObject(name) ? 'table' : String(name)) };
  }
  return undefined;
}
