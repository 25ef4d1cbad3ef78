// Kong 2.2.1 Admin API emulation (gateway.md §2–§4): entities, defaults,
// Kong-style errors, pagination, cascades, and the UMA plugin schemas.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { C_ID, HOST, startHarness, TUTORIAL_EXPRESSION, UI_CUSTOM_HEADERS, type Harness } from './harness';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.close());

type Obj = Record<string, unknown>;
const json = (r: { json: unknown }) => r.json as Obj;

function schemaViolation(message: string, fields: unknown): Obj {
  return { code: 2, name: 'schema violation', message, fields };
}

async function created(path: string, body: unknown): Promise<Obj> {
  const r = await h.admin('POST', path, body);
  assert.equal(r.status, 201, r.text);
  return json(r);
}

let seq = 0;
const unique = (p: string) => `${p}-${++seq}`;

describe('services', () => {
  test('POST expands url into protocol/host/port/path and fills the 2.2.1 defaults', async () => {
    const name = unique('svc');
    const r = await h.admin('POST', '/services', { name, url: 'http://localhost:3000' });
    assert.equal(r.status, 201);
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(r.headers['access-control-allow-origin'], '*');
    assert.equal(r.headers.server, 'kong/2.2.1');
    const s = json(r);
    assert.match(String(s.id), UUID);
    assert.equal(typeof s.created_at, 'number');
    assert.equal(s.created_at, s.updated_at);
    assert.deepEqual({ ...s, id: 'X', created_at: 0, updated_at: 0 }, {
      id: 'X',
      created_at: 0,
      updated_at: 0,
      name,
      protocol: 'http',
      host: 'localhost',
      port: 3000,
      path: null,
      retries: 5,
      connect_timeout: 60000,
      write_timeout: 60000,
      read_timeout: 60000,
      tags: null,
      client_certificate: null,
      tls_verify: null,
      tls_verify_depth: null,
      ca_certificates: null,
    });
  });

  test('url with https and a path: default port 443, path kept', async () => {
    const s = await created('/services', { name: unique('svc'), url: 'https://api.example.com/v1' });
    assert.deepEqual([s.protocol, s.host, s.port, s.path], ['https', 'api.example.com', 443, '/v1']);
  });

  test('GET by id and by name; unknown name is 404 Not found', async () => {
    const name = unique('svc');
    const s = await created('/services', { name, url: 'http://localhost:3000' });
    const byId = await h.admin('GET', `/services/${String(s.id)}`);
    assert.equal(byId.status, 200);
    assert.deepEqual(byId.json, s);
    const byName = await h.admin('GET', `/services/${name}`);
    assert.deepEqual(byName.json, s);
    const missing = await h.admin('GET', '/services/no-such-service');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.json, { message: 'Not found' });
  });

  test('409 unique violation on name (code 5)', async () => {
    const name = unique('svc');
    await created('/services', { name, url: 'http://localhost:3000' });
    const r = await h.admin('POST', '/services', { name, url: 'http://localhost:3000' });
    assert.equal(r.status, 409);
    assert.deepEqual(r.json, { code: 5, name: 'unique constraint violation', message: `UNIQUE violation detected on '{name="${name}"}'`, fields: { name } });
  });

  test('schema violations: unknown field, wrong type, several at once', async () => {
    const r = await h.admin('POST', '/services', { host: 'example.com', foo: 1, retries: 'a' });
    assert.equal(r.status, 400);
    assert.deepEqual(
      r.json,
      schemaViolation('2 schema violations (foo: unknown field; retries: expected an integer)', { foo: 'unknown field', retries: 'expected an integer' }),
    );
  });

  test('schema violations: bad url, bad name, missing host', async () => {
    const url = await h.admin('POST', '/services', { url: 42 });
    assert.deepEqual(url.json, schemaViolation('schema violation (url: expected a string)', { url: 'expected a string' }));
    const name = await h.admin('POST', '/services', { name: 'x y', host: 'h' });
    const msg = "invalid value 'x y': it must only contain alphanumeric and '., -, _, ~' characters";
    assert.deepEqual(name.json, schemaViolation(`schema violation (name: ${msg})`, { name: msg }));
    const host = await h.admin('POST', '/services', { name: unique('svc') });
    assert.deepEqual(host.json, schemaViolation('schema violation (host: required field missing)', { host: 'required field missing' }));
    const port = await h.admin('POST', '/services', { host: 'h', port: 70000 });
    assert.deepEqual(port.json, schemaViolation('schema violation (port: value should be between 0 and 65535)', { port: 'value should be between 0 and 65535' }));
  });

  test('PATCH updates, keeps the rest, bumps updated_at; PUT upserts by name keeping the id', async () => {
    const name = unique('svc');
    const s = await created('/services', { name, url: 'http://localhost:3000' });
    const p = await h.admin('PATCH', `/services/${String(s.id)}`, { retries: 7 });
    assert.equal(p.status, 200);
    assert.deepEqual({ ...json(p), updated_at: 0 }, { ...s, retries: 7, updated_at: 0 });
    const put = await h.admin('PUT', `/services/${name}`, { url: 'http://other:8080' });
    assert.equal(put.status, 200);
    assert.equal(json(put).id, s.id);
    assert.deepEqual([json(put).host, json(put).port, json(put).retries], ['other', 8080, 5]);
    const fresh = unique('svc');
    const putNew = await h.admin('PUT', `/services/${fresh}`, { url: 'http://new:1' });
    assert.equal(putNew.status, 200);
    assert.equal(json(putNew).name, fresh);
  });

  test('PATCH of an unknown id or name: 404 not found err_t', async () => {
    const id = '11111111-1111-4111-8111-111111111111';
    const r = await h.admin('PATCH', `/services/${id}`, { retries: 1 });
    assert.equal(r.status, 404);
    assert.deepEqual(r.json, { code: 6, name: 'not found', message: `could not find the entity with primary key '{id="${id}"}'`, fields: { id } });
    const n = await h.admin('PATCH', '/services/nope', { retries: 1 });
    assert.deepEqual(n.json, { code: 6, name: 'not found', message: `could not find the entity with '{name="nope"}'`, fields: { name: 'nope' } });
  });

  test('DELETE is 204, also for an unknown id; a service routes still use is a foreign key violation', async () => {
    const s = await created('/services', { name: unique('svc'), url: 'http://localhost:3000' });
    await created('/routes', { hosts: ['x.example.com'], service: { id: s.id } });
    const refused = await h.admin('DELETE', `/services/${String(s.id)}`);
    assert.equal(refused.status, 400);
    assert.deepEqual(refused.json, {
      code: 4,
      name: 'foreign key violation',
      message: "an existing 'routes' entity references this 'services' entity",
      fields: { '@referenced_by': 'routes' },
    });
    const lone = await created('/services', { name: unique('svc'), url: 'http://localhost:3000' });
    const del = await h.admin('DELETE', `/services/${String(lone.id)}`);
    assert.equal(del.status, 204);
    assert.equal(del.text, '');
    assert.equal((await h.admin('GET', `/services/${String(lone.id)}`)).status, 404);
    assert.equal((await h.admin('DELETE', '/services/22222222-2222-4222-8222-222222222222')).status, 204);
  });
});

describe('lists and pagination', () => {
  test('GET list: {data, next:null}; size pages with an offset and a next link, ordered by id', async () => {
    const local = await startHarness();
    try {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await local.admin('POST', '/consumers', { username: `u${i}` });
        ids.push(String(json(r).id));
      }
      ids.sort();
      const all = await local.admin('GET', '/consumers');
      assert.equal(all.status, 200);
      assert.equal(json(all).next, null);
      assert.equal('offset' in json(all), false);
      assert.deepEqual((json(all).data as Obj[]).map((c) => c.id), ids);
      const p1 = await local.admin('GET', '/consumers?size=2');
      const page1 = json(p1);
      assert.deepEqual((page1.data as Obj[]).map((c) => c.id), ids.slice(0, 2));
      assert.equal(typeof page1.offset, 'string');
      assert.equal(page1.next, `/consumers?offset=${encodeURIComponent(String(page1.offset))}`);
      const p2 = await local.admin('GET', String(page1.next) + '&size=2');
      assert.deepEqual((json(p2).data as Obj[]).map((c) => c.id), ids.slice(2));
      assert.equal(json(p2).next, null);
      const empty = await local.admin('GET', '/services');
      assert.deepEqual(empty.json, { data: [], next: null });
    } finally {
      await local.close();
    }
  });

  test('invalid size and offset', async () => {
    const size = await h.admin('GET', '/services?size=0');
    assert.equal(size.status, 400);
    assert.deepEqual(size.json, { code: 9, name: 'invalid size', message: 'size must be an integer between 1 and 1000' });
    const nan = await h.admin('GET', '/services?size=abc');
    assert.deepEqual(nan.json, { code: 9, name: 'invalid size', message: 'size must be a number' });
    const off = await h.admin('GET', '/services?offset=@@');
    assert.equal(off.status, 400);
    assert.deepEqual(off.json, { code: 7, name: 'invalid offset', message: "'@@' is not a valid offset: bad base64 encoding" });
  });
});

describe('routes', () => {
  test('POST with service id: 201, 2.2.1 route shape and defaults', async () => {
    const s = await created('/services', { name: unique('svc'), url: 'http://localhost:3000' });
    const r = await created('/routes', { name: unique('route'), hosts: [HOST], service: { id: s.id } });
    assert.deepEqual(
      { ...r, id: 'X', created_at: 0, updated_at: 0, name: 'N' },
      {
        id: 'X',
        created_at: 0,
        updated_at: 0,
        name: 'N',
        protocols: ['http', 'https'],
        methods: null,
        hosts: [HOST],
        paths: null,
        headers: null,
        https_redirect_status_code: 426,
        regex_priority: 0,
        strip_path: true,
        path_handling: 'v0',
        preserve_host: false,
        request_buffering: true,
        response_buffering: true,
        snis: null,
        sources: null,
        destinations: null,
        tags: null,
        service: { id: s.id },
      },
    );
  });

  test('a route pointing at an unknown service: 400 foreign key violation', async () => {
    const id = '33333333-3333-4333-8333-333333333333';
    const r = await h.admin('POST', '/routes', { hosts: ['a.example.com'], service: { id } });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, {
      code: 4,
      name: 'foreign key violation',
      message: `the foreign key '{id="${id}"}' does not reference an existing 'services' entity.`,
      fields: { service: { id } },
    });
  });

  test('service referenced by name is resolved; an unknown name is unresolved (code 13)', async () => {
    const name = unique('svc');
    const s = await created('/services', { name, url: 'http://localhost:3000' });
    const r = await created('/routes', { hosts: ['b.example.com'], service: { name } });
    assert.deepEqual(r.service, { id: s.id });
    const bad = await h.admin('POST', '/routes', { hosts: ['b.example.com'], service: { name: 'nope' } });
    assert.equal(bad.status, 400);
    const text = "the foreign key cannot be resolved with '{name=\"nope\"}' for an existing 'services' entity";
    assert.deepEqual(bad.json, { code: 13, name: 'foreign keys unresolved', message: `foreign key unresolved (service.name: ${text})`, fields: { service: { name: text } } });
  });

  test('a route must match on something; bad hosts and paths', async () => {
    const none = await h.admin('POST', '/routes', { name: unique('route') });
    const msg = "must set one of 'methods', 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'https'";
    assert.deepEqual(none.json, schemaViolation(`schema violation (${msg})`, { '@entity': [msg] }));
    const host = await h.admin('POST', '/routes', { hosts: ['a.*.com'] });
    const hm = 'invalid wildcard: must be placed at leftmost or rightmost label';
    assert.deepEqual(host.json, schemaViolation(`schema violation (hosts.1: ${hm})`, { hosts: [hm] }));
    const path = await h.admin('POST', '/routes', { paths: ['posts'] });
    assert.deepEqual(path.json, schemaViolation('schema violation (paths.1: should start with: /)', { paths: ['should start with: /'] }));
  });

  test('/services/{name}/routes: POST sets the service, GET lists only its routes; /routes/{id}/service', async () => {
    const name = unique('svc');
    const s = await created('/services', { name, url: 'http://localhost:3000' });
    const r = await created(`/services/${name}/routes`, { paths: ['/nested'] });
    assert.deepEqual(r.service, { id: s.id });
    const list = await h.admin('GET', `/services/${name}/routes`);
    assert.deepEqual((json(list).data as Obj[]).map((x) => x.id), [r.id]);
    assert.equal(json(list).next, null);
    const svc = await h.admin('GET', `/routes/${String(r.id)}/service`);
    assert.deepEqual(svc.json, s);
    const viaNested = await h.admin('GET', `/services/${name}/routes/${String(r.id)}`);
    assert.deepEqual(viaNested.json, r);
    const unknownParent = await h.admin('GET', '/services/nope/routes');
    assert.deepEqual([unknownParent.status, unknownParent.json], [404, { message: 'Not found' }]);
  });
});

describe('consumers', () => {
  test('create, get by id and username, 409 on custom_id, at least one of', async () => {
    const username = unique('rqp');
    const c = await created('/consumers', { username, custom_id: `${C_ID}-${username}` });
    assert.deepEqual(Object.keys(c).sort(), ['created_at', 'custom_id', 'id', 'tags', 'username']);
    assert.equal(c.tags, null);
    assert.deepEqual((await h.admin('GET', `/consumers/${username}`)).json, c);
    assert.deepEqual((await h.admin('GET', `/consumers/${String(c.id)}`)).json, c);
    const dup = await h.admin('POST', '/consumers', { username: unique('other'), custom_id: c.custom_id });
    assert.equal(dup.status, 409);
    assert.deepEqual(dup.json, { code: 5, name: 'unique constraint violation', message: `UNIQUE violation detected on '{custom_id="${String(c.custom_id)}"}'`, fields: { custom_id: c.custom_id } });
    const empty = await h.admin('POST', '/consumers', {});
    const msg = "at least one of these fields must be non-empty: 'custom_id', 'username'";
    assert.deepEqual(empty.json, schemaViolation(`schema violation (${msg})`, { '@entity': [msg] }));
  });

  // Kong 2.2.1 kong/api/routes/consumers.lua: the filter is honoured, the answer a list of one or none, never paged.
  test('GET /consumers?custom_id= answers that consumer only, or an empty list; a missing or repeated value is a 500', async () => {
    const a = await created('/consumers', { username: unique('a'), custom_id: unique('cid-a') });
    const b = await created('/consumers', { username: unique('b'), custom_id: unique('cid-b') });
    for (const c of [a, b]) {
      const r = await h.admin('GET', `/consumers?custom_id=${encodeURIComponent(String(c.custom_id))}&size=1`);
      assert.equal(r.status, 200);
      assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
      assert.deepEqual(r.json, { data: [c], next: null });
    }
    const none = await h.admin('GET', `/consumers?custom_id=${unique('nobody')}`);
    assert.deepEqual([none.status, none.text], [200, '{"data":[],"next":null}']);
    // Not the username: the lookup is by custom_id alone.
    const byName = await h.admin('GET', `/consumers?custom_id=${String(a.username)}`);
    assert.deepEqual(byName.json, { data: [], next: null });
    for (const query of ['custom_id=', 'custom_id', `custom_id=${String(a.custom_id)}&custom_id=${String(b.custom_id)}`]) {
      const r = await h.admin('GET', `/consumers?${query}`);
      assert.deepEqual([r.status, r.json], [500, { message: 'An unexpected error occurred' }], query);
    }
  });

  test('PATCH and DELETE', async () => {
    const c = await created('/consumers', { username: unique('c') });
    const p = await h.admin('PATCH', `/consumers/${String(c.id)}`, { custom_id: 'cid-x' });
    assert.deepEqual(p.json, { ...c, custom_id: 'cid-x' });
    assert.equal((await h.admin('DELETE', `/consumers/${String(c.username)}`)).status, 204);
    assert.equal((await h.admin('GET', `/consumers/${String(c.id)}`)).status, 404);
  });
});

describe('request bodies', () => {
  test('bad JSON: 400 Cannot parse JSON body', async () => {
    const r = await h.admin('POST', '/services', '{bad', { 'Content-Type': 'application/json' });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, { message: 'Cannot parse JSON body' });
  });

  test('an unsupported content type is 415 with no body', async () => {
    const r = await h.admin('POST', '/consumers', 'username=x', { 'Content-Type': 'text/plain' });
    assert.equal(r.status, 415);
    assert.equal(r.text, '');
  });

  test('form-urlencoded: arrays, nested config, inferred booleans', async () => {
    const c = await h.admin('POST', '/consumers', `username=${unique('f')}&custom_id=${unique('cid')}&tags[]=a&tags[]=b`, FORM);
    assert.equal(c.status, 201);
    assert.deepEqual(json(c).tags, ['a', 'b']);
    const s = await h.admin('POST', '/services', `name=${unique('fs')}&url=http://localhost:3000&retries=3`, FORM);
    assert.equal(json(s).retries, 3);
    const route = await h.admin('POST', '/routes', `hosts=form.example.com&strip_path=false&service.id=${String(json(s).id)}`, FORM);
    assert.equal(route.status, 201, route.text);
    assert.deepEqual([json(route).hosts, json(route).strip_path], [['form.example.com'], false]);
    const cfg = (k: string, v: string) => `config.${k}=${encodeURIComponent(v)}`;
    const body = [
      'name=gluu-uma-auth',
      `route.id=${String(json(route).id)}`,
      cfg('oxd_id', 'o'),
      cfg('oxd_url', 'https://oxd:8443'),
      cfg('client_id', 'c'),
      cfg('client_secret', 's'),
      cfg('op_url', 'https://as'),
      cfg('consumer_mapping', 'false'),
      cfg('custom_headers[1].header_name', 'x-consumer-id'),
      cfg('custom_headers[1].value_lua_exp', 'consumer.id'),
      cfg('custom_headers[1].iterate', 'false'),
    ].join('&');
    const p = await h.admin('POST', '/plugins', body, FORM);
    assert.equal(p.status, 201, p.text);
    assert.equal((json(p).config as Obj).consumer_mapping, false);
    assert.deepEqual((json(p).config as Obj).custom_headers, [{ header_name: 'x-consumer-id', value_lua_exp: 'consumer.id', iterate: false, format: null, sep: null }]);
  });
});

describe('plugins', () => {
  let serviceId = '';
  before(async () => {
    serviceId = String((await created('/services', { name: unique('plugsvc'), url: 'http://localhost:3000' })).id);
  });

  test('gluu-uma-auth: 201 with the §2.1 defaults and the plugin entity shape', async () => {
    const p = await created('/plugins', { name: 'gluu-uma-auth', service: { id: serviceId }, config: h.pluginConfig() });
    assert.match(String(p.id), UUID);
    assert.deepEqual({ ...p, id: 'X', created_at: 0 }, {
      id: 'X',
      created_at: 0,
      name: 'gluu-uma-auth',
      service: { id: serviceId },
      route: null,
      consumer: null,
      protocols: ['grpc', 'grpcs', 'http', 'https'],
      enabled: true,
      tags: null,
      config: { ...h.pluginConfig(), anonymous: ' ', pass_credentials: 'pass', consumer_mapping: true, custom_headers: null },
    });
    assert.equal((await h.admin('DELETE', `/plugins/${String(p.id)}`)).status, 204);
  });

  test('gluu-uma-pep: 201 with the §2.2 defaults (4.2.2 fields included on Kong 2.2.1)', async () => {
    const p = await created('/plugins', { name: 'gluu-uma-pep', config: h.pluginConfig() });
    assert.deepEqual(p.config, {
      ...h.pluginConfig(),
      deny_by_default: true,
      uma_scope_expression: null,
      require_id_token: false,
      obtain_rpt: false,
      redirect_claim_gathering_url: false,
      claims_redirect_path: null,
      pushed_claims_lua_exp: null,
      read_claims_from_pct: false,
      claims_gathering_pct_value: null,
    });
    assert.deepEqual([p.service, p.route, p.consumer], [null, null, null]);
    await h.admin('DELETE', `/plugins/${String(p.id)}`);
  });

  test('GG 4.2.0 (Kong 2.0.4) has no read_claims_from_pct', async () => {
    const old = await startHarness({ kongVersion: '2.0.4' });
    try {
      const r = await old.admin('POST', '/plugins', { name: 'gluu-uma-pep', config: old.pluginConfig({ read_claims_from_pct: true }) });
      assert.equal(r.status, 400);
      assert.deepEqual(r.json, schemaViolation('schema violation (config.read_claims_from_pct: unknown field)', { config: { read_claims_from_pct: 'unknown field' } }));
      const ok = await old.admin('POST', '/plugins', { name: 'gluu-uma-pep', config: old.pluginConfig() });
      assert.equal('read_claims_from_pct' in (json(ok).config as Obj), false);
      assert.equal(json(await old.admin('GET', '/')).version, '2.0.4');
    } finally {
      await old.close();
    }
  });

  test('the UI defaults (custom headers included) are accepted', async () => {
    const p = await created('/plugins', {
      name: 'gluu-uma-auth',
      config: h.pluginConfig({ anonymous: '44444444-4444-4444-8444-444444444444', custom_headers: UI_CUSTOM_HEADERS }),
    });
    assert.deepEqual((p.config as Obj).custom_headers, UI_CUSTOM_HEADERS);
    const partial = await created('/plugins', {
      name: 'gluu-uma-pep',
      route: { id: String((await created('/routes', { hosts: ['ui.example.com'], service: { id: serviceId } })).id) },
      config: h.pluginConfig({ uma_scope_expression: JSON.stringify(TUTORIAL_EXPRESSION) }),
    });
    assert.equal((partial.config as Obj).uma_scope_expression, JSON.stringify(TUTORIAL_EXPRESSION));
    await h.admin('DELETE', `/plugins/${String(p.id)}`);
  });

  test('custom header items get their optional fields as null', async () => {
    const p = await created('/plugins', {
      name: 'gluu-uma-auth',
      route: { id: String((await created('/routes', { hosts: ['ch.example.com'], service: { id: serviceId } })).id) },
      config: h.pluginConfig({ custom_headers: [{ header_name: 'x-a', value_lua_exp: 'consumer.id' }] }),
    });
    assert.deepEqual((p.config as Obj).custom_headers, [{ header_name: 'x-a', value_lua_exp: 'consumer.id', format: null, sep: null, iterate: null }]);
  });

  test('missing required config fields', async () => {
    const r = await h.admin('POST', '/plugins', { name: 'gluu-uma-auth' });
    assert.equal(r.status, 400);
    assert.deepEqual(
      r.json,
      schemaViolation(
        '5 schema violations (config.client_id: required field missing; config.client_secret: required field missing; config.op_url: required field missing; config.oxd_id: required field missing; config.oxd_url: required field missing)',
        {
          config: {
            oxd_id: 'required field missing',
            oxd_url: 'required field missing',
            client_id: 'required field missing',
            client_secret: 'required field missing',
            op_url: 'required field missing',
          },
        },
      ),
    );
  });

  test('unknown config field (GG 1.0 ignore_scope), exactly as gateway.md §2', async () => {
    const r = await h.admin('POST', '/plugins', { name: 'gluu-uma-pep', config: h.pluginConfig({ ignore_scope: false }) });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, {
      code: 2,
      name: 'schema violation',
      message: 'schema violation (config.ignore_scope: unknown field)',
      fields: { config: { ignore_scope: 'unknown field' } },
    });
  });

  test('bad types, bad pass_credentials, bad URL, consumer scoping refused (no_consumer)', async () => {
    const r = await h.admin('POST', '/plugins', {
      name: 'gluu-uma-auth',
      consumer: { id: '55555555-5555-4555-8555-555555555555' },
      config: h.pluginConfig({ pass_credentials: 'forward', consumer_mapping: 'yes', oxd_url: 'localhost:8443' }),
    });
    assert.equal(r.status, 400);
    assert.deepEqual(
      r.json,
      schemaViolation(
        '4 schema violations (config.consumer_mapping: expected a boolean; config.oxd_url: missing host in url; config.pass_credentials: expected one of: pass, hide, phantom_token; consumer: value must be null)',
        {
          consumer: 'value must be null',
          config: { pass_credentials: 'expected one of: pass, hide, phantom_token', consumer_mapping: 'expected a boolean', oxd_url: 'missing host in url' },
        },
      ),
    );
    const pep = await h.admin('POST', '/plugins', { name: 'gluu-uma-pep', config: h.pluginConfig({ deny_by_default: 'true', op_url: 'https://' }) });
    assert.deepEqual(
      pep.json,
      schemaViolation('2 schema violations (config.deny_by_default: expected a boolean; config.op_url: missing host in url)', {
        config: { deny_by_default: 'expected a boolean', op_url: 'missing host in url' },
      }),
    );
  });

  test('unknown plugin name and missing name', async () => {
    const r = await h.admin('POST', '/plugins', { name: 'gluu-oauth-pep', config: {} });
    const msg = "plugin 'gluu-oauth-pep' not enabled; add it to the 'plugins' configuration property";
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, schemaViolation(`schema violation (name: ${msg})`, { name: msg }));
    const none = await h.admin('POST', '/plugins', { config: {} });
    assert.deepEqual(none.json, schemaViolation('schema violation (name: required field missing)', { name: 'required field missing' }));
  });

  const EXPRESSION_ERRORS: Array<[string, unknown]> = [
    ['Empty expression not allowed', []],
    ['Path is missing or empty in expression', [{ conditions: [{ httpMethods: ['GET'] }] }]],
    ['Path is missing or empty in expression', [{ path: '', conditions: [{ httpMethods: ['GET'] }] }]],
    ['Multiple ?? patterns in path are not supported', [{ path: '/a/??/b/??', conditions: [{ httpMethods: ['GET'] }] }]],
    ['Duplicate path in expression', [{ path: '/a', conditions: [{ httpMethods: ['GET'] }] }, { path: '/a', conditions: [{ httpMethods: ['POST'] }] }]],
    ['Conditions are missing in expression', [{ path: '/a' }]],
    ['HTTP Methods are missing or empty from condition in expression', [{ path: '/a', conditions: [{ scope_expression: {} }] }]],
    ['HTTP Methods are missing or empty from condition in expression', [{ path: '/a', conditions: [{ httpMethods: [] }] }]],
    ['Duplicate http method from conditions in expression', [{ path: '/a', conditions: [{ httpMethods: ['GET', 'POST'] }, { httpMethods: ['GET'] }] }]],
  ];
  for (const [message, expression] of EXPRESSION_ERRORS) {
    test(`check_expression: "${message}" for ${JSON.stringify(expression)}`, async () => {
      const r = await h.admin('POST', '/plugins', { name: 'gluu-uma-pep', config: h.pluginConfig({ uma_scope_expression: JSON.stringify(expression) }) });
      assert.equal(r.status, 400);
      assert.deepEqual(r.json, schemaViolation(`schema violation (config: ${message})`, { config: message }));
    });
  }

  test('check_expression merges methods by index (pl.tablex.merge): a repeat two conditions back slips through', async () => {
    const expression = [{ path: '/a', conditions: [{ httpMethods: ['GET'] }, { httpMethods: ['POST'] }, { httpMethods: ['GET'] }] }];
    const r = await h.admin('POST', '/plugins', { name: 'gluu-uma-pep', config: h.pluginConfig({ uma_scope_expression: JSON.stringify(expression) }) });
    assert.equal(r.status, 201, r.text);
    await h.admin('DELETE', `/plugins/${String(json(r).id)}`);
  });

  test('Q6: invalid JSON in uma_scope_expression is accepted at creation', async () => {
    const r = await h.admin('POST', '/plugins', { name: 'gluu-uma-pep', config: h.pluginConfig({ uma_scope_expression: '[{"path":' }) });
    assert.equal(r.status, 201);
    assert.equal((json(r).config as Obj).uma_scope_expression, '[{"path":');
    await h.admin('DELETE', `/plugins/${String(json(r).id)}`);
  });

  test('custom_headers: item errors are pretty-printed; unsupported Lua is refused with the sandbox message', async () => {
    const missing = await h.admin('POST', '/plugins', { name: 'gluu-uma-auth', config: h.pluginConfig({ custom_headers: [{ header_name: 'x-a' }] }) });
    assert.deepEqual(
      missing.json,
      schemaViolation('schema violation (config.custom_headers: {\n  {\n    value_lua_exp = "required field missing"\n  }\n})', {
        config: { custom_headers: [{ value_lua_exp: 'required field missing' }] },
      }),
    );
    const lua = await h.admin('POST', '/plugins', { name: 'gluu-uma-auth', config: h.pluginConfig({ custom_headers: [{ header_name: 'x-a', value_lua_exp: 'os.time()' }] }) });
    const msg =
      'x-a has not a valid lua expression value, Error: the sandbox supports only dotted paths into consumer, introspect_data, id_token, userinfo, access_token, request and quoted string or number literals';
    assert.deepEqual(lua.json, schemaViolation(`schema violation (config: ${msg})`, { config: msg }));
    const fmt = await h.admin('POST', '/plugins', { name: 'gluu-uma-auth', config: h.pluginConfig({ custom_headers: [{ header_name: 'x-a', value_lua_exp: '"lit"', format: 'xml' }] }) });
    const fmsg = 'expected one of: string, jwt, base64, urlencoded, list';
    assert.deepEqual(fmt.json, schemaViolation(`schema violation (config.custom_headers: {\n  {\n    format = "${fmsg}"\n  }\n})`, { config: { custom_headers: [{ format: fmsg }] } }));
  });

  test('409 for a second plugin of the same name on the same service', async () => {
    const svc = String((await created('/services', { name: unique('dup'), url: 'http://localhost:3000' })).id);
    await created('/plugins', { name: 'gluu-uma-pep', service: { id: svc }, config: h.pluginConfig() });
    const r = await h.admin('POST', '/plugins', { name: 'gluu-uma-pep', service: { id: svc }, config: h.pluginConfig() });
    assert.equal(r.status, 409);
    assert.deepEqual(r.json, {
      code: 5,
      name: 'unique constraint violation',
      message: `UNIQUE violation detected on '{consumer=null,name="gluu-uma-pep",route=null,service={id="${svc}"}}'`,
      fields: { consumer: null, name: 'gluu-uma-pep', route: null, service: { id: svc } },
    });
  });

  test('PATCH merges config; PATCH of an unknown plugin is 404 Not found; a bad PATCH is 400', async () => {
    const p = await created('/plugins', { name: 'gluu-uma-pep', route: { id: String((await created('/routes', { hosts: ['patch.example.com'], service: { id: serviceId } })).id) }, config: h.pluginConfig() });
    const r = await h.admin('PATCH', `/plugins/${String(p.id)}`, { config: { deny_by_default: false } });
    assert.equal(r.status, 200);
    assert.deepEqual(json(r).config, { ...(p.config as Obj), deny_by_default: false });
    assert.deepEqual(json(r).route, p.route);
    const missing = await h.admin('PATCH', '/plugins/66666666-6666-4666-8666-666666666666', { enabled: false });
    assert.deepEqual([missing.status, missing.json], [404, { message: 'Not found' }]);
    const bad = await h.admin('PATCH', `/plugins/${String(p.id)}`, { config: { uma_scope_expression: '[]' } });
    assert.deepEqual(bad.json, schemaViolation('schema violation (config: Empty expression not allowed)', { config: 'Empty expression not allowed' }));
  });

  test('GET /plugins/{not a uuid}: 400 invalid primary key', async () => {
    const r = await h.admin('GET', '/plugins/not-a-uuid');
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, { code: 1, name: 'invalid primary key', message: `invalid primary key: '{id="expected a valid UUID"}'`, fields: { id: 'expected a valid UUID' } });
  });

  test('nested plugin endpoints on services and routes', async () => {
    const name = unique('nest');
    const svc = String((await created('/services', { name, url: 'http://localhost:3000' })).id);
    const viaService = await created(`/services/${name}/plugins`, { name: 'gluu-uma-auth', config: h.pluginConfig() });
    assert.deepEqual(viaService.service, { id: svc });
    const list = await h.admin('GET', `/services/${svc}/plugins`);
    assert.deepEqual((json(list).data as Obj[]).map((p) => p.id), [viaService.id]);
    const route = String((await created('/routes', { hosts: ['nest.example.com'], service: { id: svc } })).id);
    const viaRoute = await created(`/routes/${route}/plugins`, { name: 'gluu-uma-pep', config: h.pluginConfig() });
    assert.deepEqual([viaRoute.route, viaRoute.service], [{ id: route }, null]);
    const patched = await h.admin('PATCH', `/routes/${route}/plugins/${String(viaRoute.id)}`, { enabled: false });
    assert.equal(json(patched).enabled, false);
    const wrongParent = await h.admin('GET', `/services/${svc}/plugins/${String(viaRoute.id)}`);
    assert.equal(wrongParent.status, 404);
  });

  test('cascade: deleting a route or a service removes the plugins scoped to it', async () => {
    const svc = String((await created('/services', { name: unique('casc'), url: 'http://localhost:3000' })).id);
    const route = String((await created('/routes', { hosts: ['casc.example.com'], service: { id: svc } })).id);
    const onRoute = await created('/plugins', { name: 'gluu-uma-pep', route: { id: route }, config: h.pluginConfig() });
    const onService = await created('/plugins', { name: 'gluu-uma-pep', service: { id: svc }, config: h.pluginConfig() });
    assert.equal((await h.admin('DELETE', `/routes/${route}`)).status, 204);
    assert.equal((await h.admin('GET', `/plugins/${String(onRoute.id)}`)).status, 404);
    assert.equal((await h.admin('GET', `/plugins/${String(onService.id)}`)).status, 200);
    assert.equal((await h.admin('DELETE', `/services/${svc}`)).status, 204);
    assert.equal((await h.admin('GET', `/plugins/${String(onService.id)}`)).status, 404);
  });
});

describe('node endpoints and routing', () => {
  test('GET / and GET /status', async () => {
    const root = await h.admin('GET', '/');
    assert.equal(root.status, 200);
    const r = json(root);
    assert.equal(r.version, '2.2.1');
    assert.equal(r.tagline, 'Welcome to kong');
    assert.deepEqual((r.plugins as Obj).available_on_server, { 'gluu-uma-auth': true, 'gluu-openid-connect': true, 'gluu-uma-pep': true });
    const status = await h.admin('GET', '/status');
    assert.deepEqual((json(status).database as Obj), { reachable: true });
  });

  test('unknown endpoint 404, unsupported method 405, trailing slash tolerated', async () => {
    const nf = await h.admin('GET', '/nothing-here');
    assert.deepEqual([nf.status, nf.json], [404, { message: 'Not found' }]);
    const na = await h.admin('DELETE', '/services');
    assert.deepEqual([na.status, na.json], [405, { message: 'Method not allowed' }]);
    const slash = await h.admin('GET', '/services/');
    assert.equal(slash.status, 200);
  });
});
