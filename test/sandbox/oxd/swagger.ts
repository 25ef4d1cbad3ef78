// Validates oxd answers against the published oxd 4.2 OpenAPI file
// (oxd-swagger-4.2.yaml, an unchanged copy of the reference file) where that
// file is right. KNOWN_SWAGGER_ERRORS is the visible list of where it is
// wrong (oxd.md §9, plus two rows found while testing); each row says how
// the schema is corrected before validating.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; required?: string[]; items?: Schema };

export interface SwaggerCorrection {
  /** Where the swagger is wrong. */
  where: string;
  swaggerSays: string;
  realBehaviour: string;
  source: 'oxd.md §9' | 'found while testing';
  /** Which response schema the correction applies to, if any (request-side rows have none). */
  response?: { path: string; status: number };
  /** Which request schema the correction applies to (assertSwaggerRequest). */
  request?: { path: string };
  fix?: (schema: Schema) => Schema;
}

const without = (list: string[] | undefined, ...names: string[]) => (list ?? []).filter((n) => !names.includes(n));

export const KNOWN_SWAGGER_ERRORS: SwaggerCorrection[] = [
  {
    where: 'UmaRsCheckAccessResponse',
    swaggerSays: 'only access and ticket, both required',
    realBehaviour: 'also www-authenticate_header; granted carries no ticket',
    source: 'oxd.md §9',
    response: { path: '/uma-rs-check-access', status: 200 },
    fix: (s) => ({ ...s, required: ['access'], properties: { ...s.properties, 'www-authenticate_header': { type: 'string' } } }),
  },
  {
    where: 'uma-rp-get-rpt 403',
    swaggerSays: '403 = invalid access token only',
    realBehaviour: 'also the flat need_info body and every other AS error but invalid_ticket / invalid_claim_token_format',
    source: 'oxd.md §9',
  },
  { where: 'UmaRpGetRptResponse.token_type', swaggerSays: 'example bearer', realBehaviour: 'Bearer (an example only, no schema change)', source: 'oxd.md §9' },
  {
    where: 'ErrorResponse',
    swaggerSays: 'details is a string; only error, error_description, details',
    realBehaviour: 'details is a JSON node; there is also reason; both usually absent',
    source: 'oxd.md §9',
    fix: (s) => ({ ...s, properties: { ...s.properties, details: {}, reason: {} } }),
  },
  {
    where: 'Condition (uma-rs-protect request)',
    swaggerSays: 'scope_expression is a string array; scope_expression, scopes, ticketScopes required',
    realBehaviour: 'scope_expression is {"rule","data"}; all three optional',
    source: 'oxd.md §9',
  },
  { where: 'UmaRsProtectParams.overwrite', swaggerSays: 'required', realBehaviour: 'optional, default false', source: 'oxd.md §9' },
  {
    where: 'IntrospectRptResponse',
    swaggerSays: 'requires aud, iss, nbf, …',
    realBehaviour: 'nbf, iss, jti, sub null/absent for UMA RPTs; an inactive RPT is {"active":false}; pct_claims never present',
    source: 'oxd.md §9',
    response: { path: '/introspect-rpt', status: 200 },
    fix: (s) => ({ ...s, required: ['active'] }),
  },
  {
    where: 'IntrospectAccessTokenResponse',
    swaggerSays: 'has nbf, extension_field, array acr_values; all required',
    realBehaviour: 'no nbf / extension_field; acr_values is a string; absent members are left out',
    source: 'oxd.md §9',
    response: { path: '/introspect-access-token', status: 200 },
    fix: (s) => {
      const props: Record<string, Schema> = { ...s.properties, acr_values: { type: 'string' } };
      delete props.nbf;
      delete props.extension_field;
      return { ...s, required: ['active'], properties: props, additionalProperties: false };
    },
  },
  { where: 'update-site headers', swaggerSays: 'documents Authorization / AuthorizationOxdId', realBehaviour: 'not validated in 4.2.x', source: 'oxd.md §9' },
  { where: 'claims-gathering URL example', swaggerSays: 'gather_claims?client_id@!1736…', realBehaviour: 'client_id= (the = is missing in the example)', source: 'oxd.md §9' },
  {
    where: '/health-check 200',
    swaggerSays: 'content: {}',
    realBehaviour: 'JSON body {"application","version","status"}',
    source: 'oxd.md §9',
    response: { path: '/health-check', status: 200 },
    fix: () => ({
      type: 'object',
      required: ['status'],
      properties: { application: { type: 'string' }, version: { type: 'string' }, status: { type: 'string', enum: ['running'] } },
    }),
  },
  { where: 'securitySchemes', swaggerSays: 'none; Authorization an optional header', realBehaviour: 'mandatory for the token-required commands', source: 'oxd.md §9' },
  {
    where: 'RegisterSiteResponse',
    swaggerSays: 'no initiate_login_uri key',
    realBehaviour: 'real key "initiate_login_uri " (trailing space), usually absent',
    source: 'oxd.md §9',
    response: { path: '/register-site', status: 200 },
    fix: (s) => ({ ...s, properties: { ...s.properties, 'initiate_login_uri ': { type: 'string' } } }),
  },
  { where: 'servers', swaggerSays: 'https://gluu.org/', realBehaviour: 'https://<oxd host>:8443', source: 'oxd.md §9' },
  { where: 'response codes', swaggerSays: 'bare YAML integers', realBehaviour: 'fine for the yaml package (keys read as "200")', source: 'oxd.md §9' },
  {
    where: 'GetClientTokenResponse.refresh_token',
    swaggerSays: 'required',
    realBehaviour: 'null for client credentials, so absent in the null-free form (oxd.md §4.4)',
    source: 'found while testing',
    response: { path: '/get-client-token', status: 200 },
    fix: (s) => ({ ...s, required: without(s.required, 'refresh_token') }),
  },
  {
    where: 'GetAccessTokenByRefreshTokenResponse.refresh_token',
    swaggerSays: 'required',
    realBehaviour: 'absent when the AS issues none (same response class as get-client-token)',
    source: 'found while testing',
    response: { path: '/get-access-token-by-refresh-token', status: 200 },
    fix: (s) => ({ ...s, required: without(s.required, 'refresh_token') }),
  },
  {
    where: 'JsonWebKey (get-jwks)',
    swaggerSays: 'alg, exp, key_ops, kid, kty, use, x5c, x5t, x5u required',
    realBehaviour: 'oxAuth JSONWebKey has no key_ops / x5t / x5u members; absent members are left out',
    source: 'found while testing',
    response: { path: '/get-jwks', status: 200 },
    fix: (s) => {
      const items = s.properties?.keys?.items as Schema;
      return { ...s, properties: { ...s.properties, keys: { type: 'array', items: { ...items, required: ['kty'] } } } };
    },
  },
  {
    where: 'GetUserInfoResponse',
    swaggerSays: 'an object whose members are objects',
    realBehaviour: "the AS's userinfo JSON as it is: string and array members, an AS error object, null for an empty AS body",
    source: 'found while testing',
    response: { path: '/get-user-info', status: 200 },
    fix: () => ({}),
  },
  {
    where: 'GetTokensByCodeResponse.refresh_token',
    swaggerSays: 'required',
    realBehaviour: 'absent when the AS issues no refresh token (null-free form)',
    source: 'found while testing',
    response: { path: '/get-tokens-by-code', status: 200 },
    fix: (s) => ({ ...s, required: without(s.required, 'refresh_token') }),
  },
  {
    where: 'GetAuthorizationUrlParams.params',
    swaggerSays: 'string values',
    realBehaviour: 'GG sends params {max_age: <number>}; Jackson binds a number into the Map<String,String> as its text',
    source: 'found while testing',
    request: { path: '/get-authorization-url' },
    fix: (s) => ({ ...s, properties: { ...s.properties, params: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } } } }),
  },
  {
    where: 'GetLogoutUriParams',
    swaggerSays: 'id_token_hint, post_logout_redirect_uri, session_state and state required',
    realBehaviour: 'only oxd_id is needed; GG sends neither state nor session_state (GetLogoutUrlOperation adds each only when given)',
    source: 'found while testing',
    request: { path: '/get-logout-uri' },
    fix: (s) => ({ ...s, required: ['oxd_id'] }),
  },
  {
    where: 'GetAccessTokenByRefreshTokenParams.scope',
    swaggerSays: 'required',
    realBehaviour: 'optional (openid is always sent)',
    source: 'found while testing',
    request: { path: '/get-access-token-by-refresh-token' },
    fix: (s) => ({ ...s, required: without(s.required, 'scope') }),
  },
];

const SWAGGER_FILE = path.join(__dirname, 'oxd-swagger-4.2.yaml');

type Content = Record<string, { schema?: Schema }>;
let doc:
  | {
      paths: Record<string, Record<string, { requestBody?: { content?: Content }; responses: Record<string, { content?: Content }> }>>;
      components: { schemas: Record<string, Schema> };
    }
  | undefined;

function swagger(): NonNullable<typeof doc> {
  doc ??= parse(fs.readFileSync(SWAGGER_FILE, 'utf8'));
  return doc as NonNullable<typeof doc>;
}

/** Inlines #/components/schemas refs, applying the ErrorResponse correction where it is referenced. */
function resolve(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(resolve);
  if (node === null || typeof node !== 'object') return node;
  const o = node as Record<string, unknown>;
  if (typeof o.$ref === 'string') {
    const name = o.$ref.replace('#/components/schemas/', '');
    let target = resolve(swagger().components.schemas[name]) as Schema;
    if (name === 'ErrorResponse') target = (KNOWN_SWAGGER_ERRORS.find((c) => c.where === 'ErrorResponse')?.fix ?? ((s) => s))(target);
    return target;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = resolve(v);
  return out;
}

const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
const compiled = new Map<string, ValidateFunction>();

function validatorFor(endpoint: string, status: number): ValidateFunction {
  const key = `${endpoint} ${status}`;
  const cached = compiled.get(key);
  if (cached) return cached;
  const operations = swagger().paths[endpoint];
  assert.ok(operations, `swagger has no path ${endpoint}`);
  const operation = operations.post ?? operations.get;
  const response = operation.responses[String(status)];
  assert.ok(response, `swagger has no ${status} response for ${endpoint}`);
  let schema = (resolve(response.content?.['application/json']?.schema ?? {}) ?? {}) as Schema;
  for (const c of KNOWN_SWAGGER_ERRORS) if (c.response?.path === endpoint && c.response.status === status && c.fix) schema = c.fix(schema);
  const validate = ajv.compile(schema);
  compiled.set(key, validate);
  return validate;
}

/** Whether the swagger documents this endpoint (get-rp, for one, is not in it). */
export function hasSwaggerPath(endpoint: string): boolean {
  return Object.prototype.hasOwnProperty.call(swagger().paths, endpoint);
}

/** Asserts that `body` matches the (corrected) swagger response schema of `endpoint`. */
export function assertSwagger(endpoint: string, body: unknown, status = 200): void {
  const validate = validatorFor(endpoint, status);
  assert.ok(validate(body), `${endpoint} ${status} does not match the swagger: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`);
}

/** Asserts that a request body matches the (corrected) swagger request schema of `endpoint`. */
export function assertSwaggerRequest(endpoint: string, body: unknown): void {
  const key = `${endpoint} request`;
  let validate = compiled.get(key);
  if (!validate) {
    const operations = swagger().paths[endpoint];
    assert.ok(operations, `swagger has no path ${endpoint}`);
    const operation = operations.post ?? operations.get;
    let schema = (resolve(operation.requestBody?.content?.['application/json']?.schema ?? {}) ?? {}) as Schema;
    for (const c of KNOWN_SWAGGER_ERRORS) if (c.request?.path === endpoint && c.fix) schema = c.fix(schema);
    validate = ajv.compile(schema);
    compiled.set(key, validate);
  }
  assert.ok(validate(body), `${endpoint} request does not match the swagger: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`);
}
