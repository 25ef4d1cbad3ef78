// gluu-openid-connect's config as Kong 2.2 validates it (schema.lua @
// version_4.2.2, oidc-uma.md §1.2): required fields, typedefs.url and
// typedefs.timeout, defaults, custom_headers records, check_expression on
// required_acrs_expression (invalid JSON accepted), no_consumer; and
// POST /schemas/plugins/validate as the GG UI calls it before saving.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { P_ID, P_OXD, P_SECRET, startHarness, type Harness } from './harness';

type Obj = Record<string, unknown>;
const violation = (message: string, fields: unknown): Obj => ({ code: 2, name: 'schema violation', message, fields });

const UI_HEADERS = [
  { header_name: 'http-kong-id-token-{*}', value_lua_exp: 'id_token', format: 'string', sep: ' ', iterate: true },
  { header_name: 'http-kong-userinfo-{*}', value_lua_exp: 'userinfo', format: 'string', sep: ' ', iterate: true },
  { header_name: 'http-kong-userinfo', value_lua_exp: 'userinfo', format: 'jwt', sep: ' ', iterate: false },
  { header_name: 'http-kong-id-token', value_lua_exp: 'id_token', format: 'jwt', sep: ' ', iterate: false },
];

function config(h: Harness, extra: Obj = {}): Obj {
  return {
    oxd_id: P_OXD,
    oxd_url: h.oxd.url,
    client_id: P_ID,
    client_secret: P_SECRET,
    op_url: h.oxd.asUri,
    authorization_redirect_path: '/callback',
    max_id_token_age: 3600,
    max_id_token_auth_age: 3600,
    ...extra,
  };
}

async function withKong(fn: (h: Harness) => Promise<void>): Promise<void> {
  const h = await startHarness();
  try {
    await fn(h);
  } finally {
    await h.close();
  }
}

test('the GG UI body is accepted: 201, defaults filled in, unset optional fields null', async () => {
  await withKong(async (h) => {
    const body = config(h, {
      logout_path: '/logout',
      post_logout_redirect_path_or_url: '/logout_redirect_uri',
      requested_scopes: ['openid', 'oxd', 'email', 'profile', 'uma_protection'],
      required_acrs_expression: null,
      custom_headers: UI_HEADERS,
    });
    const r = await h.admin('POST', '/plugins', { name: 'gluu-openid-connect', config: body });
    assert.equal(r.status, 201, r.text);
    const c = (r.json as Obj).config as Obj;
    assert.equal(c.restore_original_auth_params, false);
    assert.equal(c.required_acrs_expression, null);
    assert.deepEqual(c.custom_headers, UI_HEADERS);
    assert.equal((r.json as Obj).consumer, null);
    assert.equal((await h.admin('DELETE', `/plugins/${String((r.json as Obj).id)}`)).status, 204);
    const bare = await h.admin('POST', '/plugins', { name: 'gluu-openid-connect', config: config(h) });
    assert.equal(bare.status, 201, bare.text);
    const bc = (bare.json as Obj).config as Obj;
    for (const k of ['logout_path', 'post_logout_redirect_path_or_url', 'requested_scopes', 'required_acrs_expression', 'custom_headers']) assert.equal(bc[k], null, k);
  });
});

test('missing required fields: six strings/urls and both timeouts', async () => {
  await withKong(async (h) => {
    const r = await h.admin('POST', '/plugins', { name: 'gluu-openid-connect' });
    assert.equal(r.status, 400);
    const fields = [
      'authorization_redirect_path',
      'client_id',
      'client_secret',
      'max_id_token_age',
      'max_id_token_auth_age',
      'op_url',
      'oxd_id',
      'oxd_url',
    ];
    assert.deepEqual(
      r.json,
      violation(`${fields.length} schema violations (${fields.map((f) => `config.${f}: required field missing`).join('; ')})`, {
        config: Object.fromEntries(fields.map((f) => [f, 'required field missing'])),
      }),
    );
  });
});

test('typedefs.timeout: an integer between 0 and 2147483646; typedefs.url; booleans; consumer scoping refused', async () => {
  await withKong(async (h) => {
    const r = await h.admin('POST', '/plugins', {
      name: 'gluu-openid-connect',
      consumer: { id: '55555555-5555-4555-8555-555555555555' },
      config: config(h, { max_id_token_age: 1.5, max_id_token_auth_age: -1, op_url: 'https://', restore_original_auth_params: 'yes', requested_scopes: 'openid' }),
    });
    assert.equal(r.status, 400);
    assert.deepEqual(
      r.json,
      violation(
        '6 schema violations (config.max_id_token_age: expected an integer; config.max_id_token_auth_age: value should be between 0 and 2147483646; config.op_url: missing host in url; config.requested_scopes: expected an array; config.restore_original_auth_params: expected a boolean; consumer: value must be null)',
        {
          consumer: 'value must be null',
          config: {
            max_id_token_age: 'expected an integer',
            max_id_token_auth_age: 'value should be between 0 and 2147483646',
            op_url: 'missing host in url',
            requested_scopes: 'expected an array',
            restore_original_auth_params: 'expected a boolean',
          },
        },
      ),
    );
    const zero = await h.admin('POST', '/plugins', { name: 'gluu-openid-connect', config: config(h, { max_id_token_age: 0, max_id_token_auth_age: 2147483646 }) });
    assert.equal(zero.status, 201, zero.text);
  });
});

test('required_acrs_expression: check_expression messages; invalid JSON is accepted (cjson.safe)', async () => {
  await withKong(async (h) => {
    const bad = await h.admin('POST', '/plugins', { name: 'gluu-openid-connect', config: config(h, { required_acrs_expression: '[]' }) });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.json, violation('schema violation (config: Empty expression not allowed)', { config: 'Empty expression not allowed' }));
    const dup = await h.admin('POST', '/plugins', {
      name: 'gluu-openid-connect',
      config: config(h, { required_acrs_expression: JSON.stringify([{ path: '/a', conditions: [{ httpMethods: ['GET'] }, { httpMethods: ['GET'] }] }]) }),
    });
    assert.deepEqual(dup.json, violation('schema violation (config: Duplicate http method from conditions in expression)', { config: 'Duplicate http method from conditions in expression' }));
    const notJson = await h.admin('POST', '/plugins', { name: 'gluu-openid-connect', config: config(h, { required_acrs_expression: '[{' }) });
    assert.equal(notJson.status, 201, notJson.text);
  });
});

test('custom_headers: records as gluu-uma-pep/auth have them, a header expression the sandbox cannot run refused', async () => {
  await withKong(async (h) => {
    const fmt = await h.admin('POST', '/plugins', { name: 'gluu-openid-connect', config: config(h, { custom_headers: [{ header_name: 'x', value_lua_exp: 'id_token', format: 'xml' }] }) });
    const fmsg = 'expected one of: string, jwt, base64, urlencoded, list';
    assert.deepEqual(fmt.json, violation(`schema violation (config.custom_headers: {\n  {\n    format = "${fmsg}"\n  }\n})`, { config: { custom_headers: [{ format: fmsg }] } }));
    const lua = await h.admin('POST', '/plugins', { name: 'gluu-openid-connect', config: config(h, { custom_headers: [{ header_name: 'x', value_lua_exp: 'os.time()' }] }) });
    assert.equal(lua.status, 400);
    assert.match(String((lua.json as Obj).message), /^schema violation \(config: x has not a valid lua expression value, Error: /);
  });
});

test('POST /schemas/plugins/validate: 200 "schema validation successful" with the UI placeholders, the same 400 as POST /plugins, nothing stored', async () => {
  await withKong(async (h) => {
    const ok = await h.admin('POST', '/schemas/plugins/validate', {
      name: 'gluu-openid-connect',
      config: config(h, { oxd_id: 'schema-test', client_id: 'schema-test', client_secret: 'schema_test', custom_headers: UI_HEADERS }),
    });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.json, { message: 'schema validation successful' });
    const pep = await h.admin('POST', '/schemas/plugins/validate', { name: 'gluu-uma-pep', config: h.pluginConfig({ uma_scope_expression: '[]' }) });
    assert.equal(pep.status, 400);
    assert.deepEqual(pep.json, violation('schema violation (config: Empty expression not allowed)', { config: 'Empty expression not allowed' }));
    const missing = await h.admin('POST', '/schemas/plugins/validate', { name: 'gluu-openid-connect', config: config(h, { max_id_token_age: undefined }) });
    assert.deepEqual(missing.json, violation('schema violation (config.max_id_token_age: required field missing)', { config: { max_id_token_age: 'required field missing' } }));
    const unknown = await h.admin('POST', '/schemas/widgets/validate', {});
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.json, { message: "No entity named 'widgets'" });
    assert.deepEqual(((await h.admin('GET', '/plugins')).json as Obj).data, []);
  });
});
