// The protection API: permission endpoint, resource registration, scope
// descriptions and RPT introspection (oxauth.md §7–§10).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ID_TOKEN_FORMAT, gatheredTicket, startAs, unsignedJwt, type Setup, type TestAs } from './harness';
import { withUmaSetup } from './uma-setup';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const errText = (error: string, description: string) => `{\n    "error_description": "${description}",\n    "error": "${error}"\n}`;
const D = {
  unauthorized_client: 'The client is not authorized to request an access token using this method.',
  access_denied: 'The resource owner or AM server denied the request.',
  invalid_client_scope: 'The requested scope is invalid, unknown, or malformed.',
  invalid_permission_request: 'The provided permission request is not valid.',
  invalid_resource_id: 'The provided resource id was not found at the AS.',
  invalid_scope: 'The requested scope is invalid, unknown, malformed, or exceeds the scope granted by the resource owner.',
  not_found: 'The resource set requested from the AM cannot be found.',
  server_error: 'The AM server encountered an unexpected condition which prevented it from fulfilling the request.',
};

describe('protection API token check (PAT)', () => {
  let as: TestAs;
  let s: Setup;
  withUmaSetup((x) => ({ as, s } = x));

  const body = () => ({ resource_id: s.resourceId, resource_scopes: ['claim_gathering'] });

  for (const [name, path] of [
    ['permission', '/oxauth/restv1/host/rsrc_pr'],
    ['resource registration', '/oxauth/restv1/host/rsrc/resource_set'],
  ] as const) {
    it(`${name}: blank → 401 unauthorized_client, unknown → 401 access_denied, no uma_protection → 406 (DIV-AS-17)`, async () => {
      const blank = await as.call('POST', path, { json: body() });
      assert.equal(blank.status, 401);
      assert.equal(blank.headers['content-type'], 'application/json');
      assert.equal(blank.text, errText('unauthorized_client', D.unauthorized_client));
      const odd = await as.call('POST', path, { json: body(), headers: { Authorization: 'Token abc' } });
      assert.equal(odd.status, 401);
      assert.equal(odd.json().error, 'unauthorized_client');
      const unknown = await as.call('POST', path, { json: body(), headers: { Authorization: 'Bearer nope' } });
      assert.equal(unknown.status, 401);
      assert.equal(unknown.text, errText('access_denied', D.access_denied));
      const noScope = await as.clientToken(s.rqp, 'openid oxd');
      const r = await as.call('POST', path, { json: body(), headers: { Authorization: `Bearer ${noScope}` } });
      assert.equal(r.status, 406);
      assert.equal(r.text, errText('invalid_client_scope', D.invalid_client_scope));
    });
  }
});

describe('permission endpoint (§7)', () => {
  let as: TestAs;
  let s: Setup;
  withUmaSetup((x) => ({ as, s } = x));

  const post = (json: unknown, body?: string) =>
    as.call('POST', '/oxauth/restv1/host/rsrc_pr', { headers: { Authorization: `Bearer ${s.pat}`, 'Content-Type': 'application/json' }, ...(body === undefined ? { json } : { body }) });

  it('answers 201 {"ticket":<UUID v4>} to a single permission', async () => {
    const r = await post({ resource_id: s.resourceId, resource_scopes: ['claim_gathering'] });
    assert.equal(r.status, 201);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.deepEqual(Object.keys(r.json()), ['ticket']);
    assert.match(r.json().ticket, UUID);
    assert.equal(r.headers.location, undefined);
  });

  it('gives one ticket for an array of permissions', async () => {
    const other = await as.resource(s.pat, { name: 'other', resource_scopes: ['claim_gathering'] });
    const r = await post([
      { resource_id: s.resourceId, resource_scopes: ['claim_gathering'] },
      { resource_id: other, resource_scopes: ['claim_gathering'] },
    ]);
    assert.equal(r.status, 201);
    const perms = as.store.permissionsByTicket(r.json().ticket);
    assert.deepEqual(perms.map((p) => p.resourceId), [s.resourceId, other]);
    assert.ok(perms.every((p) => p.expiresAt - p.createdAt === 3_600_000));
  });

  it('answers 400 invalid_permission_request to an empty or unparseable body', async () => {
    for (const body of ['', '[]', '{not json', '"x"', '{"resource_scopes":"claim_gathering"}']) {
      const r = await post(undefined, body);
      assert.equal(r.status, 400, body);
      assert.equal(r.text, errText('invalid_permission_request', D.invalid_permission_request));
    }
  });

  it('answers 400 invalid_resource_id to a missing resource id', async () => {
    for (const json of [{ resource_scopes: ['claim_gathering'] }, { resource_id: '', resource_scopes: ['claim_gathering'] }]) {
      const r = await post(json);
      assert.equal(r.status, 400);
      assert.equal(r.headers['content-type'], 'application/json');
      assert.equal(r.text, errText('invalid_resource_id', D.invalid_resource_id));
    }
  });

  it('answers 404 not_found to an unknown resource (UmaResourceService.getResourceById; FedAuthz §4.3 wants 400 invalid_resource_id)', async () => {
    const r = await post({ resource_id: 'unknown', resource_scopes: ['claim_gathering'] });
    assert.equal(r.status, 404);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.text, errText('not_found', 'The resource set requested from the AM cannot be found.'));
  });

  it('accepts any scope the AS knows, also one the resource does not carry', async () => {
    const r = await post({ resource_id: s.resourceId, resource_scopes: ['non_claim_gathering'] });
    assert.equal(r.status, 201, r.text);
    assert.match(r.text, /^\{"ticket":"[0-9a-f-]{36}"\}$/);
  });

  it('answers 400 invalid_scope to a scope the AS does not know', async () => {
    const r = await post({ resource_id: s.resourceId, resource_scopes: ['unknown_scope'] });
    assert.equal(r.status, 400);
    assert.equal(r.text, errText('invalid_scope', D.invalid_scope));
  });

  it('answers 500 server_error when resource_scopes is missing', async () => {
    const r = await post({ resource_id: s.resourceId });
    assert.equal(r.status, 500);
    assert.equal(r.text, errText('server_error', D.server_error));
  });

  it('answers 415 to a non-JSON content type', async () => {
    const r = await as.call('POST', '/oxauth/restv1/host/rsrc_pr', { headers: { Authorization: `Bearer ${s.pat}` }, form: { resource_id: s.resourceId } });
    assert.equal(r.status, 415);
  });
});

describe('resource registration (§9)', () => {
  let as: TestAs;
  let s: Setup;
  const RS = '/oxauth/restv1/host/rsrc/resource_set';
  withUmaSetup((x) => ({ as, s } = x));
  const auth = () => ({ Authorization: `Bearer ${s.pat}` });
  const expression = JSON.stringify({ rule: { and: [{ var: 0 }] }, data: ['claim_gathering'] });

  it('creates: 201 {"_id","user_access_policy_uri":null}, no Location (DIV-AS-18)', async () => {
    const r = await as.call('POST', RS, { headers: auth(), json: { name: '[GET] /posts/??', resource_scopes: ['claim_gathering'], scope_expression: expression } });
    assert.equal(r.status, 201);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.headers.location, undefined);
    const id = r.json()._id;
    assert.match(id, UUID);
    assert.equal(r.text, `{"_id":"${id}","user_access_policy_uri":null}`);
  });

  it('reads, updates, lists and deletes', async () => {
    const id = await as.resource(s.pat, { name: 'n1', resource_scopes: ['claim_gathering'], scope_expression: expression, type: 't' });
    const g = await as.call('GET', `${RS}/${id}`, { headers: auth() });
    assert.equal(g.status, 200);
    const b = g.json();
    assert.deepEqual(Object.keys(b).sort(), ['_id', 'description', 'exp', 'iat', 'icon_uri', 'name', 'resource_scopes', 'scope_expression', 'type']);
    assert.equal(b._id, id);
    assert.equal(b.name, 'n1');
    assert.deepEqual(b.resource_scopes, ['claim_gathering']);
    assert.equal(b.scope_expression, expression);
    assert.equal(b.exp - b.iat, 2_592_000);
    const p = await as.call('PUT', `${RS}/${id}`, { headers: auth(), json: { name: 'n2', resource_scopes: ['claim_gathering'] } });
    assert.equal(p.status, 200);
    assert.equal(p.text, `{"_id":"${id}","user_access_policy_uri":null}`);
    assert.equal((await as.call('GET', `${RS}/${id}`, { headers: auth() })).json().name, 'n2');
    const list = await as.call('GET', RS, { headers: auth() });
    assert.equal(list.status, 200);
    assert.ok(list.json().includes(id));
    assert.ok(list.json().every((x: unknown) => typeof x === 'string'));
    const filtered = await as.call('GET', `${RS}?scope=no_such_scope`, { headers: auth() });
    assert.deepEqual(filtered.json(), []);
    const d = await as.call('DELETE', `${RS}/${id}`, { headers: auth() });
    assert.equal(d.status, 204);
    assert.equal(d.text, '');
  });

  it('answers 404 not_found for an unknown id (GET, PUT, DELETE)', async () => {
    for (const [method, json] of [['GET', undefined], ['PUT', { resource_scopes: ['claim_gathering'] }], ['DELETE', undefined]] as const) {
      const r = await as.call(method, `${RS}/unknown`, { headers: auth(), json });
      assert.equal(r.status, 404, method);
      assert.equal(r.text, errText('not_found', D.not_found));
    }
  });

  it('answers 400 invalid_scope when scopes and expression are both blank, or the expression is invalid', async () => {
    for (const json of [{}, { name: 'x', resource_scopes: [] }, { resource_scopes: ['claim_gathering'], scope_expression: '{"rule":{}}' }]) {
      const r = await as.call('POST', RS, { headers: auth(), json });
      assert.equal(r.status, 400);
      assert.equal(r.text, errText('invalid_scope', D.invalid_scope));
    }
  });

  it('creates unknown scopes with umaAddScopesAutomatically=true, refuses them with false', async () => {
    const id = await as.resource(s.pat, { resource_scopes: ['brand_new_scope'] });
    assert.ok(id);
    assert.equal(as.store.scope('brand_new_scope')?.type, 'uma');
    const strict = await startAs({ as: { umaAddScopesAutomatically: false } });
    const s2 = await strict.setup();
    const r = await strict.call('POST', RS, { headers: { Authorization: `Bearer ${s2.pat}` }, json: { resource_scopes: ['another_new_scope'] } });
    assert.equal(r.status, 400);
    assert.equal(r.json().error, 'invalid_scope');
    await strict.close();
  });

  it('answers 405 to HEAD and OPTIONS on the collection', async () => {
    const h = await as.call('HEAD', RS, { headers: auth() });
    assert.equal(h.status, 405);
    const o = await as.call('OPTIONS', RS, { headers: auth() });
    assert.equal(o.status, 405);
    assert.equal(o.text, 'OPTIONS Method Not Allowed');
  });

  it('answers 415 to a non-JSON body', async () => {
    const r = await as.call('POST', RS, { headers: auth(), form: { name: 'x' } });
    assert.equal(r.status, 415);
  });

  it('answers HEAD and OPTIONS on /{id} with the JAX-RS defaults', async () => {
    const id = await as.resource(s.pat, { resource_scopes: ['claim_gathering'] });
    const h = await as.call('HEAD', `${RS}/${id}`, { headers: auth() });
    assert.equal(h.status, 200);
    assert.equal(h.text, '');
    const o = await as.call('OPTIONS', `${RS}/${id}`, { headers: auth() });
    assert.equal(o.status, 200);
    assert.equal(o.headers.allow, 'HEAD, DELETE, GET, OPTIONS, PUT');
  });
});

describe('scope descriptions (§10)', () => {
  let as: TestAs;
  before(async () => {
    as = await startAs();
  });
  after(() => as.close());

  it('describes a known scope and answers 404 not_found otherwise', async () => {
    const r = await as.call('GET', '/oxauth/restv1/uma/scopes/claim_gathering');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.text, '{"name":"claim_gathering","icon_uri":null,"description":null}');
    const nf = await as.call('GET', '/oxauth/restv1/uma/scopes/unknown');
    assert.equal(nf.status, 404);
    assert.equal(nf.text, errText('not_found', D.not_found));
  });
});

describe('RPT introspection (§8)', () => {
  let as: TestAs;
  let s: Setup;
  withUmaSetup((x) => ({ as, s } = x));
  const status = (token: string) => as.call('POST', '/oxauth/restv1/rpt/status', { headers: { Authorization: `Bearer ${s.pat}` }, form: { token } });

  it('describes an active RPT: permissions, client_id, pct_claims as string lists, no scope', async () => {
    const g = await gatheredTicket(as, s);
    const rpt = (await as.token(s.rqp, { ticket: g.t3 })).json().access_token;
    const r = await status(rpt);
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.headers['cache-control'], 'no-store, no-transform');
    const b = r.json();
    assert.equal(b.active, true);
    assert.equal(b.client_id, s.rqp.id);
    assert.equal(b.aud, s.rqp.id);
    assert.equal(b.sub, null);
    assert.equal(b.iss, null);
    assert.equal(b.jti, null);
    assert.equal(b.nbf, null);
    assert.equal(b.exp - b.iat, 3600);
    assert.equal('scope' in b, false);
    assert.deepEqual(b.pct_claims, { country: ['US'], city: ['NY'] });
    assert.equal(b.permissions.length, 1);
    const [p] = b.permissions;
    assert.deepEqual(Object.keys(p).sort(), ['exp', 'params', 'resource_id', 'resource_scopes']);
    assert.equal(p.resource_id, s.resourceId);
    assert.deepEqual(p.resource_scopes, ['claim_gathering']);
    assert.equal(p.params, null);
    assert.equal(p.exp, Math.floor(as.store.permissionsByTicket(g.t3)[0].expiresAt / 1000));
  });

  it('lists pushed claims as strings, numbers included', async () => {
    const r = await as.token(s.rqp, { ticket: await s.newTicket(), claim_token: unsignedJwt({ country: 'US', city: 'NY', n: 5 }), claim_token_format: ID_TOKEN_FORMAT });
    const b = (await status(r.json().access_token)).json();
    assert.deepEqual(b.pct_claims, { country: ['US'], city: ['NY'], n: ['5'] });
  });

  it('answers active:false with null members for an unknown RPT', async () => {
    const r = await status('unknown');
    assert.equal(r.status, 200);
    assert.equal(r.headers['cache-control'], 'no-store, no-transform');
    assert.equal(r.json().active, false);
    assert.equal(
      r.text,
      '{"active":false,"exp":null,"iat":null,"nbf":null,"permissions":null,"client_id":null,"sub":null,"aud":null,"iss":null,"jti":null,"pct_claims":null}',
    );
  });

  it('requires a PAT', async () => {
    const r = await as.call('POST', '/oxauth/restv1/rpt/status', { form: { token: 'x' } });
    assert.equal(r.status, 401);
    assert.equal(r.json().error, 'unauthorized_client');
  });

  it('refuses the GET mapping that consumes JSON with 405', async () => {
    const r = await as.call('GET', '/oxauth/restv1/rpt/status', { headers: { Authorization: `Bearer ${s.pat}`, 'Content-Type': 'application/json' } });
    assert.equal(r.status, 405);
    assert.equal(r.text, 'Introspection of RPT is not allowed by GET HTTP method.');
  });

  it('expires the RPT after umaRptLifetime', async () => {
    let now = Date.now();
    const timed = await startAs({ clock: () => now, as: { umaRptLifetime: 10 } });
    const s2 = await timed.setup();
    const rpt = (await timed.token(s2.rqp, { ticket: await s2.newTicket(), claim_token: unsignedJwt({ country: 'US', city: 'NY' }), claim_token_format: ID_TOKEN_FORMAT })).json().access_token;
    now += 11_000;
    const r = await timed.call('POST', '/oxauth/restv1/rpt/status', { headers: { Authorization: `Bearer ${s2.pat}` }, form: { token: rpt } });
    assert.equal(r.json().active, false);
    await timed.close();
  });
});
